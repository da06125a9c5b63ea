package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// isTerminal reports whether w is a terminal: the progress bar is drawn
// only there, never into a log file or a pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws one line, redrawn in place: the share of the file read,
// records per second and the time left, estimated from bytes read against
// the file's size (unknown for standard input: no bar, only the count).
type progressBar struct {
	w     io.Writer
	name  string
	size  int64
	start time.Time
	last  time.Time
}

func newProgressBar(w io.Writer, name string, size int64) *progressBar {
	return &progressBar{w: w, name: name, size: size, start: time.Now()}
}

func (b *progressBar) update(records int, bytes int64) {
	now := time.Now()
	if now.Sub(b.last) < 200*time.Millisecond {
		return
	}
	b.last = now
	el := now.Sub(b.start).Seconds()
	rate := float64(records) / max(el, 1e-9)
	if b.size <= 0 {
		fmt.Fprintf(b.w, "\r%s: %d records, %.0f/s   ", b.name, records, rate)
		return
	}
	frac := min(float64(bytes)/float64(b.size), 1)
	const width = 30
	filled := int(frac * width)
	eta := "?"
	if frac > 0 {
		eta = time.Duration(el * (1 - frac) / frac * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%% %d records %.0f/s ETA %s   ",
		b.name, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), frac*100, records, rate, eta)
}

// done clears the bar's line.
func (b *progressBar) done() {
	fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 100))
}
