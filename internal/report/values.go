package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Values are a report's indicator entries as the user typed them, keyed by
// [FieldKey]: the indicator code for the total, "code.category" for a
// disaggregated cell. Keeping the text (not a parsed number) lets a draft
// hold a half-typed entry without losing it; [Validate] says what is wrong.
type Values map[string]string

// FieldKey names one cell of the indicator table.
func FieldKey(code, category string) string {
	if category == "" {
		return code
	}
	return code + "." + category
}

// SplitKey is the inverse of FieldKey.
func SplitKey(key string) (code, category string) {
	code, category, _ = strings.Cut(key, ".")
	return code, category
}

// FieldErrors maps a field (a FieldKey, or "narrative.<section>") to a
// message key.
type FieldErrors map[string]string

// Value message keys.
const (
	MsgRequired   = "report.value.required"
	MsgNotInteger = "report.value.not_integer"
	MsgNotNumber  = "report.value.not_number"
	MsgBelowMin   = "report.value.below_min"
	MsgAboveMax   = "report.value.above_max"
	MsgPercent    = "report.value.percent_range"
	MsgBadChoice  = "report.value.bad_choice"
	MsgUnknown    = "report.value.unknown_field"
	MsgRule       = "report.value.rule_failed"
	MsgDisaggSum  = "report.value.disaggregation_sum"
	MsgTooLong    = "report.value.too_long"
)

// MaxTextValue bounds a text indicator.
const MaxTextValue = 4000

// parseNumber accepts "12", "12.5", "12,5" (Vietnamese decimal comma) and
// surrounding space; thousands separators are not accepted, to avoid
// reading "1.234" two ways.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	s = strings.Replace(s, ",", ".", 1)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "xXpPeEiInN_") {
		return 0, false
	}
	return f, true
}

// ParseNumber is parseNumber for other packages (store, import).
func ParseNumber(s string) (float64, bool) { return parseNumber(s) }

// FormatNumber writes a number without a needless fraction.
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// checkCell validates one cell's text against its indicator; "" is fine
// here (required is checked per indicator).
func checkCell(in Indicator, raw string) (float64, string) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return 0, ""
	}
	switch in.Type {
	case TypeText:
		if len(raw) > MaxTextValue {
			return 0, MsgTooLong
		}
		return 0, ""
	case TypeChoice:
		for _, c := range in.Choices {
			if c == v {
				return 0, ""
			}
		}
		return 0, MsgBadChoice
	}
	f, ok := parseNumber(v)
	if !ok {
		return 0, MsgNotNumber
	}
	if in.Type == TypeInteger && f != math.Trunc(f) {
		return 0, MsgNotInteger
	}
	if in.Type == TypePercent && (f < 0 || f > 100) && in.Min == nil && in.Max == nil {
		return 0, MsgPercent
	}
	if in.Min != nil && f < *in.Min {
		return 0, MsgBelowMin
	}
	if in.Max != nil && f > *in.Max {
		return 0, MsgAboveMax
	}
	return f, ""
}

// Total returns an indicator's total: the total cell if given, otherwise
// the sum of its categories if any is given. ok is false when there is no
// valid number.
func Total(in Indicator, vals Values) (float64, bool) {
	if f, ok := parseNumber(vals[in.Code]); ok {
		return f, true
	}
	if in.Disaggregation == nil {
		return 0, false
	}
	sum, any := 0.0, false
	for _, c := range in.Disaggregation.Categories {
		if f, ok := parseNumber(vals[FieldKey(in.Code, c.Key)]); ok {
			sum += f
			any = true
		}
	}
	return sum, any
}

// Validate checks values against the definition: unknown fields, required
// indicators, types, ranges, choices, that the categories of a
// disaggregated indicator add up to its total when both are given, and the
// cross-field rules (the error is put on the rule's left indicator). It
// returns nil when everything is right.
func Validate(def Definition, vals Values) FieldErrors {
	errs := FieldErrors{}
	known := map[string]bool{}
	for _, in := range def.Indicators {
		known[in.Code] = true
		if in.Disaggregation != nil {
			for _, c := range in.Disaggregation.Categories {
				known[FieldKey(in.Code, c.Key)] = true
			}
		}
	}
	for k := range vals {
		if !known[k] {
			errs[k] = MsgUnknown
		}
	}
	for _, in := range def.Indicators {
		total, hasTotal := 0.0, false
		if m := func() string { f, m := checkCell(in, vals[in.Code]); total = f; return m }(); m != "" {
			errs[in.Code] = m
		} else {
			hasTotal = strings.TrimSpace(vals[in.Code]) != ""
		}
		filled := hasTotal
		if dg := in.Disaggregation; dg != nil {
			sum, all, bad := 0.0, true, false
			for _, c := range dg.Categories {
				k := FieldKey(in.Code, c.Key)
				f, m := checkCell(in, vals[k])
				if m != "" {
					errs[k] = m
					bad = true
					continue
				}
				if strings.TrimSpace(vals[k]) == "" {
					all = false
					continue
				}
				filled = true
				sum += f
			}
			if hasTotal && all && !bad && math.Abs(sum-total) > 1e-9*math.Max(1, math.Abs(total)) {
				errs[in.Code] = MsgDisaggSum
			}
		}
		if in.Required && !filled && errs[in.Code] == "" {
			errs[in.Code] = MsgRequired
		}
	}
	for _, r := range def.Rules {
		if errs[r.Left] != "" {
			continue
		}
		l, ok := def.Indicator(r.Left)
		if !ok {
			continue
		}
		lv, ok := Total(l, vals)
		if !ok {
			continue
		}
		rv, ok := parseNumber(r.Right)
		if !ok {
			ri, found := def.Indicator(r.Right)
			if !found || errs[r.Right] != "" {
				continue
			}
			if rv, ok = Total(ri, vals); !ok {
				continue
			}
		}
		if !compare(lv, r.Op, rv) {
			errs[r.Left] = MsgRule
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func compare(l float64, op string, r float64) bool {
	switch op {
	case "<=":
		return l <= r
	case "<":
		return l < r
	case ">=":
		return l >= r
	case ">":
		return l > r
	case "==":
		return l == r
	case "!=":
		return l != r
	}
	return false
}

// RuleText describes a rule for a message: "cases_resolved_on_time ≤ cases_received".
func (r CrossRule) String() string { return fmt.Sprintf("%s %s %s", r.Left, r.Op, r.Right) }
