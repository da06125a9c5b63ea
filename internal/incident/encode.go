package incident

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// AppendFeature appends in as a GeoJSON Feature to dst, byte for byte what
// json.Marshal(in.ToFeature()) writes (without HTML escaping), without
// reflection. Listing endpoints write thousands of features per response,
// and this is their hot path.
func (in *Incident) AppendFeature(dst []byte) []byte {
	dst = append(dst, `{"type":"Feature"`...)
	if in.ID != "" {
		dst = append(dst, `,"id":`...)
		dst = appendString(dst, in.ID)
	}
	dst = append(dst, `,"geometry":`...)
	dst = appendGeometry(dst, in.Geometry)
	dst = append(dst, `,"properties":{"event_date":`...)
	dst = appendString(dst, in.EventDate)
	dst = appendTextOrNull(dst, "event_end_date", in.EventEndDate)
	dst = appendTextOrNull(dst, "date_precision", in.DatePrecision)
	dst = appendTextOrNull(dst, "event_type", in.EventType)
	dst = appendTextOrNull(dst, "sub_event_type", in.SubEventType)
	dst = appendTextOrNull(dst, "actor1", in.Actor1)
	dst = appendTextOrNull(dst, "actor2", in.Actor2)
	dst = appendTextOrNull(dst, "assoc_actor_1", in.AssocActor1)
	dst = appendTextOrNull(dst, "assoc_actor_2", in.AssocActor2)
	dst = appendTextOrNull(dst, "inter1", in.Inter1)
	dst = appendTextOrNull(dst, "inter2", in.Inter2)
	dst = appendIntOrNull(dst, "fatalities", in.Fatalities)
	dst = appendIntOrNull(dst, "civilian_fatalities", in.CivilianFatalities)
	dst = appendIntOrNull(dst, "injured", in.Injured)
	dst = appendTextOrNull(dst, "location", in.Location)
	dst = appendTextOrNull(dst, "admin1", in.Admin1)
	dst = appendTextOrNull(dst, "admin2", in.Admin2)
	dst = appendTextOrNull(dst, "country", in.Country)
	dst = appendKey(dst, "geo_precision")
	if in.GeoPrecision != 0 {
		dst = strconv.AppendInt(dst, int64(in.GeoPrecision), 10)
	} else {
		dst = append(dst, "null"...)
	}
	dst = appendTextOrNull(dst, "place_id", in.PlaceID)
	dst = appendTextOrNull(dst, "notes", in.Notes)
	dst = appendKey(dst, "tags")
	if len(in.Tags) > 0 {
		dst = append(dst, '[')
		for i, t := range in.Tags {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, t)
		}
		dst = append(dst, ']')
	} else {
		dst = append(dst, "null"...)
	}
	dst = appendKey(dst, "confidence")
	if in.Confidence != nil {
		dst = appendFloat(dst, *in.Confidence)
	} else {
		dst = append(dst, "null"...)
	}
	dst = appendKey(dst, "sources")
	if len(in.Sources) > 0 {
		dst = appendSources(dst, in.Sources)
	} else {
		dst = append(dst, "null"...)
	}
	dst = appendTextOrNull(dst, "source_event_id", in.SourceEventID)
	dst = appendTimestampOrNull(dst, "created", in.Created)
	dst = appendTimestampOrNull(dst, "updated", in.Updated)
	return append(dst, "}}"...)
}

// appendSources writes sources as a JSON array, each source's empty members
// left out.
func appendSources(dst []byte, sources []Source) []byte {
	dst = append(dst, '[')
	for i, s := range sources {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		n := len(dst)
		for _, f := range [...]struct{ k, v string }{{"url", s.URL}, {"title", s.Title}, {"publisher", s.Publisher}, {"published", s.Published}, {"evidence", s.Evidence}} {
			if f.v == "" {
				continue
			}
			if len(dst) > n {
				dst = append(dst, ',')
			}
			dst = appendString(dst, f.k)
			dst = append(dst, ':')
			dst = appendString(dst, f.v)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendTimestampOrNull writes the member key: t as TimeLayout does, or
// null for the zero time.
func appendTimestampOrNull(dst []byte, key string, t time.Time) []byte {
	dst = appendKey(dst, key)
	if t.IsZero() {
		return append(dst, "null"...)
	}
	dst = append(dst, '"')
	dst = AppendTimestamp(dst, t)
	return append(dst, '"')
}

// AppendTimestamp appends t as TimeLayout formats it (UTC, milliseconds),
// without the layout interpreter of time.Format, which showed in list and
// export profiles.
func AppendTimestamp(dst []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(dst, TimeLayout)
	}
	h, mi, sec := t.Clock()
	ms := t.Nanosecond() / 1e6
	two := func(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }
	dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	dst = append(two(dst, int(mo)), '-')
	dst = append(two(dst, d), 'T')
	dst = append(two(dst, h), ':')
	dst = append(two(dst, mi), ':')
	dst = append(two(dst, sec), '.')
	return append(dst, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

func appendGeometry(dst []byte, g orb.Geometry) []byte {
	switch g := g.(type) {
	case nil:
		return append(dst, "null"...)
	case orb.Point:
		dst = append(dst, `{"type":"Point","coordinates":`...)
		return append(appendPoint(dst, g), '}')
	default:
		b, err := geojson.NewGeometry(g).MarshalJSON()
		if err != nil {
			return append(dst, "null"...)
		}
		return append(dst, b...)
	}
}

func appendPoint(dst []byte, p orb.Point) []byte {
	dst = append(dst, '[')
	dst = appendFloat(dst, p[0])
	dst = append(dst, ',')
	dst = appendFloat(dst, p[1])
	return append(dst, ']')
}

// appendFloat writes f as encoding/json does.
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// appendKey starts the member key of an object that has members before it.
func appendKey(dst []byte, key string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	return append(dst, '"', ':')
}

// appendTextOrNull writes the member key: v as a string, or null when empty.
func appendTextOrNull(dst []byte, key, v string) []byte {
	dst = appendKey(dst, key)
	if v == "" {
		return append(dst, "null"...)
	}
	return appendString(dst, v)
}

func appendIntOrNull(dst []byte, key string, v *int) []byte {
	dst = appendKey(dst, key)
	if v == nil {
		return append(dst, "null"...)
	}
	return strconv.AppendInt(dst, int64(*v), 10)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string, escaping as encoding/json does
// with HTML escaping off (invalid UTF-8 becomes U+FFFD).
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
