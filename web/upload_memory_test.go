//go:build !race

package web

import (
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// heapSampler samples the heap every 2 ms and keeps the highest value.
// What it measures is /memory/classes/heap/objects:bytes of runtime/metrics:
// the bytes of heap objects, live or dead but not yet swept, which is what a
// request makes the process hold, garbage included, until the collector
// frees it. The server runs in the test's process, so the sample covers the
// server's handlers and the test's client alike.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// baseline collects garbage and returns the heap then.
func baseline() uint64 {
	runtime.GC()
	runtime.GC()
	return heapBytes()
}

func sampleHeap() *heapSampler {
	hs := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(hs.done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			hs.peak = max(hs.peak, heapBytes())
			select {
			case <-hs.stop:
				hs.peak = max(hs.peak, heapBytes())
				return
			case <-tick.C:
			}
		}
	}()
	return hs
}

// Stop ends sampling and returns the peak.
func (hs *heapSampler) Stop() uint64 {
	close(hs.stop)
	<-hs.done
	return hs.peak
}

// TestUploadProbeMemory posts the files of the probe of issue 15, and a
// .docx whose paragraphs unpack to 200 MB, over HTTP, one at a time and
// eight at once, and holds the peak growth of the heap
// over a baseline taken after a collection to 100 MB and 200 MB; after the
// requests and a collection the heap is back near the baseline. It runs
// without the race detector (which inflates memory): scripts/test runs it
// on its own.
func TestUploadProbeMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("measures memory over many requests")
	}
	// The server as shipped: two uploads of a kind read at a time (the gate),
	// the others waiting; the wait is long enough that none is turned away
	// on a slow machine.
	h := newHarness(t, Config{UploadWait: time.Minute})
	attacks := probeAttacks(t, h)
	sessions := map[string]string{}
	for _, a := range attacks {
		sessions[a.as] = h.session(t, a.as)
	}
	check := func(a attack) string {
		status, _, body, err := post(h, sessions[a.as], a.path, a.file, a.data)
		if err != nil {
			return err.Error()
		}
		if status < 400 || status >= 500 || !strings.Contains(body, a.want) {
			return body
		}
		return ""
	}
	const mb = 1 << 20
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			base := baseline()
			hs := sampleHeap()
			if msg := check(a); msg != "" {
				t.Errorf("%s: %.300s, want 4xx with %q", a.path, msg, a.want)
			}
			single := hs.Stop() - base

			base8 := baseline()
			hs = sampleHeap()
			var wg sync.WaitGroup
			errs := make([]string, 8)
			for i := range errs {
				wg.Go(func() { errs[i] = check(a) })
			}
			wg.Wait()
			eight := hs.Stop() - base8
			for _, msg := range errs {
				if msg != "" {
					t.Errorf("%s, one of eight: %.300s", a.path, msg)
				}
			}
			after := int64(baseline()) - int64(base)
			t.Logf("%s: peak heap growth %.1f MB alone, %.1f MB eight at once; %+.1f MB after", a.path,
				float64(single)/mb, float64(eight)/mb, float64(after)/mb)
			if single > 100*mb {
				t.Errorf("peak heap growth %.1f MB, want under 100 MB", float64(single)/mb)
			}
			if eight > 200*mb {
				t.Errorf("peak heap growth of eight at once %.1f MB, want under 200 MB", float64(eight)/mb)
			}
			if after > 16*mb {
				t.Errorf("heap %.1f MB above the baseline after the requests, want it back", float64(after)/mb)
			}
		})
	}
}
