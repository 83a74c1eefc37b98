// Package jobs runs danvan's scheduled work inside the server process:
// report reminders before a deadline and after it is missed (in the app and
// by e-mail), reminders about citizen cases, and delivery of the e-mail
// outbox with retry and backoff.
// Every job is deterministic given the store's clock, so tests drive it
// with st.SetClock and call the Run functions directly.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/mail"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// Intervals of the loops.
const (
	ReminderEvery = 5 * time.Minute
	OutboxEvery   = 30 * time.Second
)

// Options tunes the jobs; the zero value means the defaults.
type Options struct {
	Reminders followup.Reminders
	Bundle    *i18n.Bundle
	// Tree is the organisation the reminders walk; nil: loaded from the
	// store on each run.
	Tree *service.Tree
}

// OptionsFromEnv reads DANVAN_REMIND_BEFORE ("3,1") and DANVAN_REMIND_AFTER
// ("1,3,7"); a malformed value is logged and the default kept.
func OptionsFromEnv(log *slog.Logger) Options {
	o := Options{Reminders: followup.DefaultReminders}
	for name, dst := range map[string]*[]int{"DANVAN_REMIND_BEFORE": &o.Reminders.Before, "DANVAN_REMIND_AFTER": &o.Reminders.After} {
		if v, ok := os.LookupEnv(name); ok {
			days, err := followup.ParseDays(v)
			if err != nil {
				log.Warn("reminder days ignored", "variable", name, "err", err)
				continue
			}
			*dst = days
		}
	}
	return o
}

// Start runs the reminder job every few minutes (and once at once) and,
// when an SMTP server is configured, the outbox sender. stop cancels both
// and waits for them to finish.
func Start(ctx context.Context, st *store.Store, cfg config.Config, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	opts := OptionsFromEnv(log)
	opts.Tree = newTree(st)
	owner := OutboxOwner()
	var wg sync.WaitGroup
	every := func(d time.Duration, f func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(d)
			defer t.Stop()
			for {
				f(ctx)
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	every(ReminderEvery, func(ctx context.Context) {
		n, err := RunReminders(ctx, st, cfg, opts)
		if err != nil && ctx.Err() == nil {
			log.Error("reminders", "err", err)
		} else if n > 0 {
			log.Info("reminders sent", "notifications", n)
		}
	})
	every(ReminderEvery, caseReminders(st, cfg, log))
	if sender := mail.NewSender(cfg.SMTP); sender != nil {
		every(OutboxEvery, func(ctx context.Context) {
			sent, failed, err := DeliverOutboxAs(ctx, st, sender, log, owner)
			if err != nil && ctx.Err() == nil {
				log.Error("outbox", "err", err)
			} else if sent+failed > 0 {
				log.Info("outbox", "sent", sent, "failed", failed)
			}
		})
	} else {
		log.Info("e-mail disabled (no SMTP server configured); notifications stay in the app")
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

// Backoff is the wait before attempt n+1 after n failed attempts: one
// minute, doubling, at most six hours.
func Backoff(attempts int) time.Duration {
	d := time.Minute
	for i := 0; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// OutboxLease is how long a claimed e-mail stays with the replica that
// claimed it; a replica that dies mid-batch leaves its claims to expire, and
// another one sends them then.
const OutboxLease = 5 * time.Minute

// OutboxOwner names this process in outbox claims: host, process id and a
// random part, so that two replicas (or two runners in one process) never
// share a name.
func OutboxOwner() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + ":" + strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(b[:])
}

var processOwner = OutboxOwner()

// DeliverOutbox is [DeliverOutboxAs] under this process's owner name.
func DeliverOutbox(ctx context.Context, st *store.Store, sender *mail.Sender, log *slog.Logger) (sent, failed int, err error) {
	return DeliverOutboxAs(ctx, st, sender, log, processOwner)
}

// DeliverOutboxAs claims due e-mails in batches (with a lease, so that other
// replicas skip them), sends each once, and records successes and failures
// (with the next attempt's time).
func DeliverOutboxAs(ctx context.Context, st *store.Store, sender *mail.Sender, log *slog.Logger, owner string) (sent, failed int, err error) {
	for {
		batch, err := st.ClaimMail(ctx, owner, OutboxLease, 50)
		if err != nil {
			return sent, failed, err
		}
		if len(batch) == 0 {
			return sent, failed, nil
		}
		for i, m := range batch {
			if ctx.Err() != nil {
				// Give the rest back at once rather than when the lease ends.
				for _, r := range batch[i:] {
					_ = st.ReleaseMail(context.WithoutCancel(ctx), r.ID, owner)
				}
				return sent, failed, ctx.Err()
			}
			if serr := sender.Send(ctx, mail.Message{To: m.To, Subject: m.Subject, Body: m.Body}); serr != nil {
				failed++
				if log != nil {
					log.Warn("e-mail not delivered", "outbox_id", m.ID, "attempt", m.Attempts+1, "err", serr)
				}
				if err := st.MailFailed(ctx, m.ID, owner, serr.Error(), st.Now().Add(Backoff(m.Attempts))); err != nil {
					return sent, failed, err
				}
				continue
			}
			sent++
			if err := st.MailSent(ctx, m.ID, owner); err != nil {
				return sent, failed, err
			}
		}
	}
}

// due is one expected report: a unit, a template, a period and its deadline.
type due struct {
	templateID   int64
	templateName string
	unitID       int64
	periodType   string
	year, number int
	dueOn        calendar.Date
	reportID     int64
	status       string
}

func (d due) key() string {
	return fmt.Sprintf("%d:%d:%s:%d:%d", d.templateID, d.unitID, d.periodType, d.year, d.number)
}

// Today is the store clock's date in Vietnam.
func Today(st *store.Store) calendar.Date { return calendar.DateOf(st.Now().In(calendar.Vietnam)) }

// newTree is the organisation as the reminders see it.
func newTree(st *store.Store) *service.Tree {
	return service.NewTree(func(ctx context.Context) ([]org.Unit, int64, error) { return st.AllUnits(ctx) }, st.UnitsChanged)
}

// expected lists the reports due (or overdue) within the reminder horizon
// of today: every unit that must report ([service.ExpectedUnits], the rule
// completeness and the dashboard use), whether or not its report exists
// yet, plus reports stored with a due date in the horizon; stored reports
// give their own due date and status.
func expected(ctx context.Context, st *store.Store, tree *service.Tree, opts Options, today calendar.Date) ([]due, error) {
	from, to := opts.Reminders.Horizon(today)
	templates, err := st.ListTemplates(ctx, true)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []due
	for _, t := range templates {
		scheds, err := st.ListSchedules(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		if len(scheds) == 0 {
			continue
		}
		for y := today.Year() - 1; y <= today.Year()+1; y++ {
			for _, w := range report.Windows(t.Rule(), t.PeriodType, y) {
				// Skip windows none of whose levels falls in the horizon.
				inRange := false
				for _, sc := range scheds {
					for _, l := range sc.Deadlines {
						if d := service.DueDate(st.WorkingCalendar(ctx), w, l); !d.Before(from) && !d.After(to) {
							inRange = true
						}
					}
				}
				if !inRange {
					continue
				}
				units, err := service.ExpectedUnits(ctx, st.WorkingCalendar(ctx), tree, scheds, w, 0)
				if err != nil {
					return nil, err
				}
				existing, err := st.ReportsOfPeriod(ctx, t.ID, string(t.PeriodType), w.Year, w.Number)
				if err != nil {
					return nil, err
				}
				byUnit := map[int64]store.ReportState{}
				for _, r := range existing {
					byUnit[r.UnitID] = r
				}
				for _, u := range units {
					d := due{templateID: t.ID, templateName: t.Name, unitID: u.UnitID, periodType: string(t.PeriodType), year: w.Year, number: w.Number}
					if seen[d.key()] {
						continue
					}
					dueOn := u.DueOn
					if r, ok := byUnit[u.UnitID]; ok {
						d.reportID, d.status = r.ID, r.Status
						if r.DueOn != "" {
							dueOn = r.DueOn
						}
					}
					dd, err := calendar.ParseDate(dueOn)
					if err != nil {
						continue
					}
					d.dueOn = dd
					seen[d.key()] = true
					out = append(out, d)
				}
			}
		}
	}
	stored, err := st.ReportsDueBetween(ctx, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	for _, r := range stored {
		d := due{templateID: r.TemplateID, templateName: r.TemplateName, unitID: r.UnitID, periodType: r.PeriodType, year: r.PeriodYear, number: r.PeriodNumber, reportID: r.ID, status: r.Status}
		if seen[d.key()] {
			continue
		}
		dd, err := calendar.ParseDate(r.DueOn)
		if err != nil {
			continue
		}
		d.dueOn = dd
		seen[d.key()] = true
		out = append(out, d)
	}
	return out, nil
}

// done reports whether a report needs no reminder.
func done(status string) bool { return status == "submitted" || status == "accepted" }

// RunReminders sends the reminders due today and returns how many
// notifications it created. Running it again the same day creates none.
func RunReminders(ctx context.Context, st *store.Store, cfg config.Config, opts Options) (int, error) {
	if opts.Reminders.Before == nil && opts.Reminders.After == nil {
		opts.Reminders = followup.DefaultReminders
	}
	bundle := opts.Bundle
	if bundle == nil {
		bundle = i18n.Default()
	}
	today := Today(st)
	tree := opts.Tree
	if tree == nil {
		tree = newTree(st)
	}
	// Units may have changed on another replica: read them again.
	if err := tree.Reload(ctx); err != nil {
		return 0, fmt.Errorf("reminders: %w", err)
	}
	items, err := expected(ctx, st, tree, opts, today)
	if err != nil {
		return 0, fmt.Errorf("reminders: %w", err)
	}
	unitNames := map[int64]string{}
	recipients := map[int64][]store.Recipient{}
	var notes []store.NewNotification
	for _, it := range items {
		if done(it.status) {
			continue
		}
		stage, ok := opts.Reminders.StageOn(today, it.dueOn)
		if !ok {
			continue
		}
		rs, ok := recipients[it.unitID]
		if !ok {
			if rs, err = st.UnitRecipients(ctx, it.unitID); err != nil {
				return 0, err
			}
			recipients[it.unitID] = rs
			u, _ := tree.Unit(it.unitID)
			unitNames[it.unitID] = u.Name
		}
		link := "/reports"
		if it.reportID != 0 {
			link = fmt.Sprintf("/reports/%d", it.reportID)
		}
		kind := followup.KindReminderDue
		if stage.Late {
			kind = followup.KindReminderLate
		}
		for _, r := range rs {
			l := bundle.For(r.Locale)
			period := followup.PeriodLabel(l, it.periodType, it.year, it.number)
			subject, body := followup.ReminderText(l, stage, it.templateName, unitNames[it.unitID], period, it.dueOn.String())
			n := store.NewNotification{
				UserID: r.UserID, UnitID: it.unitID, Kind: kind, Subject: subject, Body: body, Link: link,
				DedupeKey: followup.ReminderKey(it.templateID, it.unitID, it.periodType, it.year, it.number, stage, r.UserID),
			}
			if cfg.SMTP.Addr != "" && r.Email != "" {
				n.Email = r.Email
				n.MailBody = followup.MailBody(cfg, body, link)
			}
			notes = append(notes, n)
		}
	}
	if len(notes) == 0 {
		return 0, nil
	}
	return st.Notify(ctx, audit.System("reminders"), "reminder", notes)
}
