// Command danvan runs the danvan platform: the web server and the
// administrative subcommands that share its configuration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	// The zone database is embedded so that --timezone works on machines
	// without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", runServe},
		{"demo", "create or reuse a data directory with the Thanh Hóa demo, then serve", runDemo},
		{"migrate", "apply database migrations", runMigrate},
		{"import", "import units (CSV) or merges (JSON): import units FILE | import merges FILE", runImport},
		{"user", "manage accounts: user add|grant|passwd|disable|enable|list", runUser},
		{"token", "personal API tokens: token create|list USER, token revoke ID", runToken},
		{"backup", "write a backup of the database: backup FILE", runBackup},
		{"restore", "restore a backup into an empty database: restore FILE|- [--legacy-audit]", runRestore},
		{"audit", "audit log: audit verify | audit rekey", runAudit},
		{"calendar", "days off of a year (statute and recorded decisions): calendar holidays YEAR", runCalendar},
		{"cases", "citizen cases: cases import FILE (CSV register) | cases export [--format csv|xlsx]", runCases},
		{"bench", "benchmarks that print figures: bench report | bench api | bench cases", runBench},
		{"export", "export reports: export report … (DOCX, XLSX, CSV)", runExport},
		{"open311", "Open311 client keys: open311 key create NAME | key list | key revoke ID", runOpen311},
		{"version", "print the version", runVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "danvan %s — mass-mobilisation (dân vận) programme platform\n\nUsage: danvan COMMAND [flags]\n\nCommands:\n", version)
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nEvery command takes --help. Data commands take --data DIR (SQLite) or --db postgres://… (env DANVAN_DATA, DANVAN_DB).\n")
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			if err == nil {
				return 0
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			var ue usageError
			if errors.As(err, &ue) {
				fmt.Fprintln(stderr, "danvan "+c.name+": "+ue.Error())
				return 2
			}
			fmt.Fprintln(stderr, "danvan "+c.name+": "+err.Error())
			return 1
		}
	}
	fmt.Fprintf(stderr, "danvan: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// newFlags makes a flag set that prints a usage line and returns errors.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: danvan %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; flags may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
		if len(args) == 0 {
			return pos, nil
		}
		if !strings.HasPrefix(args[0], "-") {
			continue
		}
	}
}
