package service

import (
	"context"
	"testing"
)

// TestReadCache: a read is kept, a drop forgets it, and a load begun
// before a drop is not kept.
func TestReadCache(t *testing.T) {
	var c readCache[int]
	loads := 0
	load := func(context.Context) (int, error) { loads++; return loads, nil }
	ctx := context.Background()
	if v, _ := c.get(ctx, load); v != 1 {
		t.Fatalf("first get: %d", v)
	}
	if v, _ := c.get(ctx, load); v != 1 || loads != 1 {
		t.Fatalf("cached get: %d after %d loads", v, loads)
	}
	c.drop()
	if v, _ := c.get(ctx, load); v != 2 {
		t.Fatalf("after drop: %d", v)
	}
	// A write lands while a load is under way: the loaded value is stale.
	c.drop()
	stale := func(context.Context) (int, error) { c.drop(); return 99, nil }
	if v, _ := c.get(ctx, stale); v != 99 {
		t.Fatalf("stale load answered %d", v)
	}
	if v, _ := c.get(ctx, load); v != 3 {
		t.Fatalf("stale value kept: %d", v)
	}
}
