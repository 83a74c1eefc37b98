package store_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestHPlan(t *testing.T) {
	if os.Getenv("HPLAN") == "" {
		t.Skip()
	}
	st := storetest.Open(t)
	d, err := st.BenchLoad(ctx, store.BenchParams{Provinces: 20, Communes: 200, Indicators: 4, Periods: 48, FirstYear: 2022}, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	_ = d
	for _, q := range []string{os.Getenv("HPLAN")} {
		rows, err := st.DB().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Println(vals...)
		}
		rows.Close()
	}
}
