package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// cli is the audit actor for command-line changes.
func cli() audit.Actor {
	name := os.Getenv("USER")
	if name == "" {
		name = "cli"
	}
	return audit.Actor{Name: "cli:" + name}
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "migrate [--data DIR | --db URL]", stderr)
	cfg, _, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := st.SchemaVersion(ctx)
	fmt.Fprintf(stdout, "applied %d migration(s); schema version %d (%s)\n", n, v, st.Dialect())
	return nil
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "import units FILE [--valid-from DATE] [--valid-to DATE] [--province CODE] [--parent CODE]\n       danvan import merges FILE [--effective DATE]", stderr)
	var opt org.ImportOptions
	effective := "2025-07-01"
	fs.StringVar(&opt.ValidFrom, "valid-from", "", "validity start for rows that do not give one (YYYY-MM-DD)")
	fs.StringVar(&opt.ValidTo, "valid-to", "", "validity end for rows that do not give one")
	fs.StringVar(&opt.Province, "province", "", "national commune list: keep only this province code (e.g. 38)")
	fs.StringVar(&opt.ParentCode, "parent", "", "parent unit code for rows without one")
	fs.StringVar(&effective, "effective", effective, "merges: date the new units begin")
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "units" && pos[0] != "merges") {
		return usagef("want: import units FILE | import merges FILE")
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := service.New(ctx, service.Deps{Store: st, Cfg: cfg, Policy: account.DefaultPolicy})
	if err != nil {
		return err
	}
	if pos[0] == "merges" {
		ms, err := org.ParseMergesJSON(f)
		if err != nil {
			return err
		}
		n, err := svc.Units.ImportMerges(ctx, cliPrincipal(), ms, effective)
		if err != nil {
			return invalidUsage(err)
		}
		fmt.Fprintf(stdout, "recorded %d successor link(s) for %d new unit(s)\n", n, len(ms))
		return nil
	}
	if opt.ValidFrom == "" {
		opt.ValidFrom = svc.Today()
	}
	rows, err := org.ParseCSV(f, opt)
	if err != nil {
		return err
	}
	res, err := svc.Units.Import(ctx, cliPrincipal(), rows)
	if err != nil {
		return invalidUsage(err)
	}
	fmt.Fprintf(stdout, "%d row(s): %d created, %d updated, %d unchanged\n", len(rows), res.Created, res.Updated, res.Unchanged)
	return nil
}

// readPassword takes a password from DANVAN_PASSWORD or the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	if pw := os.Getenv("DANVAN_PASSWORD"); pw != "" {
		return pw, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", usagef("give the password on standard input or in DANVAN_PASSWORD")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

var stdin io.Reader = os.Stdin

// accounts wires the services over st for a command acting as the
// installation (the system principal).
func accounts(ctx context.Context, st *store.Store, cfg config.Config) (*service.Accounts, error) {
	svc, err := service.New(ctx, service.Deps{Store: st, Cfg: cfg, Policy: account.DefaultPolicy})
	if err != nil {
		return nil, err
	}
	return svc.Accounts, nil
}

// cliPrincipal is who the command line acts as: the installation, named
// after the operating-system user in the audit log.
func cliPrincipal() *service.Principal {
	p := service.SystemPrincipal()
	p.User.Username = cli().Name
	return p
}

// invalidUsage turns a service's invalid-input error into a usage error
// with the English messages, field by field.
func invalidUsage(err error) error {
	inv, ok := service.AsInvalid(err)
	if !ok {
		return err
	}
	var l i18n.Locale
	if b, berr := i18n.Load(); berr == nil {
		l = b.For("en")
	}
	var parts []string
	for _, f := range inv.Fields {
		msg := f.Key
		if l.Has(f.Key) || l.Has(f.Key+".other") {
			msg = f.Text(l)
		}
		parts = append(parts, f.Field+": "+msg)
	}
	return usagef("%s", strings.Join(parts, "; "))
}

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user", `user add USERNAME --name "FULL NAME" [--email E]   (password on stdin or DANVAN_PASSWORD)
       danvan user grant USERNAME ROLE UNIT_CODE_OR_ID
       danvan user passwd USERNAME                             (password on stdin or DANVAN_PASSWORD)
       danvan user disable USERNAME                            ends sessions, revokes API tokens
       danvan user enable USERNAME
       danvan user list

Roles: `+roleList(), stderr)
	var name, email string
	fs.StringVar(&name, "name", "", "full name (add)")
	fs.StringVar(&email, "email", "", "e-mail address (add)")
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return usagef("missing subcommand")
	}
	want := map[string]int{"add": 2, "grant": 4, "passwd": 2, "disable": 2, "enable": 2, "list": 1}
	n, known := want[pos[0]]
	if !known {
		return usagef("unknown subcommand %q (add, grant, passwd, disable, enable, list)", pos[0])
	}
	if len(pos) != n {
		return usagef("want: %s", map[string]string{
			"add": "user add USERNAME --name NAME", "grant": "user grant USERNAME ROLE UNIT", "passwd": "user passwd USERNAME",
			"disable": "user disable USERNAME", "enable": "user enable USERNAME", "list": "user list",
		}[pos[0]])
	}
	if pos[0] == "grant" {
		if _, err := authz.ParseRole(pos[2]); err != nil {
			return usagef("%v; roles: %s", err, roleList())
		}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	acc, err := accounts(ctx, st, cfg)
	if err != nil {
		return err
	}
	p := cliPrincipal()
	byName := func(name string) (service.User, error) {
		u, err := acc.UserByName(ctx, p, name)
		if errors.Is(err, service.ErrNotFound) {
			return u, fmt.Errorf("no user %s", name)
		}
		return u, err
	}
	switch pos[0] {
	case "add":
		if name == "" {
			name = pos[1]
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u, err := acc.CreateUser(ctx, p, service.NewUser{Username: pos[1], FullName: name, Email: email, Password: pw})
		if errors.Is(err, service.ErrUserExists) {
			return fmt.Errorf("user %s already exists", pos[1])
		}
		if err != nil {
			return invalidUsage(err)
		}
		fmt.Fprintf(stdout, "created user %s (id %d)\n", u.Username, u.ID)
	case "grant":
		u, err := byName(pos[1])
		if err != nil {
			return err
		}
		unit, err := findUnit(ctx, st, pos[3])
		if err != nil {
			return err
		}
		g, _, err := acc.Grant(ctx, p, service.GrantInput{UserID: u.ID, Role: pos[2], UnitID: unit.ID})
		if err != nil {
			return invalidUsage(err)
		}
		fmt.Fprintf(stdout, "granted %s to %s on %s\n", g.Role, u.Username, unit.Name)
	case "passwd":
		u, err := byName(pos[1])
		if err != nil {
			return err
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if err := acc.ResetPassword(ctx, p, u.ID, pw); err != nil {
			return invalidUsage(err)
		}
		fmt.Fprintf(stdout, "password changed for %s; their sessions were ended and their API tokens revoked\n", u.Username)
	case "disable", "enable":
		u, err := byName(pos[1])
		if err != nil {
			return err
		}
		disable := pos[0] == "disable"
		err = acc.SetDisabled(ctx, p, u.ID, disable)
		if errors.Is(err, service.ErrLastAdmin) {
			return fmt.Errorf("%s holds the last administrator role of an enabled account; grant it to someone else first", u.Username)
		}
		if err != nil {
			return err
		}
		if disable {
			fmt.Fprintf(stdout, "disabled %s; their sessions were ended and their API tokens revoked\n", u.Username)
		} else {
			fmt.Fprintf(stdout, "enabled %s\n", u.Username)
		}
	case "list":
		us, total, err := acc.ListUsers(ctx, p, "", 500, 0)
		if err != nil {
			return err
		}
		for _, u := range us {
			gs, _ := acc.UserGrants(ctx, p, u.ID)
			var roles []string
			for _, g := range gs {
				roles = append(roles, string(g.Role)+"@"+g.UnitName)
			}
			state := ""
			if u.Disabled {
				state = " (disabled)"
			}
			fmt.Fprintf(stdout, "%-16s %-40s %s%s\n", u.Username, u.FullName, strings.Join(roles, ", "), state)
		}
		fmt.Fprintf(stdout, "%d user(s)\n", total)
	}
	return nil
}

func roleList() string {
	var rs []string
	for _, r := range authz.AllRoles() {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}

// findUnit accepts a unit's official code (valid today) or its numeric id.
func findUnit(ctx context.Context, st *store.Store, s string) (org.Unit, error) {
	today := st.Now().In(service.Vietnam).Format(org.DateLayout)
	if u, err := st.UnitByCode(ctx, s, today); err == nil {
		return u, nil
	}
	var id int64
	if _, err := fmt.Sscan(s, &id); err == nil {
		if u, err := st.GetUnit(ctx, id); err == nil {
			return u, nil
		}
	}
	return org.Unit{}, fmt.Errorf("no unit with code or id %s valid today", s)
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token", `token create USERNAME [--name LABEL] [--days N]   prints a new token once
       danvan token list USERNAME                                  the user's tokens
       danvan token revoke ID                                      answers 401 from the next request`, stderr)
	label := "cli"
	days := service.TokenDaysDefault
	fs.StringVar(&label, "name", label, "a label to recognise the token by (create)")
	fs.IntVar(&days, "days", days, fmt.Sprintf("lifetime in days, 1–%d (create)", service.TokenDaysMax))
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "create" && pos[0] != "list" && pos[0] != "revoke") {
		return usagef("want: token create USERNAME | token list USERNAME | token revoke ID")
	}
	var id int64
	if pos[0] == "revoke" {
		if id, err = strconv.ParseInt(pos[1], 10, 64); err != nil || id <= 0 {
			return usagef("token revoke: ID is a token number (see token list)")
		}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	acc, err := accounts(ctx, st, cfg)
	if err != nil {
		return err
	}
	p := cliPrincipal()
	switch pos[0] {
	case "create":
		tok, _, err := acc.CreateTokenFor(ctx, p, pos[1], service.NewToken{Name: label, Days: days})
		if errors.Is(err, service.ErrNotFound) {
			return fmt.Errorf("no user %s", pos[1])
		}
		if err != nil {
			return invalidUsage(err)
		}
		fmt.Fprintln(stdout, tok)
	case "list":
		ts, err := acc.UserTokens(ctx, p, pos[1])
		if errors.Is(err, service.ErrNotFound) {
			return fmt.Errorf("no user %s", pos[1])
		}
		if err != nil {
			return err
		}
		now := acc.Now()
		for _, t := range ts {
			state := "active"
			switch {
			case !t.RevokedAt.IsZero():
				state = "revoked " + t.RevokedAt.Format(time.RFC3339)
			case !t.Active(now):
				state = "expired"
			}
			expires, used := "never", "never"
			if !t.ExpiresAt.IsZero() {
				expires = t.ExpiresAt.Format(time.RFC3339)
			}
			if !t.LastUsedAt.IsZero() {
				used = t.LastUsedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%-6d %-24s created %s  expires %s  last used %s  %s\n", t.ID, t.Name, t.CreatedAt.Format(time.RFC3339), expires, used, state)
		}
		fmt.Fprintf(stdout, "%d token(s)\n", len(ts))
	case "revoke":
		if err := acc.RevokeToken(ctx, p, id); errors.Is(err, service.ErrNotFound) {
			return fmt.Errorf("no token %d", id)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %d\n", id)
	}
	return nil
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "version", stderr)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "danvan %s\n", version)
	return nil
}
