package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// BenchmarkSQLiteWrite measures one audited write transaction (a user and
// its audit entry) on SQLite with the writer's synchronous=FULL (the
// default: an acknowledged write survives power loss) and NORMAL.
func BenchmarkSQLiteWrite(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		b.Run("synchronous="+sync, func(b *testing.B) {
			opts := storetest.Options(b)
			opts.Synchronous = sync
			st, err := store.Open(ctx, filepath.Join(opts.DataDir, "b.db"), opts)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if _, err := st.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				u := account.User{Username: fmt.Sprintf("u%d", i), FullName: "Người dùng", PasswordHash: "x"}
				if err := st.CreateUser(ctx, sys, &u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSQLiteReadWhileWriting reads one unit while another goroutine
// keeps a write transaction open most of the time: reads go to the read
// pool and do not wait for the writer.
func BenchmarkSQLiteReadWhileWriting(b *testing.B) {
	opts := storetest.Options(b)
	st, err := store.Open(ctx, filepath.Join(opts.DataDir, "b.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	u := account.User{Username: "reader", FullName: "Người đọc", PasswordHash: "x"}
	if err := st.CreateUser(ctx, sys, &u); err != nil {
		b.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for wctx.Err() == nil {
			tx, err := st.DB().BeginTx(ctx, nil)
			if err != nil {
				return
			}
			_, _ = tx.Exec(`UPDATE users SET full_name = full_name WHERE id = ?`, u.ID)
			time.Sleep(20 * time.Millisecond) // a long write transaction
			_ = tx.Commit()
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.UserByName(ctx, "reader"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	stop()
	wg.Wait()
}
