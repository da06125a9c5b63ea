package interchange

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// appendFeature appends in as a GeoJSON Feature, with the members and order
// of incident.Feature, written by hand: exports write millions of them and
// reflection-based encoding was most of their cost. Sources and tags,
// small and rare, go through encoding/json.
func appendFeature(b []byte, in *incident.Incident) ([]byte, error) {
	b = append(b, `{"type":"Feature"`...)
	if in.ID != "" {
		b = append(b, `,"id":`...)
		b = appendString(b, in.ID)
	}
	b = append(b, `,"geometry":`...)
	switch g := in.Geometry.(type) {
	case nil:
		b = append(b, "null"...)
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":[`...)
		b = strconv.AppendFloat(b, g[0], 'f', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, g[1], 'f', -1, 64)
		b = append(b, "]}"...)
	default:
		raw, err := json.Marshal(geojson.NewGeometry(g))
		if err != nil {
			return b, err
		}
		b = append(b, raw...)
	}
	b = append(b, `,"properties":{"event_date":`...)
	b = appendString(b, in.EventDate)
	str := func(name, v string) {
		if v != "" {
			b = append(b, ',', '"')
			b = append(b, name...)
			b = append(b, '"', ':')
			b = appendString(b, v)
		}
	}
	num := func(name string, v *int) {
		b = append(b, ',', '"')
		b = append(b, name...)
		b = append(b, '"', ':')
		if v == nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendInt(b, int64(*v), 10)
		}
	}
	str("event_end_date", in.EventEndDate)
	str("date_precision", in.DatePrecision)
	str("event_type", in.EventType)
	str("sub_event_type", in.SubEventType)
	str("actor1", in.Actor1)
	str("actor2", in.Actor2)
	str("assoc_actor_1", in.AssocActor1)
	str("assoc_actor_2", in.AssocActor2)
	num("fatalities", in.Fatalities)
	num("civilian_fatalities", in.CivilianFatalities)
	num("injured", in.Injured)
	str("location", in.Location)
	str("admin1", in.Admin1)
	str("admin2", in.Admin2)
	str("country", in.Country)
	if in.GeoPrecision != 0 {
		b = append(b, `,"geo_precision":`...)
		b = strconv.AppendInt(b, int64(in.GeoPrecision), 10)
	}
	str("place_id", in.PlaceID)
	str("notes", in.Notes)
	if len(in.Tags) > 0 {
		b = append(b, `,"tags":[`...)
		for i, t := range in.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, t)
		}
		b = append(b, ']')
	}
	if in.Confidence != nil {
		b = append(b, `,"confidence":`...)
		b = strconv.AppendFloat(b, *in.Confidence, 'g', -1, 64)
	}
	if len(in.Sources) > 0 {
		raw, err := json.Marshal(in.Sources)
		if err != nil {
			return b, err
		}
		b = append(b, `,"sources":`...)
		b = append(b, raw...)
	}
	str("source_event_id", in.SourceEventID)
	str("created", timestamp(in.Created))
	str("updated", timestamp(in.Updated))
	return append(b, "}}"...), nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// without HTML escaping: quotes, backslashes, control characters, invalid
// UTF-8 (as U+FFFD) and U+2028/U+2029 (which break JavaScript).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
