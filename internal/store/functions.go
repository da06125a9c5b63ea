package store

import (
	"database/sql/driver"
	"fmt"
	"sync"

	"modernc.org/sqlite"

	"github.com/incidentmap/incidentmap/geo"
)

// registerOnce guards the driver-wide registration of the ST_* functions:
// modernc.org/sqlite registers functions for the whole process, and a second
// registration of the same name fails.
var registerOnce sync.Once

// registerFunctions registers the SQL functions the GeoPackage R*Tree
// triggers call (GeoPackage 1.3 Annex F.3): ST_IsEmpty, ST_MinX, ST_MaxX,
// ST_MinY, ST_MaxY over GeoPackage geometry blobs. GDAL registers the same
// names when it opens the file, so both can write to it.
func registerFunctions() {
	registerOnce.Do(func() {
		env := func(name string, pick func(minx, maxx, miny, maxy float64) float64) {
			sqlite.MustRegisterDeterministicScalarFunction(name, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
				blob, ok := args[0].([]byte)
				if !ok {
					return nil, nil
				}
				b, empty, err := geo.Envelope(blob)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				if empty {
					return nil, nil
				}
				return pick(b.Min[0], b.Max[0], b.Min[1], b.Max[1]), nil
			})
		}
		env("ST_MinX", func(minx, _, _, _ float64) float64 { return minx })
		env("ST_MaxX", func(_, maxx, _, _ float64) float64 { return maxx })
		env("ST_MinY", func(_, _, miny, _ float64) float64 { return miny })
		env("ST_MaxY", func(_, _, _, maxy float64) float64 { return maxy })
		// im_envelope_intersects(geom, minx, miny, maxx, maxy) is the exact
		// envelope test behind bbox queries, one call per candidate row.
		sqlite.MustRegisterDeterministicScalarFunction("im_envelope_intersects", 5, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			blob, ok := args[0].([]byte)
			if !ok {
				return int64(0), nil
			}
			b, empty, err := geo.Envelope(blob)
			if err != nil || empty {
				return int64(0), err
			}
			var box [4]float64
			for i := range box {
				switch v := args[i+1].(type) {
				case float64:
					box[i] = v
				case int64:
					box[i] = float64(v)
				default:
					return nil, fmt.Errorf("im_envelope_intersects: argument %d is not a number", i+2)
				}
			}
			if b.Max[0] < box[0] || b.Min[0] > box[2] || b.Max[1] < box[1] || b.Min[1] > box[3] {
				return int64(0), nil
			}
			return int64(1), nil
		})
		sqlite.MustRegisterDeterministicScalarFunction("ST_IsEmpty", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			blob, ok := args[0].([]byte)
			if !ok {
				return int64(1), nil
			}
			_, empty, err := geo.Envelope(blob)
			if err != nil {
				return nil, fmt.Errorf("ST_IsEmpty: %w", err)
			}
			if empty {
				return int64(1), nil
			}
			return int64(0), nil
		})
		registerSpatialFunctions()
	})
}
