package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
)

func TestZZMisses(t *testing.T) {
	g, _ := internalGazetteer()
	x := New(g)
	f, _ := os.Open("/tmp/trdF2.jsonl")
	defer f.Close()
	texts := map[string]string{}
	tf, _ := os.Open("/work/shared/corpus/trnews.jsonl")
	sc := bufio.NewScanner(tf)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var a struct{ ID, Text string }
		json.Unmarshal(sc.Bytes(), &a)
		texts[a.ID] = a.Text
	}
	reasons := map[string]int{}
	sc = bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var r struct {
			ID   string
			Gold []struct {
				Name    string
				Start   int
				End     int
				Outcome string
			}
		}
		json.Unmarshal(sc.Bytes(), &r)
		text := []rune(texts[r.ID])
		for _, gt := range r.Gold {
			if gt.Outcome != "missed" {
				continue
			}
			full := string(text)
			sents := splitSentences(full, x.abbr)
			bstart := len(string(text[:gt.Start]))
			bend := len(string(text[:gt.End]))
			why := "not known"
			for si := range sents {
				s := &sents[si]
				if bstart < s.Start || bstart >= s.End {
					continue
				}
				tokenize(s, full, x.states)
				i, j := -1, -1
				for k, tok := range s.Tokens {
					if tok.Start == bstart {
						i = k
					}
					if tok.End == bend {
						j = k
					}
				}
				key := gazetteer.Normalize(full[bstart:bend])
				info := x.known(key)
				if i < 0 || j < i {
					why = "token boundary"
				} else if info.Places > 0 {
					sp := x.knownSpot(full, s, i, j, key, info)
					ctx := x.newSpotContext(s.Tokens, i, j, &sp, lowerCaseWords(sents))
					why = "rejected: " + x.rejectedBy(ctx.toks, ctx.i, ctx.j, ctx.sp, ctx.lowerWords)
				}
			}
			reasons[why]++
			t.Logf("%-28s %s", why, gt.Name)
		}
	}
	var ks []string
	for k := range reasons {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		t.Logf("TOTAL %s %d", k, reasons[k])
	}
}
