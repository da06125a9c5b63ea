// Command learn trains the extractor's models on the development corpora
// and writes them where the extract package embeds them:
//
//	go run ./internal/extract/learn/cmd/learn -corpus ../shared/corpus -out internal/extract/model
//	go run ./internal/extract/learn/cmd/learn -corpus ../shared/corpus -out internal/extract/model -stage aliases
//	go run ./internal/extract/learn/cmd/learn -corpus ../shared/corpus -out internal/extract/model -stage places
//	go run ./internal/extract/learn/cmd/learn -corpus ../shared/corpus -out internal/extract/model -stage words
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/extract/learn"
	"github.com/incidentmap/incidentmap/internal/textclass"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "directory holding acled_dev.jsonl")
	out := flag.String("out", "internal/extract/model", "directory to write the model files to")
	cv := flag.Bool("cv", true, "print five-fold cross-validated accuracy")
	stage := flag.String("stage", "text", "text: the event-type and country models; aliases: coders' names of "+
		"administrative areas; places: the event-place ranker, which reads places resolved with the others and so runs "+
		"after them, in a fresh build")
	flag.Parse()
	run := map[string]func(string, string, bool) error{"text": runText, "aliases": writeAliases, "places": trainRanker, "words": writeCommonWords}[*stage]
	if run == nil {
		fmt.Fprintln(os.Stderr, "learn: -stage is text, aliases, words or places")
		os.Exit(2)
	}
	if err := run(*corpus, *out, *cv); err != nil {
		fmt.Fprintln(os.Stderr, "learn:", err)
		os.Exit(1)
	}
}

func runText(corpus, out string, cv bool) error {
	f, err := os.Open(filepath.Join(corpus, "acled_dev.jsonl"))
	if err != nil {
		return err
	}
	defer f.Close()
	types, subs, err := learn.EventExamples(f, extract.NewFeaturizer())
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	countries, err := learn.CountryExamples(f, extract.NewFeaturizer())
	if err != nil {
		return err
	}
	for _, m := range []struct {
		file     string
		examples []textclass.Example
		train    func([]textclass.Example) *textclass.Model
	}{{"event_type.txt", types, learn.TrainText}, {"sub_event_type.txt", subs, learn.TrainText}, {"country.txt", countries, learn.Train}} {
		model := m.train(m.examples)
		data, err := learn.Encode(model)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, m.file), data, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d examples, %d features", m.file, len(m.examples), model.Features())
		if cv {
			fmt.Printf(", five-fold accuracy %.3f", learn.CrossValidate(m.examples, 5, m.train))
		}
		fmt.Println()
	}
	return nil
}

// writeAliases derives the administrative aliases and the learned places.
func writeAliases(corpus, out string, _ bool) error {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(corpus, "acled_dev.jsonl"))
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := learn.AdminAliases(f, gaz)
	if err != nil {
		return err
	}
	fmt.Printf("admin_aliases.tsv: %d aliases\n", bytes.Count(data, []byte("\n")))
	if err := os.WriteFile(filepath.Join(out, "admin_aliases.tsv"), data, 0o644); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if data, err = learn.PlaceAliases(f, gaz); err != nil {
		return err
	}
	fmt.Printf("place_aliases.tsv: %d places\n", bytes.Count(data, []byte("\n")))
	return os.WriteFile(filepath.Join(out, "place_aliases.tsv"), data, 0o644)
}

// trainRanker trains the event-place ranker, which reads resolved places
// and so needs the built-in gazetteer.
func trainRanker(corpus, out string, cv bool) error {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		return err
	}
	el, err := os.Open(filepath.Join(corpus, "event_location_dev.jsonl"))
	if err != nil {
		return err
	}
	defer el.Close()
	ac, err := os.Open(filepath.Join(corpus, "acled_dev.jsonl"))
	if err != nil {
		return err
	}
	defer ac.Close()
	groups, err := learn.PlaceGroups(el, ac, extract.New(gaz), gaz)
	if err != nil {
		return err
	}
	model := learn.TrainRanker(groups)
	data, err := learn.Encode(model)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "event_place.txt"), data, 0o644); err != nil {
		return err
	}
	fmt.Printf("event_place.txt: %d sentences, %d features", len(groups), model.Features())
	if cv {
		fmt.Printf(", five-fold top-1 %.3f", learn.CrossValidateRanker(groups, 5))
	}
	fmt.Println()
	return nil
}

// writeCommonWords lists the words the development corpora write in lower
// case.
func writeCommonWords(corpus, out string, _ bool) error {
	var rs []io.Reader
	for _, name := range learn.CommonWordCorpora() {
		f, err := os.Open(filepath.Join(corpus, name))
		if err != nil {
			return err
		}
		defer f.Close()
		rs = append(rs, f)
	}
	data, err := learn.CommonWords(rs...)
	if err != nil {
		return err
	}
	fmt.Printf("common_words.txt: %d words\n", bytes.Count(data, []byte("\n")))
	return os.WriteFile(filepath.Join(out, "common_words.txt"), data, 0o644)
}
