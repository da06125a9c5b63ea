// Package loadtest measures incidentmap's read APIs the way issue 10's
// table does: it makes any number of incidents from real event locations
// (a UCDP GED sample as seeds), picks boxes around real events, and drives
// concurrent keep-alive clients at one endpoint at a time, reporting
// requests per second, latency percentiles and the server's CPU time per
// request (read from /proc, so the server runs as a process of its own).
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/interchange"
)

// ErrNoSeeds means the seed file held no usable event.
var ErrNoSeeds = errors.New("no seed events")

// ReadSeeds reads the events of a UCDP GED CSV file, skipping rows the
// importer would reject.
func ReadSeeds(r io.Reader) ([]incident.Incident, error) {
	rd, err := interchange.NewReader(interchange.FormatUCDP, r, interchange.ReaderOptions{})
	if err != nil {
		return nil, fmt.Errorf("reading seeds: %w", err)
	}
	var out []incident.Incident
	for {
		var in incident.Incident
		err := rd.Next(&in)
		if errors.Is(err, io.EOF) {
			break
		}
		var rowErr *interchange.RowError
		if errors.As(err, &rowErr) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading seeds: %w", err)
		}
		if _, ok := in.Geometry.(orb.Point); ok {
			out = append(out, in)
		}
	}
	if len(out) == 0 {
		return nil, ErrNoSeeds
	}
	return out, nil
}

// Jitter is the spread, in degrees, of synthetic incidents around their
// seed: about a district, so that a 0.5° box around an event holds
// thousands of incidents at a million, as real data does around hotspots.
const Jitter = 0.25

// Synthesize returns n incidents, each a copy of a random seed moved by a
// normal jitter of Jitter degrees and dated on a random day of the seed's
// decade, without ids so that the store mints them.
func Synthesize(rng *rand.Rand, seeds []incident.Incident, n int) []incident.Incident {
	out := make([]incident.Incident, n)
	for i := range out {
		in := seeds[rng.IntN(len(seeds))]
		p := in.Geometry.(orb.Point)
		in.Geometry = orb.Point{
			max(-180, min(180, p[0]+rng.NormFloat64()*Jitter)),
			max(-90, min(90, p[1]+rng.NormFloat64()*Jitter)),
		}
		year := 1990 + rng.IntN(34)
		start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
		in.EventDate = start.Format(incident.DateLayout)
		in.EventEndDate = ""
		if rng.IntN(10) == 0 {
			in.EventEndDate = start.AddDate(0, 0, 1+rng.IntN(6)).Format(incident.DateLayout)
		}
		in.ID, in.SourceEventID = "", ""
		in.Tags = append([]string{"synthetic"}, in.Tags...)
		out[i] = in
	}
	return out
}

// Boxes returns k boxes of side degrees, each around a random seed, which
// lies in it at a random place: boxes differ even when k exceeds the seeds,
// so that a server's caches can be measured cold as well as warm.
func Boxes(rng *rand.Rand, seeds []incident.Incident, k int, side float64) []geo.BBox {
	out := make([]geo.BBox, k)
	for i := range out {
		p := seeds[rng.IntN(len(seeds))].Geometry.(orb.Point)
		x, y := p[0]+(rng.Float64()-0.5)*side, p[1]+(rng.Float64()-0.5)*side
		out[i] = geo.BBox{MinLon: max(-180, x-side/2), MinLat: max(-90, y-side/2),
			MaxLon: min(180, x+side/2), MaxLat: min(90, y+side/2)}
	}
	return out
}

// Target is one endpoint under test: Path is its path and query without
// the bbox, which each request adds.
type Target struct {
	Name string
	Path string
}

// Targets are the endpoints of issue 10's table, asking pages of limit.
func Targets(limit int) []Target {
	l := strconv.Itoa(limit)
	return []Target{
		{"/api/incidents", "/api/incidents?limit=" + l},
		{"/ogc/.../items", "/ogc/collections/incidents/items?f=json&limit=" + l},
		{"/api/clusters", "/api/clusters?zoom=8"},
	}
}

// Config says how hard and how long to drive a target.
type Config struct {
	BaseURL     string // http://127.0.0.1:port
	Boxes       []geo.BBox
	Concurrency int
	Duration    time.Duration
	// CPU returns the server's CPU time so far; nil skips CPU per request.
	CPU func() (time.Duration, error)
}

// Result is what one run measured.
type Result struct {
	Target     string
	Requests   int
	Errors     int // responses other than 200, and transport errors
	Elapsed    time.Duration
	P50, P99   time.Duration
	CPUPerReq  time.Duration // 0 when unknown
	FirstError string
}

// PerSecond is the rate of successful requests.
func (r Result) PerSecond() float64 {
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

// Run drives target with cfg.Concurrency clients for cfg.Duration, each
// request with the next box, and measures it. Every client completes its
// first request however long it takes, so a slow or loaded server still
// yields a figure; later requests cut off by the end of the run are not
// counted.
func Run(ctx context.Context, client *http.Client, cfg Config, target Target) (Result, error) {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var cpu0 time.Duration
	if cfg.CPU != nil {
		var err error
		if cpu0, err = cfg.CPU(); err != nil {
			return Result{}, err
		}
	}
	type clientResult struct {
		lat      []time.Duration
		errs     int
		firstErr string
	}
	results := make([]clientResult, cfg.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[c]
			for i := c; i == c || ctx.Err() == nil; i += cfg.Concurrency {
				box := cfg.Boxes[i%len(cfg.Boxes)]
				reqCtx := ctx
				if i == c {
					reqCtx = parent // the first request runs to its end
				}
				t0 := time.Now()
				err := get(reqCtx, client, cfg.BaseURL+target.Path+"&bbox="+box.String())
				if reqCtx.Err() != nil {
					return // cut off by the end of the run (or the caller): not counted
				}
				r.lat = append(r.lat, time.Since(t0))
				if err != nil {
					r.errs++
					if r.firstErr == "" {
						r.firstErr = err.Error()
					}
				}
			}
		}()
	}
	wg.Wait()
	res := Result{Target: target.Name, Elapsed: time.Since(start)}
	var lat []time.Duration
	for _, r := range results {
		lat = append(lat, r.lat...)
		res.Errors += r.errs
		if res.FirstError == "" {
			res.FirstError = r.firstErr
		}
	}
	res.Requests = len(lat)
	if len(lat) > 0 {
		slices.Sort(lat)
		res.P50 = lat[len(lat)/2]
		res.P99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	if cfg.CPU != nil && res.Requests > 0 {
		cpu1, err := cfg.CPU()
		if err != nil {
			return Result{}, err
		}
		res.CPUPerReq = (cpu1 - cpu0) / time.Duration(res.Requests)
	}
	return res, nil
}

func get(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// ProcessCPU returns the user and system CPU time process pid has used, from
// /proc/<pid>/stat (Linux).
func ProcessCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, fmt.Errorf("reading CPU time: %w", err)
	}
	return parseStat(string(b))
}

// parseStat reads utime and stime (fields 14 and 15) from a stat line; the
// command name in parentheses may hold spaces, so fields count from its end.
func parseStat(s string) (time.Duration, error) {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("reading CPU time: malformed stat line")
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, errors.New("reading CPU time: short stat line")
	}
	var total int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("reading CPU time: %w", err)
		}
		total += n
	}
	return time.Duration(total) * time.Second / clockTicks, nil
}

// LoadAverage returns the first three fields of /proc/loadavg, or "?".
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// Millis formats a duration in milliseconds with two decimals.
func Millis(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}
