package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/cputime"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/web"
)

// BenchmarkLiveEvents measures what open live streams cost: for 0, 100
// and 1000 streams open over loopback, one published incident is written
// per op and the op ends when every stream has read its event. It reports
// the process's CPU per write (the write, the hub's read of the audit
// trail, and each stream's send and, since the clients run in the same
// process, its read), and the heap and goroutines each idle stream holds
// on both ends of its connection. Side by side, the 0-stream run is the
// cost of the write alone.
//
//	go test -run '^$' -bench LiveEvents -benchtime 200x ./internal/web/
func BenchmarkLiveEvents(b *testing.B) {
	for _, n := range []int{0, 100, 1000} {
		b.Run(fmt.Sprintf("streams=%d", n), func(b *testing.B) { benchLiveEvents(b, n) })
	}
}

func benchLiveEvents(b *testing.B, n int) {
	_, srv, st := startAPI(b, web.Config{Token: testToken, Limits: web.Limits{Streams: n + 1}}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()
	delivered := make(chan struct{}, 1024)
	ready := make(chan error, n)
	for range n {
		go readStream(ctx, srv.URL+"/api/events", ready, delivered)
	}
	for range n {
		if err := <-ready; err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	heap := float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / float64(max(n, 1))
	perStream := float64(runtime.NumGoroutine()-goroutines) / float64(max(n, 1))
	in := incident.Incident{EventDate: "2024-01-01", EventType: incident.Protests, Country: "AF", Geometry: orb.Point{64.7, 32.4}}
	b.ResetTimer()
	cpu := cputime.Process()
	for range b.N {
		if _, err := st.Insert(ctx, []incident.Incident{in}); err != nil {
			b.Fatal(err)
		}
		for range n {
			select {
			case <-delivered:
			case <-time.After(time.Minute):
				b.Fatal("an event did not reach every stream within a minute")
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cputime.Process()-cpu).Microseconds())/float64(b.N), "cpu-µs/write")
	if n > 0 { // reported after ResetTimer, which clears them
		b.ReportMetric(heap, "heap-B/stream")
		b.ReportMetric(perStream, "goroutines/stream")
	}
}

// readStream opens a live stream, says on ready when it is subscribed,
// then signals delivered for each incident event.
func readStream(ctx context.Context, url string, ready chan<- error, delivered chan<- struct{}) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		ready <- err
		return
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ready <- err
		return
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		switch line := sc.Text(); {
		case line == "event: ready":
			ready <- nil
		case strings.HasPrefix(line, "event: incident"):
			delivered <- struct{}{}
		}
	}
}
