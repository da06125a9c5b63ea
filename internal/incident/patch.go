package incident

import (
	"encoding/json"
	"fmt"
)

// MergePatch applies a JSON merge patch (RFC 7396) of the GeoJSON Feature
// form to in and returns the validated result: members given replace, null
// removes, objects merge ("properties": {"fatalities": 8} changes one field).
func MergePatch(in Incident, patch map[string]any) (Incident, error) {
	cur, err := json.Marshal(in.ToFeature())
	if err != nil {
		return Incident{}, fmt.Errorf("encoding incident %s: %w", in.ID, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(cur, &doc); err != nil {
		return Incident{}, fmt.Errorf("decoding incident %s: %w", in.ID, err)
	}
	merged, err := json.Marshal(mergeValue(doc, patch))
	if err != nil {
		return Incident{}, fmt.Errorf("encoding patched incident: %w", err)
	}
	out, err := DecodeFeature(merged)
	if err != nil {
		return Incident{}, err
	}
	out.ID, out.Created, out.Status = in.ID, in.Created, in.Status
	return out, nil
}

func mergeValue(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergeValue(t[k], v)
	}
	return t
}
