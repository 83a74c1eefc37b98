package benchapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// call is one HTTP request a client makes; it returns the status and the
// body. A client's state (the version of its draft, its next report) lives
// in the closure that builds the call.
type call func(ctx context.Context, hc *http.Client) (int, []byte, error)

// Figures are what one phase measured.
type Figures struct {
	Clients   int     `json:"clients"`
	OK        int     `json:"ok"`
	Errors    int     `json:"errors"`
	ReqPerSec float64 `json:"req_s"`
	P50ms     float64 `json:"p50_ms"`
	P95ms     float64 `json:"p95_ms"`
	P99ms     float64 `json:"p99_ms"`
	// FirstError is the status and the start of the body of the first failure.
	FirstError string `json:"first_error,omitempty"`
}

func (f Figures) String() string {
	s := fmt.Sprintf("%3d clients %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%d ok", f.Clients, f.ReqPerSec, f.P50ms, f.P99ms, f.OK)
	if f.Errors > 0 {
		s += fmt.Sprintf(", %d errors; first: %s", f.Errors, f.FirstError)
	}
	return s + ")"
}

// worker makes the calls of one client; done reports that it has nothing
// more to do (a submitting client that used up its drafts).
type worker struct {
	next func() (call, bool)
}

// drive runs the workers until d has passed, each as fast as it can, and
// measures the calls of the workers marked measured. Other workers (the
// writers of "reads while writes run") only add load.
func drive(ctx context.Context, hc *http.Client, d time.Duration, measured []worker, background []worker) Figures {
	// Requests in flight at the end of the phase finish (a write cut off
	// half-way would leave its client with a stale version); no new one starts.
	deadline := time.Now().Add(d)
	var (
		mu       sync.Mutex
		lat      []time.Duration
		ok, bad  int
		firstErr string
		lastDone atomic.Int64
		wg       sync.WaitGroup
	)
	start := time.Now()
	run := func(w worker, measure bool) {
		defer wg.Done()
		var mine []time.Duration
		myOK, myBad := 0, 0
		myErr := ""
		// Every client makes at least one request, however short the phase.
		for first := true; ctx.Err() == nil && (first || time.Now().Before(deadline)); first = false {
			c, more := w.next()
			if !more {
				break
			}
			t := time.Now()
			status, body, err := c(ctx, hc)
			dt := time.Since(t)
			if ctx.Err() != nil {
				break // interrupted, not a failure
			}
			if !measure {
				continue
			}
			if err != nil || status < 200 || status > 299 {
				myBad++
				if myErr == "" {
					if err != nil {
						myErr = err.Error()
					} else {
						myErr = fmt.Sprintf("%d %s", status, bytes.TrimSpace(body[:min(len(body), 160)]))
					}
				}
				continue
			}
			myOK++
			mine = append(mine, dt)
		}
		if measure {
			el := int64(time.Since(start))
			for {
				cur := lastDone.Load()
				if el <= cur || lastDone.CompareAndSwap(cur, el) {
					break
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			ok += myOK
			bad += myBad
			if firstErr == "" {
				firstErr = myErr
			}
			mu.Unlock()
		}
	}
	for _, w := range background {
		wg.Add(1)
		go run(w, false)
	}
	for _, w := range measured {
		wg.Add(1)
		go run(w, true)
	}
	wg.Wait()
	elapsed := time.Duration(lastDone.Load())
	if elapsed <= 0 {
		elapsed = time.Since(start)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	f := Figures{Clients: len(measured), OK: ok, Errors: bad, FirstError: firstErr}
	if ok > 0 {
		f.ReqPerSec = round1(float64(ok) / elapsed.Seconds())
		f.P50ms = quantile(lat, 0.50)
		f.P95ms = quantile(lat, 0.95)
		f.P99ms = quantile(lat, 0.99)
	}
	return f
}

// quantile returns the q-quantile of sorted durations in milliseconds.
func quantile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q * float64(len(sorted)))
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return round2(float64(sorted[i].Microseconds()) / 1000)
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int64(a/b*1000+0.5)) / 1000
}

// request makes a call with an optional bearer token and JSON body.
func request(method, url, token string, body []byte) call {
	return func(ctx context.Context, hc *http.Client) (int, []byte, error) {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, url, rd)
		if err != nil {
			return 0, nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b, err
	}
}
