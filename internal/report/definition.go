package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
)

// Text is a label in several languages, keyed by language code ("vi",
// "en", "ja"). Vietnamese is required; the others fall back to it.
type Text map[string]string

// In returns the text in lang, or the Vietnamese one.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t["vi"]
}

// ValueType is what an indicator holds.
type ValueType string

// Indicator value types.
const (
	TypeInteger ValueType = "integer"
	TypeDecimal ValueType = "decimal"
	TypePercent ValueType = "percent"
	TypeText    ValueType = "text"
	TypeChoice  ValueType = "choice"
)

// Numeric reports whether values of t are numbers.
func (t ValueType) Numeric() bool { return t == TypeInteger || t == TypeDecimal || t == TypePercent }

// Aggregation is how an indicator consolidates up the tree.
type Aggregation string

// Aggregations.
const (
	AggSum  Aggregation = "sum"
	AggAvg  Aggregation = "avg"
	AggWavg Aggregation = "wavg" // weighted by the indicator WeightCode
	AggMin  Aggregation = "min"
	AggMax  Aggregation = "max"
	AggNone Aggregation = "none"
)

// Section is a narrative part of a report.
type Section struct {
	Key   string `json:"key"`
	Title Text   `json:"title"`
}

// Category is one column of a disaggregation (e.g. "female").
type Category struct {
	Key  string `json:"key"`
	Name Text   `json:"name"`
}

// Disaggregation splits an indicator into categories, e.g. by gender.
type Disaggregation struct {
	Key        string     `json:"key"` // "gender", "ethnic_group"
	Name       Text       `json:"name,omitempty"`
	Categories []Category `json:"categories"`
}

// Indicator is one row of a report's indicator table.
type Indicator struct {
	Code           string          `json:"code"`
	Name           Text            `json:"name"`
	Type           ValueType       `json:"type"`
	Choices        []string        `json:"choices,omitempty"`
	Unit           string          `json:"unit,omitempty"` // unit label, e.g. "cuộc", "%"
	Required       bool            `json:"required,omitempty"`
	Min            *float64        `json:"min,omitempty"`
	Max            *float64        `json:"max,omitempty"`
	Aggregation    Aggregation     `json:"aggregation,omitempty"`
	WeightCode     string          `json:"weight_code,omitempty"`
	Disaggregation *Disaggregation `json:"disaggregation,omitempty"`
}

// CrossRule compares two indicators' totals: Left Op Right. Right may also
// be a number.
type CrossRule struct {
	Left  string `json:"left"`
	Op    string `json:"op"`
	Right string `json:"right"`
}

// Definition is a report template's content: narrative sections, the
// indicator table and cross-field rules. It is stored as JSON.
type Definition struct {
	Sections   []Section   `json:"sections"`
	Indicators []Indicator `json:"indicators"`
	Rules      []CrossRule `json:"rules,omitempty"`
}

// Indicator returns the indicator with the code.
func (d Definition) Indicator(code string) (Indicator, bool) {
	for _, in := range d.Indicators {
		if in.Code == code {
			return in, true
		}
	}
	return Indicator{}, false
}

// Problem is one thing wrong with a definition: where (a JSON path such as
// "indicators[2].code") and what (a message key).
type Problem struct {
	Path string `json:"path"`
	Key  string `json:"key"`
}

// DefinitionError lists every problem of a definition.
type DefinitionError struct{ Problems []Problem }

func (e *DefinitionError) Error() string {
	var b strings.Builder
	b.WriteString("report definition:")
	for _, p := range e.Problems {
		fmt.Fprintf(&b, " %s: %s;", p.Path, p.Key)
	}
	return b.String()
}

// ErrDefinition is matched by every *DefinitionError (errors.Is).
var ErrDefinition = errors.New("report.definition_invalid")

// Is makes errors.Is(err, ErrDefinition) true.
func (e *DefinitionError) Is(target error) bool { return target == ErrDefinition }

// Definition problem keys.
const (
	ProbJSON          = "report.def.bad_json"
	ProbRequired      = "report.def.required"
	ProbBadKey        = "report.def.bad_key"
	ProbDuplicate     = "report.def.duplicate"
	ProbBadType       = "report.def.bad_type"
	ProbBadAgg        = "report.def.bad_aggregation"
	ProbNoChoices     = "report.def.no_choices"
	ProbChoicesNotAll = "report.def.choices_not_allowed"
	ProbMinMax        = "report.def.min_above_max"
	ProbWeight        = "report.def.bad_weight"
	ProbAggText       = "report.def.aggregation_not_numeric"
	ProbUnknownCode   = "report.def.unknown_indicator"
	ProbBadOp         = "report.def.bad_operator"
	ProbNotNumeric    = "report.def.rule_not_numeric"
	ProbTooMany       = "report.def.too_many"
	ProbTooLong       = "report.def.too_long"
	ProbNoIndicators  = "report.def.no_content"
)

var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// Limits keep a definition small enough for a form and a table.
const (
	MaxIndicators = 500
	MaxSections   = 50
	MaxCategories = 100
	maxLabel      = 500
)

// Ops are the cross-rule comparison operators.
var Ops = []string{"<=", "<", ">=", ">", "==", "!="}

// ParseDefinition decodes and checks a definition. Unknown fields are
// refused; every problem is listed in a *DefinitionError.
func ParseDefinition(b []byte) (Definition, error) {
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return Definition{}, &DefinitionError{[]Problem{{Path: "", Key: ProbJSON}}}
	}
	if dec.More() {
		return Definition{}, &DefinitionError{[]Problem{{Path: "", Key: ProbJSON}}}
	}
	d.normalise()
	if ps := d.Check(); len(ps) > 0 {
		return Definition{}, &DefinitionError{ps}
	}
	return d, nil
}

// normalise fills defaults: aggregation sum for numbers, none for text.
func (d *Definition) normalise() {
	for i := range d.Indicators {
		in := &d.Indicators[i]
		in.Code = strings.TrimSpace(in.Code)
		if in.Aggregation == "" {
			if in.Type.Numeric() {
				in.Aggregation = AggSum
			} else {
				in.Aggregation = AggNone
			}
		}
	}
}

func checkText(ps *[]Problem, path string, t Text, required bool) {
	if required && strings.TrimSpace(t["vi"]) == "" {
		*ps = append(*ps, Problem{path + ".vi", ProbRequired})
	}
	for lang, s := range t {
		if lang != "vi" && lang != "en" && lang != "ja" {
			*ps = append(*ps, Problem{path + "." + lang, ProbBadKey})
		} else if len(s) > maxLabel {
			*ps = append(*ps, Problem{path + "." + lang, ProbTooLong})
		}
	}
}

// Check returns every problem of d (empty when it is valid).
func (d Definition) Check() []Problem {
	var ps []Problem
	add := func(path, key string) { ps = append(ps, Problem{path, key}) }
	if len(d.Sections) == 0 && len(d.Indicators) == 0 {
		add("", ProbNoIndicators)
	}
	if len(d.Sections) > MaxSections {
		add("sections", ProbTooMany)
	}
	if len(d.Indicators) > MaxIndicators {
		add("indicators", ProbTooMany)
	}
	if len(ps) > 0 {
		return ps
	}
	seen := map[string]bool{}
	for i, s := range d.Sections {
		p := fmt.Sprintf("sections[%d]", i)
		switch {
		case !keyRE.MatchString(s.Key):
			add(p+".key", ProbBadKey)
		case seen[s.Key]:
			add(p+".key", ProbDuplicate)
		}
		seen[s.Key] = true
		checkText(&ps, p+".title", s.Title, true)
	}
	codes := map[string]Indicator{}
	for i, in := range d.Indicators {
		p := fmt.Sprintf("indicators[%d]", i)
		switch {
		case !keyRE.MatchString(in.Code):
			add(p+".code", ProbBadKey)
		case codes[in.Code].Code != "":
			add(p+".code", ProbDuplicate)
		default:
			codes[in.Code] = in
		}
		checkText(&ps, p+".name", in.Name, true)
		if len(in.Unit) > maxLabel {
			add(p+".unit", ProbTooLong)
		}
		switch in.Type {
		case TypeInteger, TypeDecimal, TypePercent, TypeText:
			if len(in.Choices) > 0 {
				add(p+".choices", ProbChoicesNotAll)
			}
		case TypeChoice:
			if len(in.Choices) == 0 {
				add(p+".choices", ProbNoChoices)
			}
			cs := map[string]bool{}
			for j, c := range in.Choices {
				if strings.TrimSpace(c) == "" || len(c) > maxLabel {
					add(fmt.Sprintf("%s.choices[%d]", p, j), ProbRequired)
				} else if cs[c] {
					add(fmt.Sprintf("%s.choices[%d]", p, j), ProbDuplicate)
				}
				cs[c] = true
			}
		default:
			add(p+".type", ProbBadType)
		}
		if in.Min != nil && in.Max != nil && *in.Min > *in.Max {
			add(p+".min", ProbMinMax)
		}
		for _, v := range []*float64{in.Min, in.Max} {
			if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
				add(p+".min", ProbBadType)
			}
		}
		switch in.Aggregation {
		case AggSum, AggAvg, AggWavg, AggMin, AggMax:
			if !in.Type.Numeric() {
				add(p+".aggregation", ProbAggText)
			}
		case AggNone:
		default:
			add(p+".aggregation", ProbBadAgg)
		}
		if in.Aggregation != AggWavg && in.WeightCode != "" {
			add(p+".weight_code", ProbWeight)
		}
		if dg := in.Disaggregation; dg != nil {
			if !keyRE.MatchString(dg.Key) {
				add(p+".disaggregation.key", ProbBadKey)
			}
			if !in.Type.Numeric() {
				add(p+".disaggregation", ProbNotNumeric)
			}
			if len(dg.Categories) == 0 {
				add(p+".disaggregation.categories", ProbRequired)
			}
			if len(dg.Categories) > MaxCategories {
				add(p+".disaggregation.categories", ProbTooMany)
			}
			cs := map[string]bool{}
			for j, c := range dg.Categories {
				cp := fmt.Sprintf("%s.disaggregation.categories[%d]", p, j)
				switch {
				case !keyRE.MatchString(c.Key):
					add(cp+".key", ProbBadKey)
				case cs[c.Key]:
					add(cp+".key", ProbDuplicate)
				}
				cs[c.Key] = true
				checkText(&ps, cp+".name", c.Name, true)
			}
		}
	}
	// Weights refer to numeric indicators defined anywhere in the table.
	for i, in := range d.Indicators {
		if in.Aggregation != AggWavg {
			continue
		}
		w, ok := codes[in.WeightCode]
		if !ok || !w.Type.Numeric() || w.Code == in.Code {
			add(fmt.Sprintf("indicators[%d].weight_code", i), ProbWeight)
		}
	}
	for i, r := range d.Rules {
		p := fmt.Sprintf("rules[%d]", i)
		l, ok := codes[r.Left]
		if !ok {
			add(p+".left", ProbUnknownCode)
		} else if !l.Type.Numeric() {
			add(p+".left", ProbNotNumeric)
		}
		if _, isNum := parseNumber(r.Right); !isNum {
			rt, ok := codes[r.Right]
			if !ok {
				add(p+".right", ProbUnknownCode)
			} else if !rt.Type.Numeric() {
				add(p+".right", ProbNotNumeric)
			}
		}
		if !validOp(r.Op) {
			add(p+".op", ProbBadOp)
		}
	}
	return ps
}

func validOp(op string) bool {
	for _, o := range Ops {
		if o == op {
			return true
		}
	}
	return false
}

// JSON encodes the definition (for storage).
func (d Definition) JSON() []byte {
	b, _ := json.Marshal(d)
	return b
}
