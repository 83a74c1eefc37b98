package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/danvan/danvan/internal/i18n"
)

// The audit log is read by administrators and inspectors, not programmers:
// actions, objects and changed fields are shown in words, from the
// "audit.act.*", "audit.obj.*" and "audit.field.*" catalog entries, with the
// stored code as a fallback for an entry the catalog does not know yet.

// auditField is one field of an audit entry with its value before and after.
type auditField struct {
	Key, Before, After string
}

func auditWord(l i18n.Locale, prefix, code string) string {
	if code == "" {
		return ""
	}
	if k := prefix + code; l.Has(k) {
		return l.T(k)
	}
	return code
}

// auditFields lists the fields an entry records, changed ones first: a
// created object shows its values, an update what changed.
func auditFields(before, after string) []auditField {
	b, a := auditMap(before), auditMap(after)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []auditField
	for k := range keys {
		f := auditField{Key: k, Before: b[k], After: a[k]}
		if len(b) > 0 && len(a) > 0 && f.Before == f.After {
			continue // unchanged by an update: not worth a line
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// auditMap flattens one stored JSON value to field → text. A value that is
// not an object is shown under the field "value".
func auditMap(s string) map[string]string {
	if s == "" || s == "null" {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return map[string]string{"value": s}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return map[string]string{"value": auditText(v)}
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		if x == nil {
			continue
		}
		out[k] = auditText(x)
	}
	return out
}

func auditText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "✓"
		}
		return "✗"
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprint(int64(x))
		}
		return fmt.Sprint(x)
	default:
		b, _ := json.Marshal(x)
		s := string(b)
		if len([]rune(s)) > 200 {
			s = string([]rune(s)[:200]) + "…"
		}
		return strings.TrimSpace(s)
	}
}
