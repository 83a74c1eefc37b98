package service

import (
	"sync"
	"time"
)

// Limiter is a token bucket per key (a client address): each key may spend
// burst tokens at once, refilled at rate tokens a second. It holds at most
// a bounded number of keys, so that many addresses cannot grow it without
// end.
type Limiter struct {
	rate, burst float64
	maxKeys     int

	mu      sync.Mutex
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// limiterKeys bounds how many addresses a limiter remembers.
const limiterKeys = 1 << 16

// NewLimiter returns a limiter of rate tokens a second and bursts of burst.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), maxKeys: limiterKeys, now: time.Now, buckets: map[string]*bucket{}}
}

// SetClock replaces the limiter's clock (tests).
func (l *Limiter) SetClock(now func() time.Time) {
	l.mu.Lock()
	l.now = now
	l.mu.Unlock()
}

// Allow takes one token from key's bucket and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep forgets the buckets that have refilled (a fresh one is the same);
// if every bucket is still in use, it forgets them all rather than grow.
// The caller holds mu.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxKeys {
		clear(l.buckets)
	}
}
