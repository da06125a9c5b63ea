package store_test

import (
	"context"
	"testing"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// TestChanges: each write closes the channel Changed returned before it,
// and Changes lists the writes after a position with whether readers saw
// the incident before.
func TestChanges(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	start, err := s.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	queued := pt(10, 10, "2020-01-01")
	queued.Status = incident.StatusUnreviewed
	steps := []struct {
		name  string
		write func() (string, error)
		// wantWasPublished is the change's WasPublished.
		wantWasPublished bool
	}{
		{"insert published", func() (string, error) {
			in, err := s.Insert(ctx, []incident.Incident{pt(1, 1, "2020-01-01")})
			return in[0].ID, err
		}, false},
		{"insert queued", func() (string, error) {
			in, err := s.Insert(ctx, []incident.Incident{queued})
			queued = in[0]
			return queued.ID, err
		}, false},
		{"accept", func() (string, error) {
			_, err := s.Review(ctx, queued.ID, incident.StatusPublished, "")
			return queued.ID, err
		}, false},
		{"reject once published", func() (string, error) {
			_, err := s.Review(ctx, queued.ID, incident.StatusRejected, "wrong place")
			return queued.ID, err
		}, true},
		{"delete the rejected", func() (string, error) {
			return queued.ID, s.Delete(ctx, queued.ID)
		}, false},
	}
	after := start
	for _, st := range steps {
		changed := s.Changed()
		id, err := st.write()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		select {
		case <-changed:
		default:
			t.Fatalf("%s: the channel taken before the write is still open", st.name)
		}
		cs, err := s.Changes(ctx, after, 1<<62, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].IncidentID != id || cs[0].WasPublished != st.wantWasPublished || cs[0].Seq <= after {
			t.Fatalf("%s: changes after %d = %+v, want one of %s, was published %v", st.name, after, cs, id, st.wantWasPublished)
		}
		after = cs[0].Seq
	}
	last, err := s.LastChange(ctx)
	if err != nil || last != after {
		t.Errorf("LastChange = %d, %v; want %d", last, err, after)
	}
	// through bounds the list; limit too.
	if cs, err := s.Changes(ctx, start, start+2, 10); err != nil || len(cs) != 2 {
		t.Errorf("changes through %d: %+v, %v; want 2", start+2, cs, err)
	}
	if cs, err := s.Changes(ctx, start, after, 3); err != nil || len(cs) != 3 {
		t.Errorf("changes limited to 3: %d, %v", len(cs), err)
	}
	// A channel taken now stays open until the next write.
	select {
	case <-s.Changed():
		t.Error("Changed is closed without a write")
	default:
	}
}
