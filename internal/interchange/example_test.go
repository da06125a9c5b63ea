package interchange_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/interchange"
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
