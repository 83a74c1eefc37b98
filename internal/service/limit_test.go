package service

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterTokenBucket(t *testing.T) {
	now := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(2, 4) // 2 a second, bursts of 4
	l.SetClock(func() time.Time { return now })
	for i := range 4 {
		if !l.Allow("a") {
			t.Fatalf("burst: call %d refused", i)
		}
	}
	if l.Allow("a") {
		t.Fatal("fifth call in the same instant allowed")
	}
	if !l.Allow("b") {
		t.Fatal("another key shares the bucket")
	}
	now = now.Add(500 * time.Millisecond) // one token
	if !l.Allow("a") || l.Allow("a") {
		t.Fatal("half a second should give exactly one token")
	}
	now = now.Add(time.Hour) // refills to the burst, not beyond
	for i := range 4 {
		if !l.Allow("a") {
			t.Fatalf("after an hour: call %d refused", i)
		}
	}
	if l.Allow("a") {
		t.Fatal("the bucket grew past its burst")
	}
	// A clock going backwards gives nothing and takes nothing.
	now = now.Add(-time.Minute)
	if l.Allow("a") {
		t.Fatal("a backwards clock refilled the bucket")
	}
}

func TestLimiterStaysBounded(t *testing.T) {
	now := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(1, 2)
	l.maxKeys = 100
	l.SetClock(func() time.Time { return now })
	for i := range 1000 {
		l.Allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		if len(l.buckets) > l.maxKeys {
			t.Fatalf("%d keys held, bound %d", len(l.buckets), l.maxKeys)
		}
	}
	// Refilled buckets are swept first; a busy one survives the sweep.
	l = NewLimiter(1, 2)
	l.maxKeys = 10
	l.SetClock(func() time.Time { return now })
	l.Allow("busy")
	l.Allow("busy")
	for i := range 9 {
		l.Allow(fmt.Sprint("idle", i))
	}
	now = now.Add(time.Minute)
	l.Allow("busy") // refilled after a minute: one token spent
	l.Allow("new")  // an 11th key: the sweep drops the idle ones
	if _, ok := l.buckets["busy"]; !ok || len(l.buckets) != 2 {
		t.Errorf("after the sweep: %d keys, busy kept %v", len(l.buckets), ok)
	}
}
