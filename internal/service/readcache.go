package service

import (
	"context"
	"sync"
	"time"
)

// readCacheTTL is how long a cached read stays good.
const readCacheTTL = 2 * time.Second

// readCache keeps the result of a small, rarely changed read (the case
// categories, the deadline rules) for readCacheTTL, so that public intake
// does not read them from the database for every case. A write through the
// service drops it at once; a change made elsewhere (another server on the
// same database) is seen within readCacheTTL. Callers must not modify what
// get returns.
type readCache[T any] struct {
	mu  sync.Mutex
	val T
	at  time.Time
	ok  bool
	gen uint64 // moves on every drop: a load begun before a drop is not kept
}

func (c *readCache[T]) get(ctx context.Context, load func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	if c.ok && time.Since(c.at) < readCacheTTL {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	gen := c.gen
	c.mu.Unlock()
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.val, c.at, c.ok = v, time.Now(), true
	}
	c.mu.Unlock()
	return v, nil
}

func (c *readCache[T]) drop() {
	c.mu.Lock()
	c.ok = false
	c.gen++
	c.mu.Unlock()
}
