package interchange

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// benchSize is the number of incidents of a benchmark: INCIDENTMAP_BENCH_N
// (e.g. 1000000), or n so that a plain -bench run stays short.
func benchSize(b *testing.B, n int) int {
	if v := os.Getenv("INCIDENTMAP_BENCH_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("INCIDENTMAP_BENCH_N=%q is not a positive number", v)
		}
	}
	return n
}

// BenchmarkImportACLED imports a generated ACLED CSV of 50,000 rows
// (INCIDENTMAP_BENCH_N) into an empty store, with and without the gazetteer's country check, in the
// server's batches and in the import command's, and reports rows per
// second.
func BenchmarkImportACLED(b *testing.B) {
	rows := benchSize(b, 50_000)
	data := acledCSV(rows, 3)
	gaz, err := gazetteer.Builtin()
	if err != nil {
		b.Logf("no gazetteer: %v", err)
	}
	for _, c := range []struct {
		name  string
		gaz   *gazetteer.Gazetteer
		batch int
	}{
		{"country-check", gaz, DefaultBatchSize},
		{"country-check/bulk-batches", gaz, BulkBatchSize},
		{"no-gazetteer", nil, DefaultBatchSize},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total, cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := openStore(b)
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				src, err := NewReader(FormatACLED, strings.NewReader(data), ReaderOptions{Gazetteer: c.gaz})
				if err != nil {
					b.Fatal(err)
				}
				im := NewImporter(st)
				im.BatchSize = c.batch
				rep, err := im.Import(context.Background(), src)
				if err != nil || rep.Inserted != rows {
					b.Fatalf("import: %+v, %v", rep, err)
				}
				total += time.Since(start)
				cpu += cpuTime() - cpu0
			}
			b.ReportMetric(float64(rows*b.N)/total.Seconds(), "rows/s")
			b.ReportMetric(float64(rows*b.N)/cpu.Seconds(), "rows/cpu-s")
			b.SetBytes(int64(len(data)))
		})
	}
}

// BenchmarkReimportACLED imports a generated 50,000-row ACLED CSV into a
// store that already holds it, as a scheduled --sync re-import does: every
// row is looked up and updated, and every update audited.
func BenchmarkReimportACLED(b *testing.B) {
	const rows = 50_000
	data := acledCSV(rows, 3)
	var total, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := openStore(b)
		for round := range 2 {
			src, err := NewReader(FormatACLED, strings.NewReader(data), ReaderOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if round == 1 {
				b.StartTimer()
			}
			start, cpu0 := time.Now(), cpuTime()
			rep, err := NewImporter(st).Import(context.Background(), src)
			if err != nil || rep.Inserted+rep.Updated != rows || round == 1 && rep.Updated != rows {
				b.Fatalf("import round %d: %+v, %v", round, rep, err)
			}
			if round == 1 {
				total += time.Since(start)
				cpu += cpuTime() - cpu0
			}
		}
	}
	b.ReportMetric(float64(rows*b.N)/total.Seconds(), "rows/s")
	b.ReportMetric(float64(rows*b.N)/cpu.Seconds(), "rows/cpu-s")
}

// BenchmarkSyncACLED re-imports with --sync the first 10,000 rows of a
// 50,000-row ACLED CSV already imported: 10,000 updates and 40,000
// deletions, each audited. It reports stored incidents (updated or
// deleted) per second.
func BenchmarkSyncACLED(b *testing.B) {
	const rows, kept = 50_000, 10_000
	full, part := acledCSV(rows, 3), acledCSV(kept, 3)
	var total, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := openStore(b)
		var deleted int
		for round, data := range []string{full, part} {
			src, err := NewReader(FormatACLED, strings.NewReader(data), ReaderOptions{})
			if err != nil {
				b.Fatal(err)
			}
			im := NewImporter(st)
			im.Sync = round == 1
			if round == 1 {
				b.StartTimer()
			}
			start, cpu0 := time.Now(), cpuTime()
			rep, err := im.Import(context.Background(), src)
			if err != nil {
				b.Fatalf("import round %d: %+v, %v", round, rep, err)
			}
			if round == 1 {
				total += time.Since(start)
				cpu += cpuTime() - cpu0
				deleted = rep.Deleted
			}
		}
		if deleted < rows-kept-rows/50 { // every 50th row of the input repeats one before
			b.Fatalf("sync deleted %d incidents, want about %d", deleted, rows-kept)
		}
	}
	b.ReportMetric(float64(rows*b.N)/total.Seconds(), "rows/s")
	b.ReportMetric(float64(rows*b.N)/cpu.Seconds(), "rows/cpu-s")
}

// BenchmarkParseACLED measures reading and mapping rows alone, without the
// store.
func BenchmarkParseACLED(b *testing.B) {
	const rows = 50_000
	data := acledCSV(rows, 4)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		src, err := NewReader(FormatACLED, strings.NewReader(data), ReaderOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var in incident.Incident
		for {
			if err := src.Next(&in); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// fillStore inserts n generated incidents with the fields an ACLED import
// sets, in large transactions.
func fillStore(b *testing.B, st *store.Store, n int) {
	b.Helper()
	const batch = 20_000
	ins := make([]incident.Incident, 0, batch)
	types := acledTypes
	for i := 0; i < n; i++ {
		p := acledPlaces[i%len(acledPlaces)]
		et := types[i%len(types)]
		cc, _ := countryCode(p.country)
		ins = append(ins, incident.Incident{
			EventDate: fmt.Sprintf("%04d-%02d-%02d", 1997+i%28, 1+i%12, 1+i%28), DatePrecision: "day",
			EventType: et[0], SubEventType: et[1], Actor1: "Actor " + strconv.Itoa(i%50), Actor2: "Civilians (" + p.country + ")",
			Fatalities: incident.Int(i % 17), Location: p.location, Admin1: p.admin1, Admin2: "District " + strconv.Itoa(i%9),
			Country: cc, GeoPrecision: 1 + i%3, Geometry: orb.Point{p.lon + float64(i%1000)/10000, p.lat + float64(i%997)/10000},
			Notes:         "On this day armed men attacked a checkpoint near the market; local sources reported casualties among the guards and passers-by.",
			Sources:       []incident.Source{{Publisher: "Reuters"}, {Publisher: "Local source"}},
			SourceEventID: "acled:B" + strconv.Itoa(i),
		})
		if len(ins) == batch || i == n-1 {
			if _, err := st.Insert(context.Background(), ins); err != nil {
				b.Fatal(err)
			}
			ins = ins[:0]
		}
	}
}

// countWriter counts bytes and discards them.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkExport exports benchSize incidents in each format and reports
// MB/s, incidents/s, the process's peak RSS during the export, how far it
// rose above the RSS before (Linux: the high-water mark is reset first) and
// how far the anonymous part rose (sampled). Flat memory shows as the same
// anonymous growth for 100,000 and 1,000,000 incidents.
func BenchmarkExport(b *testing.B) {
	n := benchSize(b, 100_000)
	st := openStore(b)
	start := time.Now()
	fillStore(b, st, n)
	b.Logf("filled %d incidents in %s", n, time.Since(start).Round(time.Millisecond))
	for _, format := range []string{FormatGeoJSON, FormatCSV, FormatKML, FormatGPKG} {
		b.Run(format, func(b *testing.B) {
			var bytes int64
			var peak, growth, anonGrowth int64
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				debug.FreeOSMemory()
				resetPeakRSS()
				before, anonBefore := rss(), procStatus("RssAnon:")
				stop := make(chan struct{})
				anonPeak := make(chan int64)
				go sampleAnon(stop, anonPeak)
				cpu0 := cpuTime()
				w := &countWriter{}
				got, err := Export(context.Background(), st, store.Query{}, format, w, b.TempDir())
				if err != nil || got != int64(n) {
					b.Fatalf("export: %d incidents, %v", got, err)
				}
				bytes += w.n
				cpu += cpuTime() - cpu0
				close(stop)
				anonGrowth = max(anonGrowth, <-anonPeak-anonBefore)
				peak = max(peak, peakRSS())
				growth = max(growth, peakRSS()-before)
			}
			b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
			b.ReportMetric(float64(bytes)/1e6/cpu.Seconds(), "MB/cpu-s")
			b.ReportMetric(float64(int64(n)*int64(b.N))/b.Elapsed().Seconds(), "incidents/s")
			if peak > 0 {
				b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
				b.ReportMetric(float64(growth)/(1<<20), "RSS-growth-MB")
				b.ReportMetric(float64(anonGrowth)/(1<<20), "anon-RSS-growth-MB")
			}
		})
	}
}

// sampleAnon reports the highest anonymous RSS (heap, not file pages the
// store maps) seen every 10 ms until stop closes. The store maps its file,
// so total RSS also grows by the pages an export reads; those are page cache
// the kernel reclaims, not memory the export holds.
func sampleAnon(stop chan struct{}, peak chan int64) {
	var m int64
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		m = max(m, procStatus("RssAnon:"))
		select {
		case <-stop:
			peak <- max(m, procStatus("RssAnon:"))
			return
		case <-t.C:
		}
	}
}

// cpuTime is the CPU time (user and system) the process has used: on a
// machine shared with other work, rates per CPU-second say what the code
// costs when wall-clock rates only say how busy the machine was.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the kernel's RSS high-water mark (Linux only).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads the RSS high-water mark in bytes, 0 where unknown.
func peakRSS() int64 { return procStatus("VmHWM:") }

// rss reads the current RSS in bytes, 0 where unknown.
func rss() int64 { return procStatus("VmRSS:") }

// procStatus reads a kB value of /proc/self/status in bytes.
func procStatus(key string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
