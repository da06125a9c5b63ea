package web

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// link is a web link as GeoJSON collections and OGC API carry them.
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// collectionWriter streams a GeoJSON FeatureCollection: the opening, then
// one feature at a time, then the closing members. Memory stays flat
// whatever the number of features.
//
// Nothing is sent until the first feature or Close, so that an error found
// before then (a bad cursor, say) can still become a problem response.
type collectionWriter struct {
	w           http.ResponseWriter
	status      int
	contentType string
	head        map[string]any
	started     bool
	bw          *bufio.Writer
	enc         *json.Encoder
	count       int
	buf         []byte // reused by Write
}

// startCollection prepares a collection response. Members known before the
// features (such as numberMatched) go in head.
func startCollection(w http.ResponseWriter, status int, contentType string, head map[string]any) (*collectionWriter, error) {
	bw := bufio.NewWriterSize(w, 32<<10)
	cw := &collectionWriter{w: w, status: status, contentType: contentType, head: head, bw: bw, enc: json.NewEncoder(bw)}
	cw.enc.SetEscapeHTML(false)
	return cw, nil
}

// begin sends the header and the opening of the collection.
func (cw *collectionWriter) begin() error {
	cw.started = true
	cw.w.Header().Set("Content-Type", cw.contentType)
	cw.w.WriteHeader(cw.status)
	cw.bw.WriteString(`{"type":"FeatureCollection"`)
	if err := cw.members(cw.head); err != nil {
		return err
	}
	_, err := cw.bw.WriteString(`,"features":[`)
	return err
}

// Write adds one incident as a Feature.
func (cw *collectionWriter) Write(in *incident.Incident) error {
	cw.buf = in.AppendFeature(cw.buf[:0])
	return cw.WriteFeature(cw.buf)
}

// WriteFeature adds one feature already encoded as JSON.
func (cw *collectionWriter) WriteFeature(feature []byte) error {
	if err := cw.next(); err != nil {
		return err
	}
	cw.bw.Write(feature)
	return cw.bw.WriteByte('\n')
}

// WriteValue adds one feature of any JSON-encodable type.
func (cw *collectionWriter) WriteValue(v any) error {
	if err := cw.next(); err != nil {
		return err
	}
	// Encode appends a newline, which keeps long responses readable.
	if err := cw.enc.Encode(v); err != nil {
		return fmt.Errorf("encoding feature: %w", err)
	}
	return nil
}

// next starts the collection before its first feature and separates the
// features after.
func (cw *collectionWriter) next() error {
	if !cw.started {
		if err := cw.begin(); err != nil {
			return err
		}
	}
	if cw.count > 0 {
		cw.bw.WriteByte(',')
	}
	cw.count++
	return nil
}

// Close writes the members known only after the features, closes the
// collection and flushes.
func (cw *collectionWriter) Close(tail map[string]any) error {
	if !cw.started {
		if err := cw.begin(); err != nil {
			return err
		}
	}
	cw.bw.WriteByte(']')
	if err := cw.members(tail); err != nil {
		return err
	}
	cw.bw.WriteByte('}')
	cw.bw.WriteByte('\n')
	return cw.bw.Flush()
}

func (cw *collectionWriter) members(m map[string]any) error {
	for _, k := range sortedKeys(m) {
		fmt.Fprintf(cw.bw, ",%q:", k)
		if err := cw.enc.Encode(m[k]); err != nil {
			return fmt.Errorf("encoding %s: %w", k, err)
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// pointGeometry is a GeoJSON Point, for features built as structs (places,
// clusters) rather than from an incident.
type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// pointOf is p as a GeoJSON Point.
func pointOf(p orb.Point) pointGeometry {
	return pointGeometry{Type: "Point", Coordinates: [2]float64(p)}
}
