package web

import (
	"errors"
	"testing"
)

// FuzzTileOf feeds arbitrary path segments to the tile parser: it names a
// real tile (x and y within 0 to 2^z-1) or answers a 400 naming z, x or y,
// and never panics.
func FuzzTileOf(f *testing.F) {
	for _, seed := range [][3]string{{"0", "0", "0"}, {"24", "16777215", "0"}, {"25", "0", "0"}, {"-1", "0", "0"},
		{"3", "8", "0"}, {"a", "b", "c"}, {"3", "1", "9999999999999999999999"}, {"+3", "0x1", " 1"}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		tile, err := tileOf(map[string]string{"z": z, "x": x, "y": y})
		if err != nil {
			var p *problem
			if !errors.As(err, &p) || p.Status != 400 || (p.Param != "z" && p.Param != "x" && p.Param != "y") {
				t.Fatalf("tileOf(%q, %q, %q) = %v, want a 400 naming z, x or y", z, x, y, err)
			}
			return
		}
		if n := uint64(1) << tile.Z; uint64(tile.X) >= n || uint64(tile.Y) >= n {
			t.Fatalf("tileOf(%q, %q, %q) = %v, outside the zoom's %d tiles", z, x, y, tile, n)
		}
	})
}
