package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
)

// Tolerance is how many percentage points a figure may fall below its
// committed baseline before CI fails: enough to absorb a changed tie-break,
// small enough to catch a rule that stops generalizing.
const Tolerance = 2.0

// ErrRegression is returned by CheckBaseline when a figure fell more than
// Tolerance points below its baseline.
var ErrRegression = errors.New("score fell below the committed baseline")

// Baseline is the committed figures of one corpus run, in percent, by
// metric name; "slices" holds the same for named subsets.
type Baseline struct {
	Corpus  string                        `json:"corpus"`
	Command string                        `json:"command"`
	Metrics map[string]float64            `json:"metrics"`
	Slices  map[string]map[string]float64 `json:"slices,omitempty"`
}

// ReadBaseline reads a baseline file.
func ReadBaseline(path string) (Baseline, error) {
	var b Baseline
	data, err := os.ReadFile(path)
	if err != nil {
		return b, fmt.Errorf("reading baseline: %w", err)
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return b, fmt.Errorf("reading baseline %s: %w", path, err)
	}
	return b, nil
}

// WriteBaseline writes b as indented JSON with sorted keys.
func WriteBaseline(path string, b Baseline) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding baseline: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing baseline: %w", err)
	}
	return nil
}

// CheckBaseline compares got with the baseline, prints one line per figure
// to w, and returns ErrRegression naming every figure that fell more than
// Tolerance points. Figures above the baseline pass; refresh the file with
// `eval --write-baseline` to hold the gain.
func CheckBaseline(w io.Writer, base, got Baseline) error {
	var failed []string
	check := func(scope string, want, have map[string]float64) {
		for _, k := range slices.Sorted(maps.Keys(want)) {
			h, ok := have[k]
			mark := "ok"
			if !ok || h < want[k]-Tolerance {
				mark = "REGRESSION"
				failed = append(failed, scope+k)
			}
			fmt.Fprintf(w, "baseline %-34s %6.1f  now %6.1f  %s\n", scope+k, want[k], h, mark)
		}
	}
	check("", base.Metrics, got.Metrics)
	for _, name := range slices.Sorted(maps.Keys(base.Slices)) {
		check(name+": ", base.Slices[name], got.Slices[name])
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w by more than %.0f points: %v", ErrRegression, Tolerance, failed)
	}
	return nil
}
