package loadtest

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
)

// seedCSV is a UCDP GED file of three events (and one row without
// coordinates, which ReadSeeds skips).
const seedCSV = `id,type_of_violence,date_start,date_end,latitude,longitude,country,best,side_a,side_b
1,1,2013-01-03 00:00:00.000,2013-01-03 00:00:00.000,35.763369,36.558974,Syria,3,Government of Syria,Syrian insurgents
2,3,1989-05-10 00:00:00.000,1989-05-16 00:00:00.000,-9.65,20.4,Angola,14,UNITA,Civilians
3,1,2020-07-01 00:00:00.000,2020-07-01 00:00:00.000,34.5,69.2,Afghanistan,2,Government of Afghanistan,Taleban
4,1,2020-07-01 00:00:00.000,2020-07-01 00:00:00.000,,,Afghanistan,2,Government of Afghanistan,Taleban
`

func TestReadSeeds(t *testing.T) {
	seeds, err := ReadSeeds(strings.NewReader(seedCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(seeds) != 3 {
		t.Fatalf("read %d seeds, want 3", len(seeds))
	}
	if _, err := ReadSeeds(strings.NewReader("id,type_of_violence,date_start,latitude,longitude,country,best\n")); !errors.Is(err, ErrNoSeeds) {
		t.Errorf("an empty file: %v, want ErrNoSeeds", err)
	}
}

func TestSynthesizeAndBoxes(t *testing.T) {
	seeds, err := ReadSeeds(strings.NewReader(seedCSV))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ins := Synthesize(rng, seeds, 2000)
	for i, in := range ins {
		if err := in.Validate(); err != nil {
			t.Fatalf("incident %d: %v", i, err)
		}
		if in.ID != "" || in.SourceEventID != "" {
			t.Fatalf("incident %d keeps an id: %q %q", i, in.ID, in.SourceEventID)
		}
		// Every incident lies within 6 standard deviations of a seed.
		p, near := in.Geometry.(orb.Point), false
		for _, s := range seeds {
			q := s.Geometry.(orb.Point)
			near = near || math.Hypot(p[0]-q[0], p[1]-q[1]) < 6*Jitter*math.Sqrt2
		}
		if !near {
			t.Fatalf("incident %d at %v is far from every seed", i, p)
		}
	}
	// Boxes are 0.5° squares around a seed, and more boxes than seeds differ.
	boxes := Boxes(rng, seeds, 3*len(seeds), 0.5)
	distinct := map[geo.BBox]bool{}
	for _, b := range boxes {
		if math.Abs(b.MaxLon-b.MinLon-0.5) > 1e-9 || math.Abs(b.MaxLat-b.MinLat-0.5) > 1e-9 {
			t.Fatalf("box %v is not 0.5° square", b)
		}
		around := false
		for _, s := range seeds {
			around = around || b.Contains(s.Geometry.(orb.Point))
		}
		if !around {
			t.Fatalf("box %v holds no seed", b)
		}
		distinct[b] = true
	}
	if len(distinct) != len(boxes) {
		t.Errorf("%d of %d boxes differ", len(distinct), len(boxes))
	}
}

func TestParseStat(t *testing.T) {
	for _, tc := range []struct {
		line string
		want time.Duration
		ok   bool
	}{
		{"1234 (incidentmap) S 1 1234 1234 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 8 0 100 0 0", 3 * time.Second, true},
		{"1234 (a b) c)) R 1 1234 1234 0 -1 4194560 5000 0 0 0 7 3 0 0 20 0 8 0 100 0 0", 100 * time.Millisecond, true},
		{"1234 (short) S 1 2 3", 0, false},
		{"no parenthesis", 0, false},
		{"1234 (x) S 1 1234 1234 0 -1 4194560 5000 0 0 0 abc 3 0", 0, false},
	} {
		got, err := parseStat(tc.line)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseStat(%q) = %v, %v; want %v, ok %v", tc.line, got, err, tc.want, tc.ok)
		}
	}
}

func TestRunCountsRequestsAndErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("bbox") == "" {
			t.Error("a request without a bbox")
		}
		if r.URL.Path == "/fail" {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(`{"type":"FeatureCollection","features":[]}`))
	}))
	defer srv.Close()
	seeds, _ := ReadSeeds(strings.NewReader(seedCSV))
	cfg := Config{BaseURL: srv.URL, Boxes: Boxes(rand.New(rand.NewPCG(3, 3)), seeds, 10, 1), Concurrency: 3, Duration: 200 * time.Millisecond}
	for _, tc := range []struct {
		path      string
		allFailed bool
	}{{"/ok?x=1", false}, {"/fail?x=1", true}} {
		res, err := Run(context.Background(), srv.Client(), cfg, Target{Name: tc.path, Path: tc.path})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests == 0 || res.P50 > res.P99 || res.P99 <= 0 {
			t.Fatalf("%s: %+v", tc.path, res)
		}
		if (res.Errors == res.Requests) != tc.allFailed || (res.Errors == 0) == tc.allFailed {
			t.Fatalf("%s: %d errors in %d requests", tc.path, res.Errors, res.Requests)
		}
	}
}

// A server slower than the whole run still answers each client's first
// request, so a loaded machine gives a figure instead of none.
func TestRunCountsFirstRequestOfSlowServer(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Write([]byte(`{"type":"FeatureCollection","features":[]}`))
	}))
	defer srv.Close()
	seeds, _ := ReadSeeds(strings.NewReader(seedCSV))
	cfg := Config{BaseURL: srv.URL, Boxes: Boxes(rand.New(rand.NewPCG(3, 3)), seeds, 10, 1), Concurrency: 2, Duration: time.Millisecond}
	// The server answers only after the run's duration has passed.
	go func() {
		time.Sleep(20 * time.Millisecond)
		close(release)
	}()
	res, err := Run(context.Background(), srv.Client(), cfg, Target{Name: "slow", Path: "/slow?x=1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < cfg.Concurrency || res.Errors != 0 {
		t.Errorf("%d requests (%d errors), want at least one per client", res.Requests, res.Errors)
	}
}
