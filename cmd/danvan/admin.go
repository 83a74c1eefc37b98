package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
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
	if pos[0] == "merges" {
		ms, err := org.ParseMergesJSON(f)
		if err != nil {
			return err
		}
		eff, err := time.Parse(org.DateLayout, effective)
		if err != nil {
			return usagef("--effective: not a date YYYY-MM-DD")
		}
		n, err := st.ImportMerges(ctx, cli(), ms, effective, eff.AddDate(0, 0, -1).Format(org.DateLayout))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "recorded %d successor link(s) for %d new unit(s)\n", n, len(ms))
		return nil
	}
	if opt.ValidFrom == "" {
		opt.ValidFrom = time.Now().Format(org.DateLayout)
	}
	rows, err := org.ParseCSV(f, opt)
	if err != nil {
		return err
	}
	res, err := st.ImportUnits(ctx, cli(), rows)
	if err != nil {
		return err
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

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user", `user add USERNAME --name "FULL NAME" [--email E]   (password on stdin or DANVAN_PASSWORD)
       danvan user grant USERNAME ROLE UNIT_CODE_OR_ID
       danvan user passwd USERNAME                             (password on stdin or DANVAN_PASSWORD)
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
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	switch pos[0] {
	case "add":
		if len(pos) != 2 {
			return usagef("want: user add USERNAME --name NAME")
		}
		if err := account.ValidUsername(pos[1]); err != nil {
			return usagef("user name: lower-case letters, digits, '.', '-', '_' (2–64)")
		}
		if name == "" {
			name = pos[1]
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if err := account.CheckPasswordStrength(pw); err != nil {
			return usagef("password must have at least 10 characters")
		}
		hash, err := account.HashPassword(pw)
		if err != nil {
			return err
		}
		u := account.User{Username: pos[1], FullName: name, Email: email, PasswordHash: hash}
		if err := st.CreateUser(ctx, cli(), &u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("user %s already exists", pos[1])
			}
			return err
		}
		fmt.Fprintf(stdout, "created user %s (id %d)\n", u.Username, u.ID)
	case "grant":
		if len(pos) != 4 {
			return usagef("want: user grant USERNAME ROLE UNIT")
		}
		u, err := st.UserByName(ctx, pos[1])
		if err != nil {
			return fmt.Errorf("no user %s", pos[1])
		}
		role, err := authz.ParseRole(pos[2])
		if err != nil {
			return usagef("%v; roles: %s", err, roleList())
		}
		unit, err := findUnit(ctx, st, pos[3])
		if err != nil {
			return err
		}
		if err := st.AddGrant(ctx, cli(), u.ID, role, unit.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "granted %s to %s on %s\n", role, u.Username, unit.Name)
	case "passwd":
		if len(pos) != 2 {
			return usagef("want: user passwd USERNAME")
		}
		u, err := st.UserByName(ctx, pos[1])
		if err != nil {
			return fmt.Errorf("no user %s", pos[1])
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if err := account.CheckPasswordStrength(pw); err != nil {
			return usagef("password must have at least 10 characters")
		}
		hash, err := account.HashPassword(pw)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, cli(), u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password changed for %s; their sessions were ended\n", u.Username)
	case "list":
		us, total, err := st.ListUsers(ctx, "", 500, 0)
		if err != nil {
			return err
		}
		for _, u := range us {
			gs, _ := st.UserGrants(ctx, u.ID)
			var roles []string
			for _, g := range gs {
				roles = append(roles, string(g.Role)+"@"+g.UnitName)
			}
			fmt.Fprintf(stdout, "%-16s %-40s %s\n", u.Username, u.FullName, strings.Join(roles, ", "))
		}
		fmt.Fprintf(stdout, "%d user(s)\n", total)
	default:
		return usagef("unknown subcommand %q (add, grant, passwd, list)", pos[0])
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
	if u, err := st.UnitByCode(ctx, s, time.Now().Format(org.DateLayout)); err == nil {
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
	fs := newFlags("token", "token create USERNAME [--name LABEL]", stderr)
	label := "cli"
	fs.StringVar(&label, "name", label, "a label to recognise the token by")
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "create" {
		return usagef("want: token create USERNAME")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByName(ctx, pos[1])
	if err != nil {
		return fmt.Errorf("no user %s", pos[1])
	}
	tok, hash, err := account.NewToken("dvt_")
	if err != nil {
		return err
	}
	if _, err := st.CreateToken(ctx, cli(), u.ID, label, hash); err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "backup FILE [--data DIR | --db URL]   (FILE - writes to standard output)", stderr)
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want: backup FILE")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	var w io.Writer = stdout
	var tmp *os.File
	if pos[0] != "-" {
		// Write beside the target and rename: a crash never leaves half a backup under the real name.
		tmp, err = os.CreateTemp(dirOf(pos[0]), ".danvan-backup-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		w = tmp
	}
	n, err := st.Backup(ctx, w)
	if err != nil {
		return err
	}
	if tmp != nil {
		if err := tmp.Sync(); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "backed up %d row(s) to %s\n", n, pos[0])
	}
	return nil
}

func dirOf(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i+1]
	}
	return "."
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", "restore FILE [--data DIR | --db URL]   (into an empty database)", stderr)
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want: restore FILE")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Restore(ctx, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %d row(s); audit chain verified\n", n)
	return nil
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit", "audit verify [--data DIR | --db URL]", stderr)
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "verify" {
		return usagef("want: audit verify")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("after %d good entries: %w", n, err)
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries verified\n", n)
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
