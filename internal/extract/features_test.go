package extract

import (
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/textclass"
)

// The sub-event type blends the model's choice among the type's sub-event
// types with the rules' as the type does: the rules win where the model
// is unsure, and a sub-event type the model never learnt needs a model
// surer of nothing.
func TestSubEventBlendsRules(t *testing.T) {
	sub, err := textclass.Read(strings.NewReader("classes\tExplosions/Remote violence|Air/drone strike\t" +
		"Explosions/Remote violence|Remote explosive/landmine/IED\tBattles|Armed clash\nw=explos\t1:0.5\t2:-3\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := &models{subEventType: sub}
	fs := []string{"w=explos"}
	for _, c := range []struct {
		ruleSub string
		weight  float64
		want    string
	}{
		{"", ruleWeightNews, "Remote explosive/landmine/IED"},
		{"Air/drone strike", ruleWeightNews, "Air/drone strike"},
		{"Air/drone strike", 0, "Remote explosive/landmine/IED"},
		{"Grenade", ruleWeightNews, "Remote explosive/landmine/IED"},
		{"Grenade", 0.5, "Grenade"},
	} {
		if got := m.subEvent(fs, "Explosions/Remote violence", c.ruleSub, c.weight); got != c.want {
			t.Errorf("rules %q at %v: %q, want %q", c.ruleSub, c.weight, got, c.want)
		}
	}
	if got := m.subEvent(fs, "Riots", "", ruleWeightNews); got != "Violent demonstration" {
		t.Errorf("a type the model has no sub-event type for: %q, want ACLED's first", got)
	}
}
