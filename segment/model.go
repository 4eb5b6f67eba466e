package segment

import (
	"fmt"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/data"
)

// newsAbbreviations extends neurosnap's trained English abbreviations with
// those news copy uses and the training text lacked. Punkt still lets an
// abbreviation end a sentence when the next word is a clear sentence
// starter ("... in the U.S. The ..."); the words that can never end one
// (titles, "No." before a number) are vetoed in rules.go.
var newsAbbreviations = []string{
	"sgt", "capt", "cmdr", "gov", "gens", "sens", "supt", "insp", "brig", "hon", "rev", "fr", "pres",
	"e.u", "no", "nos", "e.g", "i.e", "etc", "cf", "approx", "dept", "mar", "apr", "jun", "jul",
}

// loadModel reads neurosnap's English Punkt model and adds the news
// abbreviations. Each call returns a fresh Storage, so no Splitter can see
// another one's model.
func loadModel() (*sentences.Storage, error) {
	b, err := data.Asset("data/english.json")
	if err != nil {
		return nil, fmt.Errorf("segment: load English Punkt model: %w", err)
	}
	st, err := sentences.LoadTraining(b)
	if err != nil {
		return nil, fmt.Errorf("segment: parse English Punkt model: %w", err)
	}
	for _, a := range newsAbbreviations {
		st.AbbrevTypes.Add(a)
	}
	return st, nil
}
