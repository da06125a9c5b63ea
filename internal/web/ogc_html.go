package web

import (
	"bufio"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// ogcPage is what the generic HTML page of the OGC API shows.
type ogcPage struct {
	Title       string
	Description string
	Links       []link
	List        []string
	Collections []collectionInfo
}

// ogcTemplates are the HTML pages for people browsing the OGC API. They
// are parsed once and never change; html/template escapes every value.
var ogcTemplates = template.Must(template.New("ogc").Parse(`
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · incidentmap</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{background:#f3f3f3;padding:0 .2rem}nav a{margin-right:1rem}.links li{margin:.15rem 0}small{color:#666}
</style></head><body>
<nav><a href="/ogc?f=html">OGC API home</a><a href="/ogc/collections?f=html">Collections</a><a href="/ogc/api?f=html">API</a><a href="/">Map</a></nav>
<h1>{{.Title}}</h1>{{with .Description}}<p>{{.}}</p>{{end}}{{end}}

{{define "links"}}{{with .}}<h2>Links</h2><ul class="links">{{range .}}<li><a href="{{.Href}}">{{if .Title}}{{.Title}}{{else}}{{.Href}}{{end}}</a> <small>rel={{.Rel}} type={{.Type}}</small></li>{{end}}</ul>{{end}}{{end}}

{{define "foot"}}</body></html>
{{end}}

{{define "page"}}{{template "head" .}}
{{with .List}}<ul>{{range .}}<li><code>{{.}}</code></li>{{end}}</ul>{{end}}
{{range .Collections}}<h2>{{.Title}} <small>({{.ID}})</small></h2><p>{{.Description}}</p>
{{with .Extent}}{{with .spatial}}<p>Extent: {{.bbox}}</p>{{end}}{{with .temporal}}<p>Dates: {{.interval}}</p>{{end}}{{end}}
<ul class="links">{{range .Links}}<li><a href="{{.Href}}">{{.Title}}</a> <small>rel={{.Rel}} type={{.Type}}</small></li>{{end}}</ul>{{end}}
{{template "links" .Links}}{{template "foot"}}{{end}}

{{define "items-head"}}{{template "head" .}}<p>{{.Matched}} incidents match; this page shows up to {{.Limit}}.</p>
<table><thead><tr><th>id</th><th>event_date</th><th>event_type</th><th>location</th><th>country</th><th>fatalities</th><th>actors</th></tr></thead><tbody>
{{end}}

{{define "item-row"}}<tr><td><a href="{{.Href}}">{{.In.ID}}</a></td><td>{{.In.EventDate}}{{with .In.EventEndDate}} – {{.}}{{end}}</td><td>{{.In.EventType}}<br><small>{{.In.SubEventType}}</small></td>
<td>{{.In.Location}}{{with .In.Admin1}}<br><small>{{.}}</small>{{end}}</td><td>{{.In.Country}}</td><td>{{with .In.Fatalities}}{{.}}{{else}}<small>unknown</small>{{end}}</td><td>{{.In.Actor1}}{{with .In.Actor2}}<br>{{.}}{{end}}</td></tr>
{{end}}

{{define "items-foot"}}</tbody></table>{{template "links" .Links}}{{template "foot"}}{{end}}

{{define "incident"}}{{template "head" .}}{{with .In}}<table>
<tr><th>event_date</th><td>{{.EventDate}}{{with .EventEndDate}} – {{.}}{{end}} {{with .DatePrecision}}<small>({{.}})</small>{{end}}</td></tr>
<tr><th>event_type</th><td>{{.EventType}} / {{.SubEventType}}</td></tr>
<tr><th>actors</th><td>{{.Actor1}}{{with .AssocActor1}} ({{.}}){{end}}{{with .Actor2}}<br>{{.}}{{end}}{{with .AssocActor2}} ({{.}}){{end}}</td></tr>
<tr><th>fatalities</th><td>{{with .Fatalities}}{{.}}{{else}}unknown{{end}}</td></tr>
<tr><th>place</th><td>{{.Location}}, {{.Admin2}}, {{.Admin1}}, {{.Country}} <small>{{with .PlaceID}}{{.}}{{end}}</small></td></tr>
<tr><th>where</th><td>{{$.Where}}</td></tr>
<tr><th>notes</th><td>{{.Notes}}</td></tr>
{{range .Sources}}<tr><th>source</th><td>{{if .URL}}<a href="{{.URL}}" rel="nofollow noopener">{{if .Title}}{{.Title}}{{else}}{{.URL}}{{end}}</a>{{else}}{{.Title}}{{end}} {{.Publisher}} {{.Published}}{{with .Evidence}}<br><small>“{{.}}”</small>{{end}}</td></tr>{{end}}
</table>{{end}}{{template "links" .Links}}{{template "foot"}}{{end}}

{{define "places"}}{{template "head" .}}<table><thead><tr><th>id</th><th>name</th><th>level</th><th>country</th><th>admin1</th><th>population</th><th>lon, lat</th></tr></thead><tbody>
{{range .Places}}<tr><td><a href="/ogc/collections/places/items/{{.ID}}?f=html">{{.ID}}</a></td><td>{{.Properties.Name}}</td><td>{{.Properties.Level}}</td><td>{{.Properties.Country}}</td><td>{{.Properties.Admin1}}</td><td>{{.Properties.Population}}</td><td>{{index .Geometry.Coordinates 0}}, {{index .Geometry.Coordinates 1}}</td></tr>{{end}}
</tbody></table><p><small>{{.Attribution}}</small></p>{{template "links" .Links}}{{template "foot"}}{{end}}
`))

// startHTML sends the header of a 200 HTML page and reports whether the
// page itself should follow (not for HEAD).
func startHTML(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	return r.Method != http.MethodHead
}

// writeOGCPage renders the generic page.
func (s *Server) writeOGCPage(w http.ResponseWriter, r *http.Request, p ogcPage) error {
	if !startHTML(w, r) {
		return nil
	}
	return ogcTemplates.ExecuteTemplate(w, "page", p)
}

// writeIncidentItemsHTML streams a page of incidents as an HTML table, one
// row per incident, like the GeoJSON form. Nothing is sent before the first
// row, so that a bad cursor still becomes a problem response.
func (s *Server) writeIncidentItemsHTML(w http.ResponseWriter, r *http.Request, q store.Query, matched int64) error {
	if r.Method == http.MethodHead {
		startHTML(w, r)
		return nil
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	started := false
	begin := func() error {
		started = true
		startHTML(w, r)
		return ogcTemplates.ExecuteTemplate(bw, "items-head", struct {
			Title, Description string
			Matched            int64
			Limit              int
		}{"Incidents", "", matched, q.Limit})
	}
	type row struct {
		In   *incident.Incident
		Href string
	}
	next, err := s.store.Query(r.Context(), q, func(in *incident.Incident) error {
		if !started {
			if err := begin(); err != nil {
				return err
			}
		}
		return ogcTemplates.ExecuteTemplate(bw, "item-row", row{in, "/ogc/collections/incidents/items/" + url.PathEscape(in.ID) + "?f=html"})
	})
	if err != nil {
		return err
	}
	if !started {
		if err := begin(); err != nil {
			return err
		}
	}
	if err := ogcTemplates.ExecuteTemplate(bw, "items-foot", struct{ Links []link }{s.itemsLinks(r, "html", next)}); err != nil {
		return err
	}
	return bw.Flush()
}

// writeIncidentHTML renders one incident.
func (s *Server) writeIncidentHTML(w http.ResponseWriter, r *http.Request, in *incident.Incident, links []link) error {
	if !startHTML(w, r) {
		return nil
	}
	where := ""
	if in.Geometry != nil {
		p := in.Point()
		where = strconv.FormatFloat(p[0], 'f', -1, 64) + ", " + strconv.FormatFloat(p[1], 'f', -1, 64) + " (lon, lat)"
	}
	return ogcTemplates.ExecuteTemplate(w, "incident", struct {
		Title, Description string
		In                 *incident.Incident
		Where              string
		Links              []link
	}{"Incident " + in.ID, in.EventType + " at " + in.Location, in, where, links})
}

// writePlacesHTML renders gazetteer places.
func (s *Server) writePlacesHTML(w http.ResponseWriter, r *http.Request, title string, places []placeFeature, links []link) error {
	if !startHTML(w, r) {
		return nil
	}
	return ogcTemplates.ExecuteTemplate(w, "places", struct {
		Title, Description, Attribution string
		Places                          []placeFeature
		Links                           []link
	}{title, "", gazetteer.Attribution, places, links})
}
