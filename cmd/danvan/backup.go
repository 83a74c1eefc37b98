package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/store"
)

// storeOptions are the store settings that come from the configuration: the
// audit key (DANVAN_AUDIT_KEY), the data directory that holds the key file
// and the audit checkpoints on either engine, and SQLite's synchronous mode.
func storeOptions(cfg config.Config) store.Options {
	return store.Options{DataDir: cfg.DataDir, AuditKey: cfg.AuditKey, Synchronous: cfg.SQLiteSynchronous}
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
	fs := newFlags("restore", "restore FILE [--data DIR | --db URL]   (into an empty database; FILE - reads standard input)\n"+
		"  The backup's audit chain must verify with this installation's audit key (DANVAN_AUDIT_KEY,\n"+
		"  or audit.key in the data directory: copy it from the source); otherwise nothing is written.", stderr)
	legacy := fs.Bool("legacy-audit", false, "the backup comes from a version whose audit log was an unkeyed hash chain: check that chain, then key it")
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want: restore FILE")
	}
	var in io.Reader = stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	restore := st.Restore
	if *legacy {
		restore = st.RestoreLegacy
	}
	n, err := restore(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %d row(s); audit chain verified\n", n)
	return nil
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit", "audit verify [--data DIR | --db URL]   walks the whole keyed chain and checks it against the signed checkpoints\n"+
		"       danvan audit rekey  [--data DIR | --db URL]   once, after upgrading: keys the unkeyed chain of an earlier version", stderr)
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "verify" && pos[0] != "rekey") {
		return usagef("want: audit verify, or audit rekey")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if pos[0] == "rekey" {
		n, err := st.RekeyAudit(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "audit log re-keyed: %d entries\n", n)
		return nil
	}
	n, err := st.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("after %d good entries: %w", n, err)
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries verified\n", n)
	return nil
}
