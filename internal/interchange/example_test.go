package interchange_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/interchange"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Reading an older, upper-case ACLED export: each row becomes an incident
// in incidentmap's vocabulary, and a bad row is reported with its line and
// column while the reading goes on.
func ExampleNewReader() {
	data := "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,ACTOR1,COUNTRY,LOCATION,LATITUDE,LONGITUDE,FATALITIES\n" +
		"NIG1,5-Aug-24,Battle-No change of territory,Boko Haram,Nigeria,Maiduguri,11.8464,13.1603,4\n" +
		"NIG2,31-02-24,Riots,Rioters,Nigeria,Kano,12.0,8.5,0\n"
	src, err := interchange.NewReader(interchange.FormatACLED, strings.NewReader(data), interchange.ReaderOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		var in incident.Incident
		err := src.Next(&in)
		var re *interchange.RowError
		switch {
		case errors.Is(err, io.EOF):
			return
		case errors.As(err, &re):
			fmt.Println("rejected:", re)
		case err != nil:
			fmt.Println(err)
			return
		default:
			fmt.Println(in.SourceEventID, in.EventDate, in.EventType+" / "+in.SubEventType, in.Country, in.Point(), *in.Fatalities)
		}
	}
	// Output:
	// acled:NIG1 2024-08-05 Battles / Armed clash NG [13.1603 11.8464] 4
	// rejected: row 3: EVENT_DATE: "31-02-24" is not a calendar date
}

// Importing an export where ACLED lists an event once per extra actor: the
// rows become one incident with every actor and inter code, the exact
// repeat is skipped, and each rejection is handed to OnReject as it
// happens (a report file of any size) and counted per reason.
func ExampleImporter_Import() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "example.gpkg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	data := "event_id_cnty,event_date,event_type,actor1,inter1,actor2,inter2,country,location,latitude,longitude\n" +
		"BGD1,2014-01-12,Riots,Rioters (Bangladesh),5,Police Forces of Bangladesh,1,Bangladesh,Dhaka,23.71,90.41\n" +
		"BGD1,2014-01-12,Riots,Protesters (Bangladesh),6,Police Forces of Bangladesh,1,Bangladesh,Dhaka,23.71,90.41\n" +
		"BGD1,2014-01-12,Riots,Protesters (Bangladesh),6,Police Forces of Bangladesh,1,Bangladesh,Dhaka,23.71,90.41\n" +
		"BGD2,2014-01-32,Riots,Rioters (Bangladesh),5,,,Bangladesh,Dhaka,23.71,90.41\n"
	src, err := interchange.NewReader(interchange.FormatACLED, strings.NewReader(data), interchange.ReaderOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	im := interchange.NewImporter(st)
	im.OnReject = func(e interchange.RowError) error {
		fmt.Println("rejected:", e.Error())
		return nil
	}
	rep, err := im.Import(ctx, src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d inserted, %d merged, %d duplicate, %d rejected\n", rep.Inserted, rep.Merged, rep.Duplicates, rep.Rejected)
	for _, r := range rep.Reasons {
		fmt.Printf("%d × %s\n", r.Rows, r.Reason)
	}
	st.Query(ctx, store.Query{}, func(in *incident.Incident) error {
		fmt.Printf("%s: %s [%s] vs %s [%s]\n", in.SourceEventID, in.Actor1, in.Inter1, in.Actor2, in.Inter2)
		return nil
	})
	// Output:
	// rejected: row 5: event_date: "2014-01-32" is not a calendar date
	// 1 inserted, 1 merged, 1 duplicate, 1 rejected
	// 1 × event_date: "…" is not a calendar date
	// acled:BGD1: Rioters (Bangladesh); Protesters (Bangladesh) [5; 6] vs Police Forces of Bangladesh [1]
}
