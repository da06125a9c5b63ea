package store

import (
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// A packed row comes from the file, which other programs may have
// written: any packed text, geometry blob and confidence either unpacks
// and fills an incident or is refused with an error, never a panic; and
// fields that hold no separator come back as they were packed.
func FuzzUnpackRow(f *testing.F) {
	fields := make([]string, packedCount)
	fields[pID] = "id-1"
	fields[pFatalities] = "3"
	fields[pEventDate] = "2021-03-04"
	f.Add(strings.Join(fields, "\xff"), []byte{}, "x")
	f.Add("no separators at all", []byte("GP\x00\x01"), "")
	f.Add(strings.Repeat("\xff", packedCount+2), []byte{}, "tags")
	f.Fuzz(func(t *testing.T, packed string, geom []byte, field string) {
		b := &rowBuf{packed: packed, geom: geom}
		if b.unpack() {
			var in incident.Incident
			_ = b.fill(&in) // an error is a refusal; a panic fails
		}
		if strings.IndexByte(field, packSep) >= 0 {
			return
		}
		fs := make([]string, packedCount)
		for i := range fs {
			fs[i] = field
		}
		b = &rowBuf{packed: strings.Join(fs, "\xff")}
		if !b.unpack() {
			t.Fatalf("%d copies of %q joined by the separator do not unpack", packedCount, field)
		}
		for i, got := range b.field {
			if got != field {
				t.Fatalf("field %d = %q, want %q", i, got, field)
			}
		}
	})
}
