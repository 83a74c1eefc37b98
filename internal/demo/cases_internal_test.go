package demo

import (
	"context"
	"testing"

	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoCategoriesAreTheDefaults: the categories the demo restores after
// a wipe are those migration 0024 installs.
func TestDemoCategoriesAreTheDefaults(t *testing.T) {
	st := storetest.Open(t)
	got, err := st.CaseCategories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, c := range demoCategories {
		want[c.Code+"|"+c.NameVi+"|"+c.NameEn+"|"+c.NameJa+"|"+c.DefaultKind] = true
	}
	if len(got) != len(demoCategories) {
		t.Fatalf("%d categories after migration, %d in the demo", len(got), len(demoCategories))
	}
	for _, c := range got {
		if !want[c.Code+"|"+c.NameVi+"|"+c.NameEn+"|"+c.NameJa+"|"+c.DefaultKind] {
			t.Errorf("migration category %+v differs from the demo's", c)
		}
	}
}
