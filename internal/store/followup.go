package store

// Follow-up: notifications and their e-mail outbox, formal urges, report
// reminder inputs, and inspection/supervision plans with findings and
// recommendations (migration 0005). Rules live in internal/followup.

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/followup"
)

// --- scopes ---

// Scope limits a list to what a user may see: everything (All), or the
// subtrees of Roots; UserID also admits rows the user takes part in
// (inspection team members).
type Scope struct {
	All    bool
	Roots  []int64
	UserID int64
}

func placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// scopeCTE returns a WITH RECURSIVE prefix defining sub(id): the units in
// the subtrees of the roots, with its arguments.
func scopeCTE(roots []int64) (string, []any) {
	args := make([]any, len(roots))
	for i, r := range roots {
		args[i] = r
	}
	return `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id IN (` + placeholders(len(roots)) + `)
		UNION SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) `, args
}

func limitOffset(limit, offset int) string {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(max(offset, 0))
}

// --- notifications ---

// Notification is one message to one user, shown in the app and
// optionally e-mailed.
type Notification struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	UnitID    int64     `json:"unit_id,omitempty"`
	UnitName  string    `json:"unit_name,omitempty"`
	Kind      string    `json:"kind"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"created_at"`
	ReadAt    time.Time `json:"read_at"`
	EmailedAt time.Time `json:"emailed_at"`
}

// NewNotification is a notification to create. DedupeKey makes creation
// idempotent: a second notification with the same key is skipped. Email,
// when set, queues an e-mail to that address in the same transaction.
type NewNotification struct {
	UserID    int64
	UnitID    int64
	Kind      string
	Subject   string
	Body      string
	Link      string
	DedupeKey string
	Email     string
	MailBody  string // the e-mail's text; Body when empty
}

// LinkPending ends the e-mail text of a note whose page does not exist yet
// (an inspection being created): notifyEach puts the new page's path in its
// place, after the base URL.
const LinkPending = "{link}"

// notifyTx inserts n unless its dedupe key exists; it reports whether it did.
func (s *Store) notifyTx(ctx context.Context, tx *sql.Tx, n NewNotification) (bool, error) {
	if n.DedupeKey == "" {
		return false, errors.New("notification: empty dedupe key")
	}
	now := s.Now()
	var id int64
	err := s.txQueryRow(ctx, tx, s.q(`INSERT INTO notifications (user_id, unit_id, kind, subject, body, link, created_at, dedupe_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`),
		n.UserID, nullID(n.UnitID), n.Kind, n.Subject, n.Body, n.Link, s.ts(now), n.DedupeKey).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("notification %s: %w", n.DedupeKey, err)
	}
	if n.Email != "" {
		// The reader may have turned this kind of e-mail off.
		want, err := s.wantsEmail(ctx, tx, n.UserID, n.Kind)
		if err != nil || !want {
			return err == nil, err
		}
		body := n.MailBody
		if body == "" {
			body = n.Body
		}
		if _, err := s.insertID(ctx, tx, `INSERT INTO mail_outbox (notification_id, to_addr, subject, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, n.Email, n.Subject, body, s.ts(now), s.ts(now)); err != nil {
			return false, fmt.Errorf("outbox: %w", err)
		}
	}
	return true, nil
}

// notifyEach inserts notes inside tx, each with the dedupe key key gives it
// and link when it has none: the notifications of a workflow step, written
// in the step's own transaction.
func (s *Store) notifyEach(ctx context.Context, tx *sql.Tx, notes []NewNotification, link string, key func(n NewNotification) string) error {
	for _, n := range notes {
		n.DedupeKey = key(n)
		if n.Link == "" {
			n.Link = link
		}
		if strings.HasSuffix(n.MailBody, LinkPending+"\n") {
			n.MailBody = strings.TrimSuffix(n.MailBody, LinkPending+"\n") + n.Link + "\n"
		}
		if _, err := s.notifyTx(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// Notify creates notifications (and their e-mails) in one transaction,
// skipping those whose dedupe key exists, and returns how many it created.
// One audit entry records the batch.
func (s *Store) Notify(ctx context.Context, a audit.Actor, kind string, ns []NewNotification) (int, error) {
	created := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, n := range ns {
			ok, err := s.notifyTx(ctx, tx, n)
			if err != nil {
				return err
			}
			if ok {
				created++
			}
		}
		if created == 0 {
			return nil
		}
		return s.appendAudit(ctx, tx, a, "notification.create", "notification", kind, nil, map[string]int{"created": created})
	})
	return created, err
}

const notifCols = `n.id, n.user_id, COALESCE(n.unit_id, 0), COALESCE(u.name, ''), n.kind, n.subject, n.body, n.link, n.created_at, n.read_at, n.emailed_at`

// ListNotifications returns a user's notifications, newest first, and the total.
func (s *Store) ListNotifications(ctx context.Context, userID int64, unreadOnly bool, limit, offset int) ([]Notification, int, error) {
	cond := `n.user_id = ?`
	if unreadOnly {
		cond += ` AND n.read_at IS NULL`
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM notifications n WHERE `+cond), userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+notifCols+` FROM notifications n LEFT JOIN units u ON u.id = n.unit_id
		WHERE `+cond+` ORDER BY n.created_at DESC, n.id DESC`+limitOffset(limit, offset)), userID)
	if err != nil {
		return nil, 0, fmt.Errorf("notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var c, r, e Time
		if err := rows.Scan(&n.ID, &n.UserID, &n.UnitID, &n.UnitName, &n.Kind, &n.Subject, &n.Body, &n.Link, &c, &r, &e); err != nil {
			return nil, 0, err
		}
		n.CreatedAt, n.ReadAt, n.EmailedAt = c.Time, r.Time, e.Time
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// UnreadCount counts a user's unread notifications (the layout's badge).
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`), userID).Scan(&n)
	return n, err
}

// MarkNotificationRead marks one of the user's notifications read; another
// user's notification is not found.
func (s *Store) MarkNotificationRead(ctx context.Context, userID, id int64) error {
	res, err := s.wdb.ExecContext(ctx, s.q(`UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?`), s.ts(s.Now()), id, userID)
	if err != nil {
		return fmt.Errorf("notification %d: read: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("notification %d: %w", id, ErrNotFound)
	}
	return nil
}

// MarkAllNotificationsRead marks every unread notification of the user read.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, userID int64) (int, error) {
	res, err := s.wdb.ExecContext(ctx, s.q(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`), s.ts(s.Now()), userID)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// GetNotification returns one of the user's notifications.
func (s *Store) GetNotification(ctx context.Context, userID, id int64) (Notification, error) {
	var n Notification
	var c, r, e Time
	err := s.db.QueryRowContext(ctx, s.q(`SELECT `+notifCols+` FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE n.id = ? AND n.user_id = ?`), id, userID).
		Scan(&n.ID, &n.UserID, &n.UnitID, &n.UnitName, &n.Kind, &n.Subject, &n.Body, &n.Link, &c, &r, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return n, fmt.Errorf("notification %d: %w", id, ErrNotFound)
	}
	n.CreatedAt, n.ReadAt, n.EmailedAt = c.Time, r.Time, e.Time
	return n, err
}

// --- e-mail outbox ---

// MaxMailAttempts is how often delivery of one e-mail is tried.
const MaxMailAttempts = 12

// OutboxMail is one queued e-mail.
type OutboxMail struct {
	ID             int64
	NotificationID int64
	To             string
	Subject        string
	Body           string
	Attempts       int
	LastError      string
	SentAt         time.Time
}

// ClaimMail claims up to limit unsent e-mails whose next attempt is due and
// that no other sender holds (or whose lease has expired), oldest first, for
// owner until now+lease, and returns them. On PostgreSQL the rows are picked
// with FOR UPDATE SKIP LOCKED inside a short transaction, so concurrent
// senders take disjoint batches without waiting; on SQLite one UPDATE …
// RETURNING does the same under the single writer.
func (s *Store) ClaimMail(ctx context.Context, owner string, lease time.Duration, limit int) ([]OutboxMail, error) {
	if owner == "" {
		return nil, errors.New("outbox: empty claim owner")
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	now := s.Now()
	cond := `sent_at IS NULL AND attempts < ? AND next_attempt_at <= ? AND (claimed_by = '' OR claimed_until IS NULL OR claimed_until < ?)`
	args := []any{MaxMailAttempts, s.ts(now), s.ts(now)}
	var out []OutboxMail
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var pick string
		if s.dialect == Postgres {
			pick = `SELECT id FROM mail_outbox WHERE ` + cond + ` ORDER BY id LIMIT ` + strconv.Itoa(limit) + ` FOR UPDATE SKIP LOCKED`
		} else {
			pick = `SELECT id FROM mail_outbox WHERE ` + cond + ` ORDER BY id LIMIT ` + strconv.Itoa(limit)
		}
		rows, err := tx.QueryContext(ctx, s.q(`UPDATE mail_outbox SET claimed_by = ?, claimed_until = ? WHERE id IN (`+pick+`)
			RETURNING id, COALESCE(notification_id, 0), to_addr, subject, body, attempts, last_error`),
			append([]any{owner, s.ts(now.Add(lease))}, args...)...)
		if err != nil {
			return fmt.Errorf("outbox claim: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var m OutboxMail
			if err := rows.Scan(&m.ID, &m.NotificationID, &m.To, &m.Subject, &m.Body, &m.Attempts, &m.LastError); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b OutboxMail) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// ReleaseMail gives back an e-mail owner claimed and did not try.
func (s *Store) ReleaseMail(ctx context.Context, id int64, owner string) error {
	_, err := s.wdb.ExecContext(ctx, s.q(`UPDATE mail_outbox SET claimed_by = '', claimed_until = NULL WHERE id = ? AND claimed_by = ?`), id, owner)
	return err
}

// MailSent records a delivery by owner (and stamps the notification).
func (s *Store) MailSent(ctx context.Context, id int64, owner string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.ts(s.Now())
		var nid sql.NullInt64
		if err := s.txQueryRow(ctx, tx, s.q(`UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, last_error = '', claimed_by = '', claimed_until = NULL
			WHERE id = ? AND claimed_by = ? RETURNING notification_id`), now, id, owner).Scan(&nid); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("outbox %d: not claimed by %s: %w", id, owner, ErrConflict)
			}
			return fmt.Errorf("outbox %d: sent: %w", id, err)
		}
		if nid.Valid {
			if _, err := s.txExec(ctx, tx, s.q(`UPDATE notifications SET emailed_at = ? WHERE id = ?`), now, nid.Int64); err != nil {
				return err
			}
		}
		return nil
	})
}

// MailFailed records owner's failed attempt and when to try again.
func (s *Store) MailFailed(ctx context.Context, id int64, owner, msg string, next time.Time) error {
	if len(msg) > 1000 {
		msg = msg[:1000]
		for len(msg) > 0 && !utf8.ValidString(msg) {
			msg = msg[:len(msg)-1]
		}
	}
	_, err := s.wdb.ExecContext(ctx, s.q(`UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = '', claimed_until = NULL
		WHERE id = ? AND claimed_by = ?`), msg, s.ts(next), id, owner)
	return err
}

// Outbox lists the outbox, newest first (operators and tests).
func (s *Store) Outbox(ctx context.Context, limit int) ([]OutboxMail, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, COALESCE(notification_id, 0), to_addr, subject, body, attempts, last_error, sent_at FROM mail_outbox ORDER BY id DESC`+limitOffset(limit, 0)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxMail
	for rows.Next() {
		var m OutboxMail
		var sent Time
		if err := rows.Scan(&m.ID, &m.NotificationID, &m.To, &m.Subject, &m.Body, &m.Attempts, &m.LastError, &sent); err != nil {
			return nil, err
		}
		m.SentAt = sent.Time
		out = append(out, m)
	}
	return out, rows.Err()
}

// --- recipients ---

// Recipient is a user to notify about a unit.
type Recipient struct {
	UserID   int64
	Username string
	FullName string
	Email    string
	Locale   string
}

// UserRecipients returns the enabled users among ids.
func (s *Store) UserRecipients(ctx context.Context, ids []int64) ([]Recipient, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{false}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, username, full_name, email, locale FROM users WHERE disabled = ? AND id IN (`+placeholders(len(ids))+`) ORDER BY username`), args...)
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.UserID, &r.Username, &r.FullName, &r.Email, &r.Locale); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UnitRecipients lists the enabled users holding unit_head or unit_officer
// on exactly this unit: the people who answer for its reports.
func (s *Store) UnitRecipients(ctx context.Context, unitID int64) ([]Recipient, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT u.id, u.username, u.full_name, u.email, u.locale FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.unit_id = ? AND g.role IN ('unit_head', 'unit_officer') AND u.disabled = ? ORDER BY u.username`), unitID, false)
	if err != nil {
		return nil, fmt.Errorf("recipients of unit %d: %w", unitID, err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.UserID, &r.Username, &r.FullName, &r.Email, &r.Locale); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// --- report reminder inputs (read-only queries on the reports schema) ---

// ReminderSchedule is an active schedule of an active template.
type ReminderSchedule struct {
	ScheduleID   int64
	TemplateID   int64
	TemplateName string
	PeriodType   string
	CutoffDay    int
	UnitID       int64
	UnitKinds    string // comma-separated; '' = the unit itself
	Deadlines    string // JSON [{level, days_after_end, working_days}]
}

// ReportState is what reminders need of a report row.
type ReportState struct {
	ID           int64
	TemplateID   int64
	TemplateName string
	UnitID       int64
	PeriodType   string
	PeriodYear   int
	PeriodNumber int
	DueOn        string
	Status       string
}

func (s *Store) reportStates(ctx context.Context, cond string, args ...any) ([]ReportState, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.id, r.template_id, t.name, r.unit_id, r.period_type, r.period_year, r.period_number, r.due_on, r.status
		FROM reports r JOIN report_templates t ON t.id = r.template_id WHERE `+cond+` ORDER BY r.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	defer rows.Close()
	var out []ReportState
	for rows.Next() {
		var r ReportState
		if err := rows.Scan(&r.ID, &r.TemplateID, &r.TemplateName, &r.UnitID, &r.PeriodType, &r.PeriodYear, &r.PeriodNumber, &r.DueOn, &r.Status); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportsOfPeriod lists the reports of one template and period.
func (s *Store) ReportsOfPeriod(ctx context.Context, templateID int64, periodType string, year, number int) ([]ReportState, error) {
	return s.reportStates(ctx, `r.template_id = ? AND r.period_type = ? AND r.period_year = ? AND r.period_number = ?`, templateID, periodType, year, number)
}

// ReportsDueBetween lists reports due from..to (inclusive) of active templates.
func (s *Store) ReportsDueBetween(ctx context.Context, from, to string) ([]ReportState, error) {
	return s.reportStates(ctx, `r.due_on >= ? AND r.due_on <= ? AND t.active = ?`, from, to, true)
}

// ReportState returns one report's state (the urge form names a report).
func (s *Store) ReportStateOf(ctx context.Context, id int64) (ReportState, error) {
	rs, err := s.reportStates(ctx, `r.id = ?`, id)
	if err != nil {
		return ReportState{}, err
	}
	if len(rs) == 0 {
		return ReportState{}, fmt.Errorf("report %d: %w", id, ErrNotFound)
	}
	return rs[0], nil
}

// --- urges ---

// Urge is a coordinator's formal urge (đôn đốc) of a unit.
type Urge struct {
	ID           int64     `json:"id"`
	UnitID       int64     `json:"unit_id"`
	UnitName     string    `json:"unit_name"`
	TemplateID   int64     `json:"template_id,omitempty"`
	TemplateName string    `json:"template_name,omitempty"`
	ReportID     int64     `json:"report_id,omitempty"`
	PeriodType   string    `json:"period_type,omitempty"`
	PeriodYear   int       `json:"period_year,omitempty"`
	PeriodNumber int       `json:"period_number,omitempty"`
	Message      string    `json:"message"`
	SentBy       int64     `json:"sent_by,omitempty"`
	SentByName   string    `json:"sent_by_name"`
	CreatedAt    time.Time `json:"created_at"`
}

// CreateUrge records an urge, its audit entry and its notifications (with
// e-mails) in one transaction. Each note's dedupe key and link are set here
// from the new urge's id.
func (s *Store) CreateUrge(ctx context.Context, a audit.Actor, u *Urge, notes []NewNotification) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		name := u.SentByName
		if name == "" {
			name = a.Name
		}
		if name == "" {
			name = "system"
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO urges (unit_id, template_id, report_id, period_type, period_year, period_number, message, sent_by, sent_by_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.UnitID, nullID(u.TemplateID), nullID(u.ReportID), u.PeriodType, u.PeriodYear, u.PeriodNumber, u.Message, nullID(a.UserID), name, s.ts(now))
		if err != nil {
			return fmt.Errorf("create urge: %w", err)
		}
		u.ID, u.SentBy, u.SentByName, u.CreatedAt = id, a.UserID, name, now
		for _, n := range notes {
			n.DedupeKey = fmt.Sprintf("urge:%d:%d", id, n.UserID)
			if n.Link == "" {
				n.Link = fmt.Sprintf("/urges#urge-%d", id)
			}
			if n.Kind == "" {
				n.Kind = followup.KindUrge
			}
			if n.UnitID == 0 {
				n.UnitID = u.UnitID
			}
			if _, err := s.notifyTx(ctx, tx, n); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, a, "urge.send", "urge", id, nil, map[string]any{
			"unit_id": u.UnitID, "template_id": u.TemplateID, "report_id": u.ReportID,
			"period": fmt.Sprintf("%s %d/%d", u.PeriodType, u.PeriodNumber, u.PeriodYear), "message": u.Message, "notified": len(notes),
		})
	})
}

// UrgeFilter narrows ListUrges.
type UrgeFilter struct {
	Scope  Scope
	UnitID int64 // 0: every unit in scope
	Limit  int
	Offset int
}

// ListUrges returns urges newest first, and the total.
func (s *Store) ListUrges(ctx context.Context, f UrgeFilter) ([]Urge, int, error) {
	prefix, where, args := "", []string{"1 = 1"}, []any{}
	if !f.Scope.All {
		p, a := scopeCTE(f.Scope.Roots)
		prefix, args = p, a
		where = append(where, `g.unit_id IN (SELECT id FROM sub)`)
	}
	if f.UnitID != 0 {
		where = append(where, `g.unit_id = ?`)
		args = append(args, f.UnitID)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(prefix+`SELECT COUNT(*) FROM urges g WHERE `+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count urges: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(prefix+`SELECT g.id, g.unit_id, un.name, COALESCE(g.template_id, 0), COALESCE(t.name, ''), COALESCE(g.report_id, 0),
		g.period_type, g.period_year, g.period_number, g.message, COALESCE(g.sent_by, 0), g.sent_by_name, g.created_at
		FROM urges g JOIN units un ON un.id = g.unit_id LEFT JOIN report_templates t ON t.id = g.template_id
		WHERE `+cond+` ORDER BY g.created_at DESC, g.id DESC`+limitOffset(f.Limit, f.Offset)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("urges: %w", err)
	}
	defer rows.Close()
	var out []Urge
	for rows.Next() {
		var u Urge
		var at Time
		if err := rows.Scan(&u.ID, &u.UnitID, &u.UnitName, &u.TemplateID, &u.TemplateName, &u.ReportID, &u.PeriodType, &u.PeriodYear, &u.PeriodNumber, &u.Message, &u.SentBy, &u.SentByName, &at); err != nil {
			return nil, 0, err
		}
		u.CreatedAt = at.Time
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// --- inspection and supervision ---

// UnitRef names a unit.
type UnitRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// UserRef names a user.
type UserRef struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
}

// Inspection is a plan of inspection or supervision.
type Inspection struct {
	ID           int64            `json:"id"`
	Kind         string           `json:"kind"`
	Topic        string           `json:"topic"`
	LeadUnitID   int64            `json:"lead_unit_id"`
	LeadUnitName string           `json:"lead_unit_name"`
	StartOn      string           `json:"start_on"`
	EndOn        string           `json:"end_on"`
	Team         string           `json:"team"`
	Status       string           `json:"status"`
	Units        []UnitRef        `json:"units"`
	Members      []UserRef        `json:"members"`
	Findings     []Finding        `json:"findings,omitempty"`
	Recs         []Recommendation `json:"recommendations,omitempty"`
	OpenRecs     int              `json:"open_recommendations"`
	OverdueRecs  int              `json:"overdue_recommendations"`
	CreatedAt    time.Time        `json:"created_at"`
}

// Finding is what the team found at one unit.
type Finding struct {
	ID        int64     `json:"id"`
	UnitID    int64     `json:"unit_id"`
	UnitName  string    `json:"unit_name"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// Recommendation is what a unit must do, by when, tracked to closure.
type Recommendation struct {
	ID              int64     `json:"id"`
	InspectionID    int64     `json:"inspection_id"`
	InspectionTopic string    `json:"inspection_topic,omitempty"`
	UnitID          int64     `json:"unit_id"`
	UnitName        string    `json:"unit_name"`
	Owner           string    `json:"owner"`
	Text            string    `json:"text"`
	DueOn           string    `json:"due_on"`
	Status          string    `json:"status"`
	Response        string    `json:"response"`
	ClosedAt        time.Time `json:"closed_at"`
	CreatedAt       time.Time `json:"created_at"`
	Overdue         bool      `json:"overdue"`
}

// CreateInspection stores a plan with its units and team members, and
// notes (to the inspected units) in the same transaction.
func (s *Store) CreateInspection(ctx context.Context, a audit.Actor, in followup.InspectionInput, notes ...NewNotification) (int64, error) {
	if in.Status == "" {
		in.Status = followup.StatusPlanned
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.ts(s.Now())
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO inspections (kind, topic, lead_unit_id, start_on, end_on, team, status, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Kind, in.Topic, in.LeadUnitID, in.StartOn, in.EndOn, in.Team, in.Status, nullID(a.UserID), now, now)
		if err != nil {
			return fmt.Errorf("create inspection: %w", err)
		}
		for _, u := range in.UnitIDs {
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO inspection_units (inspection_id, unit_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), id, u); err != nil {
				return fmt.Errorf("inspection unit %d: %w", u, err)
			}
		}
		for _, m := range in.MemberIDs {
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO inspection_members (inspection_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), id, m); err != nil {
				return fmt.Errorf("inspection member %d: %w", m, err)
			}
		}
		if err := s.notifyEach(ctx, tx, notes, fmt.Sprintf("/inspections/%d", id), func(n NewNotification) string {
			return fmt.Sprintf("inspection:%d:%d", id, n.UserID)
		}); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "inspection.create", "inspection", id, nil, in)
	})
	return id, err
}

// SetInspectionStatus moves a plan to planned, ongoing or finished.
func (s *Store) SetInspectionStatus(ctx context.Context, a audit.Actor, id int64, status string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var before string
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT status FROM inspections WHERE id = ?`), id).Scan(&before); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("inspection %d: %w", id, ErrNotFound)
			}
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE inspections SET status = ?, updated_at = ? WHERE id = ?`), status, s.ts(s.Now()), id); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "inspection.status", "inspection", id, map[string]string{"status": before}, map[string]string{"status": status})
	})
}

const inspCols = `i.id, i.kind, i.topic, i.lead_unit_id, lu.name, i.start_on, i.end_on, i.team, i.status, i.created_at`

func scanInspection(sc interface{ Scan(...any) error }) (Inspection, error) {
	var in Inspection
	var at Time
	err := sc.Scan(&in.ID, &in.Kind, &in.Topic, &in.LeadUnitID, &in.LeadUnitName, &in.StartOn, &in.EndOn, &in.Team, &in.Status, &at)
	in.CreatedAt = at.Time
	return in, err
}

// ListInspections returns plans in scope (lead or inspected unit in the
// scope's subtrees, or the user on the team), newest start first, with
// their units and counts of open and overdue (as of today) recommendations.
func (s *Store) ListInspections(ctx context.Context, sc Scope, today string, limit, offset int) ([]Inspection, int, error) {
	prefix, cond, rootArgs, condArgs := "", "1 = 1", []any{}, []any{}
	if !sc.All {
		prefix, rootArgs = scopeCTE(sc.Roots)
		cond = `(i.lead_unit_id IN (SELECT id FROM sub) OR EXISTS (SELECT 1 FROM inspection_units iu WHERE iu.inspection_id = i.id AND iu.unit_id IN (SELECT id FROM sub))
			OR EXISTS (SELECT 1 FROM inspection_members im WHERE im.inspection_id = i.id AND im.user_id = ?))`
		condArgs = append(condArgs, sc.UserID)
	}
	args := append(append([]any{}, rootArgs...), condArgs...)
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(prefix+`SELECT COUNT(*) FROM inspections i WHERE `+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count inspections: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(prefix+`SELECT `+inspCols+`,
		(SELECT COUNT(*) FROM inspection_recommendations r WHERE r.inspection_id = i.id AND r.status = 'open'),
		(SELECT COUNT(*) FROM inspection_recommendations r WHERE r.inspection_id = i.id AND r.status = 'open' AND r.due_on < ?)
		FROM inspections i JOIN units lu ON lu.id = i.lead_unit_id WHERE `+cond+` ORDER BY i.start_on DESC, i.id DESC`+limitOffset(limit, offset)), append(append(append([]any{}, rootArgs...), today), condArgs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("inspections: %w", err)
	}
	var out []Inspection
	for rows.Next() {
		var in Inspection
		var at Time
		if err := rows.Scan(&in.ID, &in.Kind, &in.Topic, &in.LeadUnitID, &in.LeadUnitName, &in.StartOn, &in.EndOn, &in.Team, &in.Status, &at, &in.OpenRecs, &in.OverdueRecs); err != nil {
			rows.Close()
			return nil, 0, err
		}
		in.CreatedAt = at.Time
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for i := range out {
		if out[i].Units, err = s.inspectionUnits(ctx, out[i].ID); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

func (s *Store) inspectionUnits(ctx context.Context, id int64) ([]UnitRef, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT u.id, u.name FROM inspection_units iu JOIN units u ON u.id = iu.unit_id WHERE iu.inspection_id = ? ORDER BY u.sort_key, u.name`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UnitRef
	for rows.Next() {
		var u UnitRef
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// GetInspection returns a plan with units, members, findings and
// recommendations (Overdue computed for today).
func (s *Store) GetInspection(ctx context.Context, id int64, today string) (Inspection, error) {
	in, err := scanInspection(s.db.QueryRowContext(ctx, s.q(`SELECT `+inspCols+` FROM inspections i JOIN units lu ON lu.id = i.lead_unit_id WHERE i.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, fmt.Errorf("inspection %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return in, err
	}
	if in.Units, err = s.inspectionUnits(ctx, id); err != nil {
		return in, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT u.id, u.username, u.full_name FROM inspection_members m JOIN users u ON u.id = m.user_id WHERE m.inspection_id = ? ORDER BY u.username`), id)
	if err != nil {
		return in, err
	}
	for rows.Next() {
		var m UserRef
		if err := rows.Scan(&m.ID, &m.Username, &m.FullName); err != nil {
			rows.Close()
			return in, err
		}
		in.Members = append(in.Members, m)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT f.id, f.unit_id, u.name, f.text, f.created_at FROM inspection_findings f JOIN units u ON u.id = f.unit_id WHERE f.inspection_id = ? ORDER BY f.id`), id)
	if err != nil {
		return in, err
	}
	for rows.Next() {
		var f Finding
		var at Time
		if err := rows.Scan(&f.ID, &f.UnitID, &f.UnitName, &f.Text, &at); err != nil {
			rows.Close()
			return in, err
		}
		f.CreatedAt = at.Time
		in.Findings = append(in.Findings, f)
	}
	rows.Close()
	if in.Recs, err = s.recommendations(ctx, today, `r.inspection_id = ?`, id); err != nil {
		return in, err
	}
	for _, r := range in.Recs {
		if r.Status == followup.RecOpen {
			in.OpenRecs++
		}
		if r.Overdue {
			in.OverdueRecs++
		}
	}
	return in, nil
}

func (s *Store) recommendations(ctx context.Context, today, cond string, args ...any) ([]Recommendation, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.id, r.inspection_id, i.topic, r.unit_id, u.name, r.owner, r.text, r.due_on, r.status, r.response, r.closed_at, r.created_at
		FROM inspection_recommendations r JOIN inspections i ON i.id = r.inspection_id JOIN units u ON u.id = r.unit_id WHERE `+cond+` ORDER BY r.due_on, r.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("recommendations: %w", err)
	}
	defer rows.Close()
	var out []Recommendation
	for rows.Next() {
		var r Recommendation
		var closed, created Time
		if err := rows.Scan(&r.ID, &r.InspectionID, &r.InspectionTopic, &r.UnitID, &r.UnitName, &r.Owner, &r.Text, &r.DueOn, &r.Status, &r.Response, &closed, &created); err != nil {
			return nil, err
		}
		r.ClosedAt, r.CreatedAt = closed.Time, created.Time
		r.Overdue = followup.Overdue(r.Status, r.DueOn, today)
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetRecommendation returns one recommendation.
func (s *Store) GetRecommendation(ctx context.Context, id int64, today string) (Recommendation, error) {
	rs, err := s.recommendations(ctx, today, `r.id = ?`, id)
	if err != nil {
		return Recommendation{}, err
	}
	if len(rs) == 0 {
		return Recommendation{}, fmt.Errorf("recommendation %d: %w", id, ErrNotFound)
	}
	return rs[0], nil
}

// AddFinding records a finding at one unit of the inspection, and notes (to
// that unit) in the same transaction.
func (s *Store) AddFinding(ctx context.Context, a audit.Actor, inspectionID, unitID int64, text string, notes ...NewNotification) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO inspection_findings (inspection_id, unit_id, text, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			inspectionID, unitID, text, nullID(a.UserID), s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("add finding: %w", err)
		}
		if err := s.notifyEach(ctx, tx, notes, fmt.Sprintf("/inspections/%d", inspectionID), func(n NewNotification) string {
			return fmt.Sprintf("finding:%d:%d", id, n.UserID)
		}); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "inspection.finding", "inspection", inspectionID, nil, map[string]any{"finding_id": id, "unit_id": unitID, "text": text})
	})
	return id, err
}

// AddRecommendation records a recommendation and notifies the unit (notes'
// dedupe keys are set here from the new id).
func (s *Store) AddRecommendation(ctx context.Context, a audit.Actor, r *Recommendation, notes []NewNotification) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		id, err := s.insertID(ctx, tx, `INSERT INTO inspection_recommendations (inspection_id, unit_id, owner, text, due_on, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.InspectionID, r.UnitID, r.Owner, r.Text, r.DueOn, followup.RecOpen, s.ts(now), s.ts(now))
		if err != nil {
			return fmt.Errorf("add recommendation: %w", err)
		}
		r.ID, r.Status, r.CreatedAt = id, followup.RecOpen, now
		for _, n := range notes {
			n.DedupeKey = fmt.Sprintf("rec:%d:%d", id, n.UserID)
			n.Kind, n.UnitID = followup.KindRecommendation, r.UnitID
			if n.Link == "" {
				n.Link = fmt.Sprintf("/inspections/%d#rec-%d", r.InspectionID, id)
			}
			if _, err := s.notifyTx(ctx, tx, n); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, a, "inspection.recommendation", "inspection", r.InspectionID, nil,
			map[string]any{"recommendation_id": id, "unit_id": r.UnitID, "owner": r.Owner, "text": r.Text, "due_on": r.DueOn})
	})
}

// RespondRecommendation records the unit's response; done closes it, not
// done (re)opens it. notes (to the inspection team) get their dedupe keys here.
func (s *Store) RespondRecommendation(ctx context.Context, a audit.Actor, id int64, response string, done bool, notes []NewNotification) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var beforeStatus, beforeResp string
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT status, response FROM inspection_recommendations WHERE id = ?`), id).Scan(&beforeStatus, &beforeResp); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("recommendation %d: %w", id, ErrNotFound)
			}
			return err
		}
		now := s.Now()
		status, closedAt, closedBy := followup.RecOpen, any(nil), any(nil)
		if done {
			status, closedAt, closedBy = followup.RecDone, s.ts(now), nullID(a.UserID)
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE inspection_recommendations SET response = ?, status = ?, closed_at = ?, closed_by = ?, updated_at = ? WHERE id = ?`),
			response, status, closedAt, closedBy, s.ts(now), id); err != nil {
			return err
		}
		for _, n := range notes {
			n.DedupeKey = fmt.Sprintf("resp:%d:%d:%d", id, n.UserID, now.UnixNano())
			n.Kind = followup.KindResponse
			if _, err := s.notifyTx(ctx, tx, n); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, a, "recommendation.respond", "recommendation", id,
			map[string]string{"status": beforeStatus, "response": beforeResp}, map[string]string{"status": status, "response": response})
	})
}

// UsersByName resolves user names to ids (team members); unknown names are
// returned separately.
func (s *Store) UsersByName(ctx context.Context, names []string) (ids []int64, unknown []string, err error) {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		u, err := s.UserByName(ctx, n)
		if errors.Is(err, ErrNotFound) {
			unknown = append(unknown, n)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, u.ID)
	}
	return ids, unknown, nil
}
