package jobs

import (
	"context"
	"log/slog"

	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// RunCaseReminders sends today's reminders about citizen cases (see
// [service.CaseStats.CaseReminders]: before the deadline, when it passed,
// and to the parent unit when long overdue) and returns how many notices it
// created. Running it again the same day creates none.
func RunCaseReminders(ctx context.Context, svc *service.Services) (int, error) {
	return svc.CaseStats.CaseReminders(ctx)
}

// caseReminders is the loop body of the case reminders; the services are
// built on the first run.
func caseReminders(st *store.Store, cfg config.Config, log *slog.Logger) func(context.Context) {
	var svc *service.Services
	return func(ctx context.Context) {
		if svc == nil {
			s, err := service.New(ctx, service.Deps{Store: st, Cfg: cfg, Log: log})
			if err != nil {
				if ctx.Err() == nil {
					log.Error("case reminders", "err", err)
				}
				return
			}
			svc = s
		}
		n, err := RunCaseReminders(ctx, svc)
		if err != nil && ctx.Err() == nil {
			log.Error("case reminders", "err", err)
		} else if n > 0 {
			log.Info("case reminders sent", "notifications", n)
		}
	}
}
