// Package sample holds the clearly marked sample incidents that a new
// incidentmap offers on an empty database, so that a first run shows a
// living map. The events are invented for demonstration; the places and
// coordinates are real (from GeoNames). Every sample carries the tag
// incident.SampleTag and says so in its notes.
package sample

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

//go:embed samples.geojson
var samplesGeoJSON []byte

// Incidents returns the sample incidents.
func Incidents() ([]incident.Incident, error) {
	ins, err := incident.DecodeFeatures(bytes.NewReader(samplesGeoJSON))
	if err != nil {
		return nil, fmt.Errorf("decoding sample incidents: %w", err)
	}
	return ins, nil
}

// SeedIfEmpty adds the sample incidents when st holds no incident, and
// returns how many it added.
func SeedIfEmpty(ctx context.Context, st store.Backend) (int, error) {
	n, err := st.Count(ctx, store.Query{})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, nil
	}
	ins, err := Incidents()
	if err != nil {
		return 0, err
	}
	if _, err := st.Insert(ctx, ins); err != nil {
		return 0, fmt.Errorf("adding sample incidents: %w", err)
	}
	return len(ins), nil
}
