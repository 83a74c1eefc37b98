package store_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/store/storetest"
)

// BenchmarkAuditedWritesParallel runs audited write transactions (a user and
// its audit entry) from 16 goroutines on the engine under test: on
// PostgreSQL they no longer queue behind one lock for the audit chain.
func BenchmarkAuditedWritesParallel(b *testing.B) {
	st := storetest.Open(b)
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			u := account.User{Username: fmt.Sprintf("p%d", n.Add(1)), FullName: "Người dùng", PasswordHash: "x"}
			if err := st.CreateUser(ctx, sys, &u); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
