package corpus

import (
	"bytes"
	"strings"
	"testing"
)

func TestReadErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name, input, want string
	}{
		{"unknown label", `{"id":"a1-s1","article":"a1","text":"Guards closed the crossing.","labels":["security"]}`, `train.jsonl:1: a1-s1: unknown label "security"`},
		{"bad json", "\n" + `{"id":"a1-s1",`, "train.jsonl:2: invalid JSON"},
		{"missing id", `{"article":"a1","text":"Hello there.","labels":[]}`, `train.jsonl:1: missing "id"`},
		{"missing article", `{"id":"x","text":"Hello there.","labels":[]}`, `train.jsonl:1: missing "article"`},
		{"empty text", `{"id":"x","article":"a","text":"  ","labels":[]}`, "train.jsonl:1: x: empty text"},
		{"duplicate label", `{"id":"x","article":"a","text":"Courts ruled.","labels":["legality","legality"]}`, `label "legality" listed twice`},
		{"duplicate id", `{"id":"x","article":"a","text":"One.","labels":[]}` + "\n" + `{"id":"x","article":"a","text":"Two.","labels":[]}`, `train.jsonl:2: duplicate id "x" (first on line 1)`},
		{"empty file", "", "train.jsonl: no examples (empty file)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.input), "train.jsonl")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want error containing %q", err, c.want)
			}
		})
	}
}

func TestReadWriteRoundTrip(t *testing.T) {
	in := []Example{
		{ID: "a1-s1", Article: "a1", Text: "Ministers met in Brussels on <Monday> & agreed “sanctions”.", Labels: []string{"policy-response"}},
		{ID: "a1-s2", Article: "a1", Text: "It rained.", Labels: []string{}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read(&buf, "mem")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Text != in[0].Text || out[0].Labels[0] != "policy-response" || len(out[1].Labels) != 0 {
		t.Fatalf("round trip changed the data: %+v", out)
	}
	if v := out[0].LabelVector(); v[8] != 1 || v[0] != 0 {
		t.Fatalf("label vector %v", v)
	}
}

func TestCheckFindsLeaks(t *testing.T) {
	train := []Example{
		{ID: "a1-s1", Article: "a1", Text: "The border guards detained eleven people near the river on Sunday night.", Labels: []string{"security-threat"}},
		{ID: "a1-s2", Article: "a1", Text: "Rain fell all day.", Labels: []string{}},
		{ID: "a2-s1", Article: "a2", Text: "Parliament voted to extend the emergency zone.", Labels: []string{"policy-response"}},
	}
	test := []Example{
		// near duplicate of a1-s1: one word differs
		{ID: "a3-s1", Article: "a3", Text: "The border guards detained eleven people near the river on Sunday evening.", Labels: []string{"security-threat"}},
		// exact duplicate after normalisation
		{ID: "a3-s2", Article: "a3", Text: "RAIN fell all day!", Labels: []string{}},
		// article overlap
		{ID: "a2-s9", Article: "a2", Text: "A new sentence of an old article.", Labels: []string{}},
		{ID: "a4-s1", Article: "a4", Text: "Exporters counted their losses after the transit ban.", Labels: []string{"economic-cost"}},
	}
	rep := Check([]Split{{"train", train}, {"test", test}})
	kinds := map[string]int{}
	for _, f := range rep.Findings {
		kinds[f.Kind]++
	}
	if kinds["near-duplicate"] != 1 || kinds["duplicate"] != 1 || kinds["article-overlap"] != 1 {
		t.Fatalf("findings %v: %+v", kinds, rep.Findings)
	}
	if rep.OK() {
		t.Fatal("report with findings is OK")
	}
	st := rep.Stats["test"]
	if st.Sentences != 4 || st.Articles != 3 || st.Empty != 2 || st.PerLabel[9] != 1 {
		t.Fatalf("test stats %+v", st)
	}
	var buf bytes.Buffer
	if err := rep.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"economic-cost", "near-duplicate", "no-frame share"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
	clean := Check([]Split{{"train", train[:1]}, {"test", test[3:]}})
	if !clean.OK() {
		t.Fatalf("clean splits reported %+v", clean.Findings)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"id":"a1-s1","article":"a1","text":"Guards closed the crossing.","labels":["security-threat"]}`))
	f.Add([]byte("{\"id\":1}\n\n\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		exs, err := Read(bytes.NewReader(data), "fuzz")
		if err == nil && len(exs) == 0 {
			t.Fatal("no error and no examples")
		}
		for _, ex := range exs {
			if ex.ID == "" || ex.Article == "" || strings.TrimSpace(ex.Text) == "" {
				t.Fatalf("invalid example accepted: %+v", ex)
			}
		}
	})
}
