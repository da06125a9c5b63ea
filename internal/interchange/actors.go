package interchange

import (
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// actorSide is one side of an event: its actors with their inter codes, and
// the actors associated with them. The incident's fields hold each list
// "; "-separated, as ACLED writes associated actors.
type actorSide struct {
	actors, inters, assoc []string
}

// sideOf reads side 1 or 2 of in.
func sideOf(in *incident.Incident, side int) actorSide {
	if side == 1 {
		return actorSide{splitList(in.Actor1), splitInters(in.Inter1), splitList(in.AssocActor1)}
	}
	return actorSide{splitList(in.Actor2), splitInters(in.Inter2), splitList(in.AssocActor2)}
}

// splitInters splits an inter list keeping empty entries, which hold the
// places of actors without a code.
func splitInters(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// add puts o's actors not yet on the side after the ones there, each with
// its inter code, and o's associated actors not yet listed. It reports
// whether the side changed.
func (s *actorSide) add(o actorSide) bool {
	changed := false
	for len(s.inters) < len(s.actors) {
		s.inters = append(s.inters, "")
	}
	for i, a := range o.actors {
		if containsFold(s.actors, a) {
			continue
		}
		inter := ""
		if i < len(o.inters) {
			inter = o.inters[i]
		}
		s.actors = append(s.actors, a)
		s.inters = append(s.inters, inter)
		changed = true
	}
	for _, a := range o.assoc {
		if !containsFold(s.assoc, a) {
			s.assoc = append(s.assoc, a)
			changed = true
		}
	}
	return changed
}

// fields returns the side's actor, inter and associated actor fields.
func (s *actorSide) fields() (actor, inter, assoc string) {
	inters := s.inters[:min(len(s.inters), len(s.actors))]
	if strings.Join(inters, "") != "" {
		inter = strings.Join(inters, "; ")
	}
	return strings.Join(s.actors, "; "), inter, strings.Join(s.assoc, "; ")
}

// mergeActors adds the actors of src (a record repeating dst's event with
// other actors) to dst, side by side, and reports whether dst changed.
func mergeActors(dst, src *incident.Incident) bool {
	s1, s2 := sideOf(dst, 1), sideOf(dst, 2)
	c1, c2 := s1.add(sideOf(src, 1)), s2.add(sideOf(src, 2))
	if c1 {
		dst.Actor1, dst.Inter1, dst.AssocActor1 = s1.fields()
	}
	if c2 {
		dst.Actor2, dst.Inter2, dst.AssocActor2 = s2.fields()
	}
	return c1 || c2
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
