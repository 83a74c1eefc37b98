package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/service"
)

// runCalendar prints a year's days off beyond the weekly rest days (the
// statute and the recorded yearly decisions) and the weekend days made
// working days, one a line: date, kind, source.
func runCalendar(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calendar", "calendar holidays YEAR", stderr)
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "holidays" {
		return usagef("want: calendar holidays YEAR")
	}
	year, err := strconv.Atoi(pos[1])
	if err != nil {
		return usagef("YEAR must be a number, e.g. 2026")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := service.New(ctx, service.Deps{Store: st, Cfg: cfg, Policy: account.DefaultPolicy})
	if err != nil {
		return err
	}
	days, err := svc.Calendar.Holidays(ctx, year)
	if err != nil {
		return invalidUsage(err)
	}
	for _, d := range days {
		source := "statute"
		if len(d.Sources) > 0 {
			source = d.Sources[0].Source
		}
		kind := d.Kind
		if d.Compensates != "" {
			kind += " for " + d.Compensates
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", d.Date, kind, source)
	}
	return nil
}
