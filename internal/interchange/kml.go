package interchange

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// kmlFields are the incident properties a KML Placemark carries as
// ExtendedData, declared once in a Schema so that Google Earth and GDAL show
// them as typed attributes.
func kmlFields() [][2]string {
	return [][2]string{
		{"id", "string"}, {"event_date", "string"}, {"event_end_date", "string"}, {"date_precision", "string"},
		{"event_type", "string"}, {"sub_event_type", "string"}, {"actor1", "string"}, {"actor2", "string"},
		{"fatalities", "int"}, {"civilian_fatalities", "int"}, {"injured", "int"}, {"location", "string"},
		{"admin1", "string"}, {"admin2", "string"}, {"country", "string"}, {"geo_precision", "int"},
		{"source_event_id", "string"}, {"sources", "string"},
	}
}

// kmlEncoder writes KML 2.2 for Google Earth: one Placemark per incident
// with a name, the notes as description, a TimeSpan for the time slider and
// the properties as ExtendedData. All text is XML-escaped.
type kmlEncoder struct{}

func (kmlEncoder) begin(w *bufio.Writer) error {
	w.WriteString(xml.Header)
	w.WriteString(`<kml xmlns="http://www.opengis.net/kml/2.2"><Document id="incidents"><name>incidentmap incidents</name>` + "\n")
	w.WriteString(`<Schema name="incident" id="incident">`)
	for _, f := range kmlFields() {
		fmt.Fprintf(w, `<SimpleField name="%s" type="%s"/>`, f[0], f[1])
	}
	_, err := w.WriteString("</Schema>\n<Folder><name>incidents</name>\n")
	return err
}

func (kmlEncoder) write(w *bufio.Writer, in *incident.Incident) error {
	w.WriteString(`<Placemark id="`)
	xmlText(w, "i"+in.ID) // an XML id starts with a letter
	w.WriteString(`"><name>`)
	xmlText(w, placemarkName(in))
	w.WriteString("</name>")
	if in.Notes != "" {
		w.WriteString("<description>")
		xmlText(w, in.Notes)
		w.WriteString("</description>")
	}
	w.WriteString("<TimeSpan><begin>" + in.EventDate + "</begin><end>" + in.EndDate() + "</end></TimeSpan>")
	w.WriteString(`<ExtendedData><SchemaData schemaUrl="#incident">`)
	var pubs []string
	for _, s := range in.Sources {
		switch {
		case s.URL != "":
			pubs = append(pubs, s.URL)
		case s.Publisher != "":
			pubs = append(pubs, s.Publisher)
		}
	}
	geoPrec := ""
	if in.GeoPrecision > 0 {
		geoPrec = strconv.Itoa(in.GeoPrecision)
	}
	values := []string{in.ID, in.EventDate, in.EventEndDate, in.DatePrecision, in.EventType, in.SubEventType,
		in.Actor1, in.Actor2, itoa(in.Fatalities), itoa(in.CivilianFatalities), itoa(in.Injured), in.Location,
		in.Admin1, in.Admin2, in.Country, geoPrec, in.SourceEventID, strings.Join(pubs, " ")}
	for i, f := range kmlFields() {
		if values[i] == "" {
			continue
		}
		w.WriteString(`<SimpleData name="` + f[0] + `">`)
		xmlText(w, values[i])
		w.WriteString("</SimpleData>")
	}
	w.WriteString("</SchemaData></ExtendedData>")
	kmlGeometry(w, in.Geometry)
	_, err := w.WriteString("</Placemark>\n")
	return err
}

func (kmlEncoder) end(w *bufio.Writer) error {
	_, err := w.WriteString("</Folder></Document></kml>\n")
	return err
}

// placemarkName is what Google Earth labels a placemark with: the event
// type and the place.
func placemarkName(in *incident.Incident) string {
	parts := []string{}
	if in.EventType != "" {
		parts = append(parts, in.EventType)
	}
	if in.Location != "" {
		parts = append(parts, in.Location)
	}
	parts = append(parts, in.EventDate)
	return strings.Join(parts, ", ")
}

// xmlText writes s escaped for XML text and attribute values; characters
// XML cannot hold become U+FFFD.
func xmlText(w *bufio.Writer, s string) {
	xml.EscapeText(w, []byte(s))
}

func kmlGeometry(w *bufio.Writer, g orb.Geometry) {
	switch g := g.(type) {
	case orb.Point:
		w.WriteString("<Point><coordinates>")
		kmlCoords(w, []orb.Point{g})
		w.WriteString("</coordinates></Point>")
	case orb.MultiPoint:
		w.WriteString("<MultiGeometry>")
		for _, p := range g {
			kmlGeometry(w, p)
		}
		w.WriteString("</MultiGeometry>")
	case orb.LineString:
		w.WriteString("<LineString><coordinates>")
		kmlCoords(w, g)
		w.WriteString("</coordinates></LineString>")
	case orb.MultiLineString:
		w.WriteString("<MultiGeometry>")
		for _, l := range g {
			kmlGeometry(w, l)
		}
		w.WriteString("</MultiGeometry>")
	case orb.Ring:
		kmlGeometry(w, orb.Polygon{g})
	case orb.Bound:
		kmlGeometry(w, g.ToPolygon())
	case orb.Polygon:
		w.WriteString("<Polygon>")
		for i, r := range g {
			tag := "innerBoundaryIs"
			if i == 0 {
				tag = "outerBoundaryIs"
			}
			w.WriteString("<" + tag + "><LinearRing><coordinates>")
			kmlCoords(w, r)
			w.WriteString("</coordinates></LinearRing></" + tag + ">")
		}
		w.WriteString("</Polygon>")
	case orb.MultiPolygon:
		w.WriteString("<MultiGeometry>")
		for _, p := range g {
			kmlGeometry(w, p)
		}
		w.WriteString("</MultiGeometry>")
	case orb.Collection:
		w.WriteString("<MultiGeometry>")
		for _, c := range g {
			kmlGeometry(w, c)
		}
		w.WriteString("</MultiGeometry>")
	}
}

func kmlCoords(w *bufio.Writer, ps []orb.Point) {
	var buf [64]byte
	for i, p := range ps {
		if i > 0 {
			w.WriteByte(' ')
		}
		w.Write(strconv.AppendFloat(buf[:0], p[0], 'f', -1, 64))
		w.WriteByte(',')
		w.Write(strconv.AppendFloat(buf[:0], p[1], 'f', -1, 64))
	}
}
