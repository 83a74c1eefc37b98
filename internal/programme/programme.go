package programme

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Langs are the languages a text may be written in.
var Langs = []string{"vi", "en", "ja"}

// DocTypes are the kinds of documents a directive may be (Party and State
// document types: công văn, chỉ thị, nghị quyết, kế hoạch, kết luận,
// quyết định, hướng dẫn).
var DocTypes = []string{"cv", "ct", "nq", "kh", "kl", "qd", "hd", "other"}

// Roles of a unit in a task.
const (
	RoleLead      = "lead"
	RoleCooperate = "cooperate"
)

// MaxEvidenceSize is the largest uploaded evidence file (10 MiB).
const MaxEvidenceSize = 10 << 20

// Text is one language version of a directive's or a task's title and body.
type Text struct {
	Lang          string `json:"lang"`
	Title         string `json:"title"`
	Body          string `json:"body"`
	IsTranslation bool   `json:"is_translation"`
}

// Attachment is a link or an uploaded file of a directive.
type Attachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	URL         string `json:"url,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size"`
	Data        []byte `json:"-"`
}

// Directive is a document that sets tasks for units.
type Directive struct {
	ID           int64        `json:"id"`
	Number       string       `json:"number"`
	DocType      string       `json:"doc_type"`
	IssuedOn     string       `json:"issued_on"`
	IssuerUnitID int64        `json:"issuer_unit_id"`
	IssuerName   string       `json:"issuer_name,omitempty"`
	Signer       string       `json:"signer"`
	SignerTitle  string       `json:"signer_title"`
	Texts        []Text       `json:"texts"`
	Attachments  []Attachment `json:"attachments"`
	Tasks        []Task       `json:"tasks,omitempty"`
	Addressees   []Addressee  `json:"addressees,omitempty"`
	TaskCount    int          `json:"task_count"`
	Version      int          `json:"version"`
	Withdrawn    *Withdrawal  `json:"withdrawn,omitempty"`
}

// Withdrawal records that a directive, a task or an assignment was
// withdrawn (thu hồi): who, when and why. A withdrawn item stays readable;
// it no longer counts in roll-ups nor takes progress.
type Withdrawal struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

// Task is a numbered task of a directive.
type Task struct {
	ID          int64        `json:"id"`
	DirectiveID int64        `json:"directive_id"`
	Number      int          `json:"number"`
	Weight      float64      `json:"weight"`
	Texts       []Text       `json:"texts"`
	Assignments []Assignment `json:"assignments,omitempty"`
	Version     int          `json:"version"`
	Withdrawn   *Withdrawal  `json:"withdrawn,omitempty"`
}

// Addressee is one unit, or every unit of a kind.
type Addressee struct {
	ID       int64  `json:"id"`
	UnitID   int64  `json:"unit_id,omitempty"`
	UnitName string `json:"unit_name,omitempty"`
	UnitKind string `json:"unit_kind,omitempty"`
}

// Assignment gives a task to a unit, as lead or cooperating, with a due date.
type Assignment struct {
	ID       int64  `json:"id"`
	TaskID   int64  `json:"task_id"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name,omitempty"`
	Role     string `json:"role"`
	DueOn    string `json:"due_on"`
	Note     string `json:"note"`
	Version  int    `json:"version"`
	// Withdrawn is set when the assignment itself was withdrawn; when
	// listing a unit's assignments, also when its task or directive was.
	Withdrawn *Withdrawal `json:"withdrawn,omitempty"`
	// Filled when listing a unit's assignments.
	DirectiveID     int64  `json:"directive_id,omitempty"`
	DirectiveNumber string `json:"directive_number,omitempty"`
	TaskNumber      int    `json:"task_number,omitempty"`
	TaskTexts       []Text `json:"task_texts,omitempty"`
}

// Activity is one line of a unit's plan.
type Activity struct {
	ID        int64   `json:"id"`
	UnitID    int64   `json:"unit_id"`
	TaskID    int64   `json:"task_id"`
	Title     string  `json:"title"`
	Owner     string  `json:"owner"`
	StartOn   string  `json:"start_on"`
	DueOn     string  `json:"due_on"`
	Indicator string  `json:"indicator"`
	Target    string  `json:"target"`
	Weight    float64 `json:"weight"`
	Progress  int     `json:"progress"`
	Version   int     `json:"version"`
	// Withdrawn: its directive, its task or its unit's assignment was
	// withdrawn; it takes no progress and counts in no roll-up.
	Withdrawn bool `json:"withdrawn,omitempty"`
	// Filled by queries for display.
	DirectiveID     int64  `json:"directive_id,omitempty"`
	DirectiveNumber string `json:"directive_number,omitempty"`
	TaskNumber      int    `json:"task_number,omitempty"`
	UnitName        string `json:"unit_name,omitempty"`
	// Status is derived on the date of the request.
	Status Status `json:"status,omitempty"`
}

// Item makes the activity a roll-up item.
func (a Activity) Item() Item {
	return Item{Weight: a.Weight, Percent: float64(a.Progress), Status: a.Status}
}

// Evidence is an uploaded file supporting a progress update.
type Evidence struct {
	ID          int64  `json:"id"`
	ActivityID  int64  `json:"activity_id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Data        []byte `json:"-"`
}

// Update is one progress report on an activity.
type Update struct {
	ID          int64     `json:"id"`
	ActivityID  int64     `json:"activity_id"`
	Percent     int       `json:"percent"`
	Note        string    `json:"note"`
	EvidenceURL string    `json:"evidence_url"`
	FileID      int64     `json:"file_id,omitempty"`
	FileName    string    `json:"file_name,omitempty"`
	Actor       string    `json:"actor"`
	At          time.Time `json:"at"`
}

// Errors maps a field name to a message key: the rules every stored
// directive, task, assignment, activity and update obeys. The store checks
// them before writing, behind the service layer, which validates the same
// input first with its shared validator.
type Errors map[string]string

func (e Errors) Error() string {
	var b strings.Builder
	b.WriteString("programme: invalid")
	for f, k := range e {
		b.WriteString(" " + f + "=" + k)
	}
	return b.String()
}

// Err returns e as an error, or nil when empty.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Message keys of validation errors.
const (
	MsgRequired   = "programme.err.required"
	MsgTooLong    = "programme.err.too_long"
	MsgBadChars   = "programme.err.bad_chars"
	MsgBadDate    = "programme.err.bad_date"
	MsgBadRange   = "programme.err.bad_range"
	MsgBadNumber  = "programme.err.bad_number"
	MsgBadPercent = "programme.err.bad_percent"
	MsgBadWeight  = "programme.err.bad_weight"
	MsgBadURL     = "programme.err.bad_url"
	MsgBadChoice  = "programme.err.bad_choice"
	MsgBadLang    = "programme.err.bad_lang"
	MsgOneOrOther = "programme.err.unit_or_kind"
	MsgTooLarge   = "programme.err.too_large"
)

// isDate reports a YYYY-MM-DD date in 1900–2100, the range of the legal calendar.
func isDate(s string) bool {
	t, err := time.Parse(dateLayout, s)
	return err == nil && t.Format(dateLayout) == s && t.Year() >= 1900 && t.Year() <= 2100
}

// clean reports valid UTF-8 without control characters other than newlines and tabs.
func clean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}

func (e Errors) text(field, v string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(v) == "":
		e[field] = MsgRequired
	case !clean(v):
		e[field] = MsgBadChars
	case utf8.RuneCountInString(v) > max:
		e[field] = MsgTooLong
	}
}

func (e Errors) link(field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > 2000 {
		e[field] = MsgBadURL
	}
}

var numberRE = regexp.MustCompile(`^[0-9]{1,6}(-[A-ZĐa-zđ0-9]+)*(/[A-ZĐa-zđ0-9-]+)+$`)

// ValidNumber reports whether s looks like a document number such as
// 1470-CV/TU or 33/2021/CT-TTg.
func ValidNumber(s string) bool { return numberRE.MatchString(s) }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Validate checks a directive before it is stored. Texts must include at
// least one original (not a translation).
func (d *Directive) Validate() error {
	e := Errors{}
	d.Number = strings.TrimSpace(d.Number)
	if d.Number == "" {
		e["number"] = MsgRequired
	} else if !ValidNumber(d.Number) || len(d.Number) > 60 {
		e["number"] = MsgBadNumber
	}
	if !contains(DocTypes, d.DocType) {
		e["doc_type"] = MsgBadChoice
	}
	if d.IssuedOn == "" {
		e["issued_on"] = MsgRequired
	} else if !isDate(d.IssuedOn) {
		e["issued_on"] = MsgBadDate
	}
	if d.IssuerUnitID <= 0 {
		e["issuer_unit_id"] = MsgRequired
	}
	e.text("signer", d.Signer, false, 200)
	e.text("signer_title", d.SignerTitle, false, 200)
	validateTexts(e, d.Texts, "", 500, 200000)
	for i, a := range d.Attachments {
		e.text("attachments", a.Name, true, 200)
		if a.Data == nil {
			e.link("attachments", a.URL)
			if a.URL == "" {
				e["attachments"] = MsgBadURL
			}
		} else if len(a.Data) > MaxEvidenceSize {
			e["attachments"] = MsgTooLarge
		}
		_ = i
	}
	return e.Err()
}

// validateTexts checks per-language texts: a known language each, no
// language twice, one original at least. Fields are "title", "body"
// (prefixed) for the first text in error.
func validateTexts(e Errors, ts []Text, prefix string, maxTitle, maxBody int) {
	if len(ts) == 0 {
		e[prefix+"title"] = MsgRequired
		return
	}
	seen := map[string]bool{}
	original := false
	for _, t := range ts {
		if !contains(Langs, t.Lang) || seen[t.Lang] {
			e[prefix+"lang"] = MsgBadLang
		}
		seen[t.Lang] = true
		if !t.IsTranslation {
			original = true
		}
		e.text(prefix+"title", t.Title, true, maxTitle)
		e.text(prefix+"body", t.Body, false, maxBody)
	}
	if !original {
		e[prefix+"lang"] = MsgBadLang
	}
}

// Validate checks a task.
func (t *Task) Validate() error {
	e := Errors{}
	if t.Number < 1 || t.Number > 999 {
		e["number"] = MsgBadNumber
	}
	if t.Weight < 0 || t.Weight > 1000 {
		e["weight"] = MsgBadWeight
	}
	validateTexts(e, t.Texts, "", 1000, 50000)
	return e.Err()
}

// Validate checks an addressee.
func (a *Addressee) Validate() error {
	if (a.UnitID > 0) == (a.UnitKind != "") {
		return Errors{"unit_id": MsgOneOrOther}
	}
	return nil
}

// Validate checks an assignment.
func (a *Assignment) Validate() error {
	e := Errors{}
	if a.UnitID <= 0 {
		e["unit_id"] = MsgRequired
	}
	if a.Role != RoleLead && a.Role != RoleCooperate {
		e["role"] = MsgBadChoice
	}
	if a.DueOn == "" {
		e["due_on"] = MsgRequired
	} else if !isDate(a.DueOn) {
		e["due_on"] = MsgBadDate
	}
	return e.Err()
}

// Validate checks an activity before it is stored.
func (a *Activity) Validate() error {
	e := Errors{}
	a.Title = strings.TrimSpace(a.Title)
	e.text("title", a.Title, true, 500)
	e.text("owner", a.Owner, false, 200)
	e.text("indicator", a.Indicator, false, 500)
	e.text("target", a.Target, false, 200)
	if a.TaskID <= 0 {
		e["task_id"] = MsgRequired
	}
	if a.StartOn == "" {
		e["start_on"] = MsgRequired
	} else if !isDate(a.StartOn) {
		e["start_on"] = MsgBadDate
	}
	if a.DueOn == "" {
		e["due_on"] = MsgRequired
	} else if !isDate(a.DueOn) {
		e["due_on"] = MsgBadDate
	} else if isDate(a.StartOn) && a.DueOn < a.StartOn {
		e["due_on"] = MsgBadRange
	}
	if a.Weight < 0 || a.Weight > 1000 {
		e["weight"] = MsgBadWeight
	}
	if a.Progress < 0 || a.Progress > 100 {
		e["progress"] = MsgBadPercent
	}
	return e.Err()
}

// Validate checks a progress update (the file, if any, separately).
func (u *Update) Validate() error {
	e := Errors{}
	if u.Percent < 0 || u.Percent > 100 {
		e["percent"] = MsgBadPercent
	}
	e.text("note", u.Note, false, 5000)
	e.link("evidence_url", u.EvidenceURL)
	return e.Err()
}

// TextIn picks the text to show a reader of lang: that language if present,
// else the original, else the first.
func TextIn(ts []Text, lang string) Text {
	for _, t := range ts {
		if t.Lang == lang {
			return t
		}
	}
	return Original(ts)
}

// Original returns the text that is not a translation (the first when several).
func Original(ts []Text) Text {
	for _, t := range ts {
		if !t.IsTranslation {
			return t
		}
	}
	if len(ts) > 0 {
		return ts[0]
	}
	return Text{}
}
