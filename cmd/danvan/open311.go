package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/service"
)

// runOpen311 manages the keys of the Open311 client applications.
func runOpen311(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("open311", `open311 key create NAME   prints a new key once
       danvan open311 key list          every key, revoked ones included
       danvan open311 key revoke ID     the key submits no more`, stderr)
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) < 2 || pos[0] != "key" || (pos[1] == "list") != (len(pos) == 2) || len(pos) > 3 ||
		(pos[1] != "create" && pos[1] != "list" && pos[1] != "revoke") {
		return usagef("want: open311 key create NAME | open311 key list | open311 key revoke ID")
	}
	var id int64
	if pos[1] == "revoke" {
		if id, err = strconv.ParseInt(pos[2], 10, 64); err != nil || id <= 0 {
			return usagef("open311 key revoke: ID is a key number (see open311 key list)")
		}
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
	keys, p := svc.Open311Keys, cliPrincipal()
	switch pos[1] {
	case "create":
		key, _, err := keys.Create(ctx, p, pos[2])
		if err != nil {
			return invalidUsage(err)
		}
		fmt.Fprintln(stdout, key)
	case "list":
		ks, err := keys.List(ctx, p)
		if err != nil {
			return err
		}
		for _, k := range ks {
			state := "active"
			if !k.RevokedAt.IsZero() {
				state = "revoked " + k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%-6d %-32s created %s  %s\n", k.ID, k.Name, k.CreatedAt.Format(time.RFC3339), state)
		}
		fmt.Fprintf(stdout, "%d key(s)\n", len(ks))
	case "revoke":
		if err := keys.Revoke(ctx, p, id); errors.Is(err, service.ErrNotFound) {
			return fmt.Errorf("no key %d", id)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked key %d\n", id)
	}
	return nil
}
