package web_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// acledRows writes an ACLED-format CSV with n good rows in Afghanistan.
func acledRows(n int) string {
	var b strings.Builder
	b.WriteString("event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "AFG%d,%02d-March-2020,1,Battles,Armed clash,Taliban,\"Military Forces of Afghanistan\",Afghanistan,Helmand,Musa Qala,32.45%02d,64.74,1,Pajhwok,\"Clash \"\"near\"\" the bazaar\",%d\n", i, 1+i%28, i%100, i%9)
	}
	return b.String()
}

type importReport struct {
	Format     string `json:"format"`
	Read       int    `json:"read"`
	Inserted   int    `json:"inserted"`
	Updated    int    `json:"updated"`
	Rejected   int    `json:"rejected"`
	Rejections []struct {
		Row    int    `json:"row"`
		Column string `json:"column"`
		Reason string `json:"reason"`
	} `json:"rejections"`
}

func decodeReport(t *testing.T, r response) importReport {
	t.Helper()
	var rep importReport
	if err := json.Unmarshal(r.body, &rep); err != nil {
		t.Fatalf("import answer is not a report: %v\n%s", err, r.body)
	}
	return rep
}

func TestImportAndExport(t *testing.T) {
	srv, st := newServer(t)
	data := acledRows(30)
	bad := "BAD1,30-February-2020,1,Battles,Armed clash,Taliban,,Afghanistan,Helmand,Musa Qala,32.45,64.74,1,Pajhwok,bad date,1\n"

	// Writes need the token.
	if res := do(t, "POST", srv.URL+"/api/import?format=acled", "", data); res.status != http.StatusUnauthorized {
		t.Fatalf("import without token: %d", res.status)
	}
	res := do(t, "POST", srv.URL+"/api/import?format=acled", testToken, data+bad)
	if res.status != http.StatusOK {
		t.Fatalf("import: %d %s", res.status, res.body)
	}
	rep := decodeReport(t, res)
	if rep.Inserted != 30 || rep.Rejected != 1 || len(rep.Rejections) != 1 ||
		rep.Rejections[0].Row != 32 || rep.Rejections[0].Column != "event_date" {
		t.Fatalf("report %+v: want 30 inserted and row 32 rejected on event_date", rep)
	}
	// The same file again updates, never duplicates.
	rep = decodeReport(t, do(t, "POST", srv.URL+"/api/import?format=acled", testToken, data))
	if rep.Inserted != 0 || rep.Updated != 30 {
		t.Fatalf("re-import %+v: want 30 updated", rep)
	}

	// A browser form upload (multipart) works the same.
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "events.csv")
	io.WriteString(fw, data)
	mw.Close()
	rep = decodeReport(t, do(t, "POST", srv.URL+"/api/import?format=acled", testToken, mp.String(), "Content-Type", mw.FormDataContentType()))
	if rep.Updated != 30 {
		t.Fatalf("multipart import %+v: want 30 updated", rep)
	}

	// Export with a filter: fatalities ≥ 5 are rows with i%9 ≥ 5.
	want := 0
	for i := 0; i < 30; i++ {
		if i%9 >= 5 {
			want++
		}
	}
	res = do(t, "GET", srv.URL+"/api/export?format=geojson&min_fatalities=5", "", "")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/geo+json") ||
		!strings.Contains(res.header.Get("Content-Disposition"), "incidents.geojson") {
		t.Fatalf("export geojson: %d %v", res.status, res.header)
	}
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(res.body, &fc); err != nil || len(fc.Features) != want {
		t.Fatalf("export geojson: %d features (%v), want %d", len(fc.Features), err, want)
	}
	res = do(t, "GET", srv.URL+"/api/export?format=csv&min_fatalities=5", "", "")
	if lines := strings.Count(string(res.body), "\n"); res.status != http.StatusOK || lines != want+1 {
		t.Fatalf("export csv: %d, %d lines, want %d", res.status, lines, want+1)
	}
	res = do(t, "GET", srv.URL+"/api/export?format=kml", "", "")
	if res.status != http.StatusOK || strings.Count(string(res.body), "<Placemark") != 30 {
		t.Fatalf("export kml: %d, %d placemarks", res.status, strings.Count(string(res.body), "<Placemark"))
	}
	res = do(t, "GET", srv.URL+"/api/export?format=gpkg&country=AF", "", "")
	if res.status != http.StatusOK || !bytes.HasPrefix(res.body, []byte("SQLite format 3\x00")) {
		t.Fatalf("export gpkg: %d, %q", res.status, res.body[:min(16, len(res.body))])
	}
	_ = st
}

func TestImportExportBadInput(t *testing.T) {
	srv, _ := newServer(t)
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		param, field             string
	}{
		{"no format", "POST", "/api/import", "x", 400, "format", ""},
		{"unknown format", "POST", "/api/import?format=xls", "x", 400, "format", ""},
		{"unknown parameter", "POST", "/api/import?format=acled&fromat=1", "x", 400, "fromat", ""},
		{"bad sync", "POST", "/api/import?format=acled&sync=maybe", "x", 400, "sync", ""},
		{"bad dataset", "POST", "/api/import?format=csv&dataset=ACLED", "date,lat,lon\n2020-01-01,1,1\n", 400, "dataset", ""},
		{"missing column", "POST", "/api/import?format=acled", "event_id_cnty,event_date\nA,2020-01-01\n", 400, "", "body"},
		{"empty body", "POST", "/api/import?format=ucdp", "", 400, "", "body"},
		{"not geojson", "POST", "/api/import?format=geojson", "<xml/>", 400, "", "body"},
		{"sync geojson", "POST", "/api/import?format=geojson&sync=true", `{"type":"FeatureCollection","features":[]}`, 400, "", "body"},
		{"export unknown format", "GET", "/api/export?format=shp", "", 400, "format", ""},
		{"export bad filter", "GET", "/api/export?format=csv&bbox=1,2,3", "", 400, "bbox", ""},
		{"export unknown parameter", "GET", "/api/export?format=csv&limit=5", "", 400, "limit", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := do(t, c.method, srv.URL+c.path, testToken, c.body)
			if res.status != c.status || res.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %s", res.status, res.header.Get("Content-Type"), res.body)
			}
			p := res.json(t)
			if p["param"] != nilIfEmpty(c.param) || p["field"] != nilIfEmpty(c.field) {
				t.Errorf("problem %v: want param %q field %q", p, c.param, c.field)
			}
		})
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestImportTooLarge announces a 300 MB body: the server answers 413 at once,
// without reading it.
func TestImportTooLarge(t *testing.T) {
	srv, _ := newServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST /api/import?format=acled HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\nevent_id_cnty\n", testToken, 300<<20)
	res, err := http.ReadResponse(bufioReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "256 MB") {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
}

func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }
