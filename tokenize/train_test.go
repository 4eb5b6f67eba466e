package tokenize

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// news is invented sentences in the style of the corpus, for tests and
// benchmarks that must not depend on the corpus being there.
var news = []string{
	"The interior ministry said on Tuesday that 214 people had tried to cross the border overnight.",
	"Officials in Warsaw described the attempts as a deliberate operation organised by Minsk.",
	"A spokesperson for the border guard declined to say how many of them had been pushed back.",
	"Aid groups working near the frontier said families were sleeping in the forest without shelter.",
	"The government extended the state of emergency for another sixty days, citing security risks.",
	"Opposition lawmakers argued that the ban on journalists in the zone violated the constitution.",
	"Prices for heating fuel rose by 18% in October, the statistics office reported.",
	"“We are not going to be blackmailed,” the prime minister told reporters in Białystok.",
	"Lithuania’s parliament approved funding for a 500-kilometre fence along its eastern border.",
	"Analysts said the crisis had been engineered to divide the European Union over migration.",
	"Several videos circulating online were later shown to have been filmed in another country.",
	"The European Commission proposed new sanctions against airlines that carried migrants to Minsk.",
	"Farmers in the region complained that soldiers’ vehicles had damaged their fields and roads.",
	"A court in Vilnius ruled that the detention of asylum seekers for months was unlawful.",
	"The defence minister announced that 10,000 troops would be deployed to reinforce patrols.",
	"Humanitarian organisations called for access to the restricted area to deliver food and medicine.",
	"State television accused Western intelligence services of staging the incidents at the crossing.",
	"Local residents said they had been asked to report strangers to the police.",
	"The cost of building the barrier was estimated at €353 million, according to budget documents.",
	"Doctors at the hospital in Hajnówka said they had treated dozens of people for hypothermia.",
	"Germany recorded a sharp rise in arrivals via the eastern route in the third quarter.",
	"The foreign ministry summoned the chargé d’affaires over what it called a hybrid attack.",
	"Human rights lawyers said pushbacks without individual assessment broke international law.",
	"In a televised address, the president promised that the country would defend its territory.",
	"Volunteers handed out sleeping bags, dry socks and thermos flasks at a church in the village.",
	"The airline said it would suspend flights from Istanbul and Dubai to Minsk until further notice.",
	"Economists warned that a closure of the crossing would disrupt freight worth billions a year.",
	"Officials denied reports that a teenager had died in the zone, calling them disinformation.",
	"Police detained 12 suspected smugglers, including two drivers from Georgia, near Sokółka.",
	"A NATO spokesperson said the alliance was monitoring the situation closely with its members.",
	"The mayor of Michałowo opened the town hall to families who had been turned back at night.",
	"Critics said the government was using the crisis to boost its ratings before the election.",
}

func TestTrainWordPiece(t *testing.T) {
	vocab, err := TrainWordPiece(news, TrainOptions{VocabSize: 400, MinFrequency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vocab[:len(specialTokens)], specialTokens[:]) {
		t.Errorf("starts %q, want the special tokens", vocab[:len(specialTokens)])
	}
	if len(vocab) != 400 {
		t.Errorf("%d tokens, want 400", len(vocab))
	}
	seen := map[string]bool{}
	for _, tok := range vocab {
		if seen[tok] {
			t.Errorf("%q twice", tok)
		}
		seen[tok] = true
	}
	// Frequent words are learnt whole; every character is there both ways.
	for _, tok := range []string{"the", "border", "said", "##s", "ł", "##ł", "€", "##€"} {
		if !seen[tok] {
			t.Errorf("%q is not in the vocabulary", tok)
		}
	}
	// The same texts in another order give the same vocabulary.
	reversed := slices.Clone(news)
	slices.Reverse(reversed)
	again, err := TrainWordPiece(reversed, TrainOptions{VocabSize: 400, MinFrequency: 1})
	if err != nil || !slices.Equal(vocab, again) {
		t.Errorf("a second run differs (%v)", err)
	}
	// No word made of seen characters becomes [UNK].
	wp, err := FromJSON(vocabJSON(t, vocab, JSONOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range news {
		ids, _ := wp.AppendIDs(nil, text)
		if slices.Contains(ids, int32(wp.Specials().UNK)) {
			t.Errorf("%q: %q has [UNK]", text, tokens(vocab, ids))
		}
	}
}

func TestTrainMinFrequency(t *testing.T) {
	var sizes []int
	for _, f := range []int{1, 2, 5} {
		vocab, err := TrainWordPiece(news, TrainOptions{VocabSize: 5000, MinFrequency: f})
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(vocab))
	}
	if !(sizes[0] > sizes[1] && sizes[1] > sizes[2]) {
		t.Errorf("vocabulary sizes for min frequency 1, 2, 5: %v, want falling", sizes)
	}
}

// TestTrainSmall: a vocabulary too small for every character keeps the most
// frequent ones.
func TestTrainSmall(t *testing.T) {
	vocab, err := TrainWordPiece([]string{"aaa bb c"}, TrainOptions{VocabSize: 9})
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(specialTokens[:]), "a", "##a", "b", "##b")
	if !slices.Equal(vocab, want) {
		t.Errorf("got %q, want %q", vocab, want)
	}
}

func TestTrainErrors(t *testing.T) {
	for _, c := range []struct {
		texts []string
		o     TrainOptions
		want  string
	}{
		{news, TrainOptions{VocabSize: 5}, "vocab size 5"},
		{news, TrainOptions{VocabSize: 100, MinFrequency: -1}, "min frequency -1"},
		{[]string{"", " \u200b "}, TrainOptions{VocabSize: 100}, "hold no words"},
	} {
		if _, err := TrainWordPiece(c.texts, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error with %q", c.o, err, c.want)
		}
	}
}

// TestTrainerSeesEncoderWords: the trainer's words are the encoder's. With
// every counted word in the vocabulary, each text encodes to whole words
// only, and they are the counted ones.
func TestTrainerSeesEncoderWords(t *testing.T) {
	texts := append(slices.Clone(news), "Łódź’s “Żółć” — e\u0301 東京 ok🙂 a\u00a0b bor\x00der ıİ")
	counts := newNormalizerOnly(trainFlags, defaultMaxChars).wordCounts(texts)
	vocab := slices.Clone(specialTokens[:])
	for w := range counts {
		vocab = append(vocab, w)
	}
	slices.Sort(vocab[len(specialTokens):])
	wp, err := FromJSON(vocabJSON(t, vocab, JSONOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, text := range texts {
		ids, _ := wp.AppendIDs(nil, text)
		for _, tok := range tokens(vocab, ids) {
			seen[tok]++
		}
	}
	for w, n := range counts {
		if seen[w] != n {
			t.Errorf("%q: counted %d times, encoded %d", w, n, seen[w])
		}
	}
	if len(seen) != len(counts) {
		t.Errorf("encoded %d distinct tokens, counted %d words", len(seen), len(counts))
	}
}

// TestRoundTrip: TrainWordPiece → WriteJSON → both loaders; they agree.
func TestRoundTrip(t *testing.T) {
	data := trainedJSON(t, news, 300)
	wp, sg := pair(t, data)
	if bad := compareAll(wp, sg, news); len(bad) > 0 {
		t.Errorf("%d sentences differ, first %q", len(bad), bad[0].text)
	}
	if wp.Specials() != (Specials{PAD: 0, UNK: 1, CLS: 2, SEP: 3}) || wp.VocabSize() != 300 {
		t.Errorf("specials %+v, vocab size %d", wp.Specials(), wp.VocabSize())
	}
}

// TestWriteJSONGolden pins the file layout (go test -update rewrites it).
func TestWriteJSONGolden(t *testing.T) {
	got := handJSON(t)
	golden := filepath.Join("testdata", "hand.tokenizer.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("WriteJSON output differs from %s (go test -update rewrites it)", golden)
	}
	var doc map[string]any
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
}

func TestWriteJSONErrors(t *testing.T) {
	for _, c := range []struct {
		vocab []string
		o     JSONOptions
		want  string
	}{
		{[]string{"[UNK]", "[CLS]"}, JSONOptions{}, "lacks [SEP]"},
		{[]string{"[UNK]", "[CLS]", "[SEP]", "a", "a"}, JSONOptions{}, `"a" is both 3 and 4`},
		{[]string{"[UNK]", "[CLS]", "[SEP]", ""}, JSONOptions{}, "token 3 is empty"},
		{[]string{"[UNK]", "[CLS]", "[SEP]", "\xff"}, JSONOptions{}, "not valid UTF-8"},
		{[]string{"[UNK]", "[CLS]", "[SEP]"}, JSONOptions{MaxInputCharsPerWord: -1}, "negative"},
	} {
		if err := WriteJSON(&bytes.Buffer{}, c.vocab, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error with %q", c.vocab, err, c.want)
		}
	}
}
