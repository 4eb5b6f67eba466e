package segment

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

// splitCases are invented news sentences, one case per rule.
var splitCases = []struct {
	name, text string
	want       []string
}{
	// Layout.
	{"paragraph break ends a sentence after a year",
		"The agreement was signed in 2014.\n\nThat is according to a ministry spokesman.",
		[]string{"The agreement was signed in 2014.", "That is according to a ministry spokesman."}},
	{"paragraph break without punctuation",
		"Guards were sent to the river\n\nnobody in the village was told",
		[]string{"Guards were sent to the river", "nobody in the village was told"}},
	{"paragraph break after an abbreviation",
		"The aid convoy left for the U.S.\n\nOfficials in Riga said little.",
		[]string{"The aid convoy left for the U.S.", "Officials in Riga said little."}},
	{"headline line",
		"Lithuania extends border emergency by a month\nThe parliament in Vilnius voted 82 to 4 on Tuesday to keep the measures.",
		[]string{"Lithuania extends border emergency by a month", "The parliament in Vilnius voted 82 to 4 on Tuesday to keep the measures."}},
	{"dateline line",
		"VILNIUS, Oct. 12\nLawmakers approved the extension late on Tuesday.",
		[]string{"VILNIUS, Oct. 12", "Lawmakers approved the extension late on Tuesday."}},
	{"question headline",
		"Can a fence stop a hybrid attack?\nSecurity experts in Warsaw are divided.",
		[]string{"Can a fence stop a hybrid attack?", "Security experts in Warsaw are divided."}},
	{"one sentence per line",
		"The camp holds 600 people.\nIt opened in the U.S.\nOfficials expect more arrivals.",
		[]string{"The camp holds 600 people.", "It opened in the U.S.", "Officials expect more arrivals."}},
	{"wrapped paragraph",
		"The regional governor said the new camp near the\nvillage would house up to 600 people and would\nopen before the first snow, officials added.",
		[]string{"The regional governor said the new camp near the\nvillage would house up to 600 people and would\nopen before the first snow, officials added."}},
	{"wrapped before a capitalised name",
		"The minister held talks with\nPresident Nausėda and\nPrime Minister Šimonytė on Friday.",
		[]string{"The minister held talks with\nPresident Nausėda and\nPrime Minister Šimonytė on Friday."}},
	{"wrapped after a comma",
		"Farmers, hauliers and teachers,\nAll of them from the border district, signed the letter.",
		[]string{"Farmers, hauliers and teachers,\nAll of them from the border district, signed the letter."}},
	{"wrapped after a title",
		"The delegation was led by Dr.\nAušra Petrauskienė of the health ministry.",
		[]string{"The delegation was led by Dr.\nAušra Petrauskienė of the health ministry."}},
	{"list items",
		"The decree bans:\n- public gatherings within the zone\n- photographs of border posts\n• visits by reporters\n1. The first phase starts on Monday.\n2) A second phase follows in May.\n(b) Farmers keep access to fields.",
		[]string{"The decree bans:", "- public gatherings within the zone", "- photographs of border posts", "• visits by reporters",
			"1. The first phase starts on Monday.", "2) A second phase follows in May.", "(b) Farmers keep access to fields."}},
	{"wrapped list item",
		"- a ban on gatherings that applies\n  to every village in the zone\n- a curfew",
		[]string{"- a ban on gatherings that applies\n  to every village in the zone", "- a curfew"}},
	{"windows line endings",
		"Border reopens\r\n\r\nTrucks queued for hours.\r\nDrivers slept in cabs.\r\n",
		[]string{"Border reopens", "Trucks queued for hours.", "Drivers slept in cabs."}},

	// Abbreviations, numbers and initials.
	{"titles and ranks",
		"Mr. Kowalski, Mrs. Nowak and Ms. Lis met Dr. Vasiliauskas, Prof. Ozols and Gen. Rudzik. Lt. Col. Berzins and Sgt. Maj. Tamm briefed Capt. Kask. Gov. Hale, Sen. Ortiz and Rep. Barnes flew to St. Louis with Ed Lowe Jr. and his father, Ed Lowe Sr., on Monday.",
		[]string{"Mr. Kowalski, Mrs. Nowak and Ms. Lis met Dr. Vasiliauskas, Prof. Ozols and Gen. Rudzik.",
			"Lt. Col. Berzins and Sgt. Maj. Tamm briefed Capt. Kask.",
			"Gov. Hale, Sen. Ortiz and Rep. Barnes flew to St. Louis with Ed Lowe Jr. and his father, Ed Lowe Sr., on Monday."}},
	{"country abbreviations",
		"The U.S. Embassy, the U.K. Foreign Office, the U.N. refugee agency and E.U. Commissioner Lind all issued statements. Nobody mentioned the fence.",
		[]string{"The U.S. Embassy, the U.K. Foreign Office, the U.N. refugee agency and E.U. Commissioner Lind all issued statements.", "Nobody mentioned the fence."}},
	{"abbreviation that does end a sentence",
		"The talks will move to the U.S. The first round is set for March.",
		[]string{"The talks will move to the U.S.", "The first round is set for March."}},
	{"months",
		"Flights ran from Jan. 5 to Feb. 20, stopped in Aug. 2021 and resumed on Sept. 3, Oct. 9, Nov. 14 and Dec. 1. Few passengers came back.",
		[]string{"Flights ran from Jan. 5 to Feb. 20, stopped in Aug. 2021 and resumed on Sept. 3, Oct. 9, Nov. 14 and Dec. 1.", "Few passengers came back."}},
	{"No. and vs.",
		"Route No. 8 was closed after the Lithuania vs. Poland match. Fans took trains.",
		[]string{"Route No. 8 was closed after the Lithuania vs. Poland match.", "Fans took trains."}},
	{"no as a word",
		"Asked whether the camp would close, she said no. The ministry declined to comment.",
		[]string{"Asked whether the camp would close, she said no.", "The ministry declined to comment."}},
	{"e.g. i.e. etc.",
		"Some goods, e.g. Fuel and medicine, were allowed, i.e. Anything humanitarian, plus tents, blankets, etc. and nothing else. Customs checked each truck, etc. The queue grew.",
		[]string{"Some goods, e.g. Fuel and medicine, were allowed, i.e. Anything humanitarian, plus tents, blankets, etc. and nothing else.",
			"Customs checked each truck, etc.", "The queue grew."}},
	{"clock times",
		"The convoy left at 6 a.m. Monday and reached the camp by 4 p.m. local time. The reply arrived at 2 a.m. By then the guards had gone. Posts peaked at 8 a.m. Kyiv time, officials said.",
		[]string{"The convoy left at 6 a.m. Monday and reached the camp by 4 p.m. local time.", "The reply arrived at 2 a.m.", "By then the guards had gone.",
			"Posts peaked at 8 a.m. Kyiv time, officials said."}},
	{"initials",
		"The report by J. R. Marsh and A. Lindqvist was cited by T. Okafor. Its findings were disputed.",
		[]string{"The report by J. R. Marsh and A. Lindqvist was cited by T. Okafor.", "Its findings were disputed."}},
	{"initial that ends a sentence",
		"Officials called it Plan B. The plan was never published.",
		[]string{"Officials called it Plan B.", "The plan was never published."}},
	{"decimals and figures",
		"Prices rose 2.5 percent and 1,200 people left. The quake measured 4.3. Schools stayed shut for 3.5 days. Did wages rise in 2020? Few think so.",
		[]string{"Prices rose 2.5 percent and 1,200 people left.", "The quake measured 4.3.", "Schools stayed shut for 3.5 days.", "Did wages rise in 2020?", "Few think so."}},
	{"ellipsis inside a sentence",
		"The guard said the gate was ... closed for now, and the line … kept growing. Then it rained.",
		[]string{"The guard said the gate was ... closed for now, and the line … kept growing.", "Then it rained."}},
	{"phone number",
		"For details call Head of Press Rūta Kalnina, tel. +371 6700 1234. The office closes at noon.",
		[]string{"For details call Head of Press Rūta Kalnina, tel. +371 6700 1234.", "The office closes at noon."}},

	// Quotes and dashes.
	{"stop inside closing quotes",
		"He said: “The border is closed.” Then he left. She wrote: \"It is over.\" Nobody answered.",
		[]string{"He said: “The border is closed.”", "Then he left.", "She wrote: \"It is over.\"", "Nobody answered."}},
	{"single quotes",
		"The banner asked ‘Why us?’ Residents were puzzled.",
		[]string{"The banner asked ‘Why us?’", "Residents were puzzled."}},
	{"quotation then attribution",
		"“We will not be blackmailed,” the minister said. The talks went on.",
		[]string{"“We will not be blackmailed,” the minister said.", "The talks went on."}},
	{"quoted question then attribution",
		"“Who will pay for the fence?” Nowak asked. “Why should we?” asked a farmer. The mayor did not reply.",
		[]string{"“Who will pay for the fence?” Nowak asked.", "“Why should we?” asked a farmer.", "The mayor did not reply."}},
	{"quotation of several sentences",
		"“We will not yield.” “Nobody will force us.” The crowd cheered.",
		[]string{"“We will not yield.”", "“Nobody will force us.”", "The crowd cheered."}},
	{"dashes",
		"The crossing — shut since August — reopened on Friday – or so the guards said. Trucks are queuing.",
		[]string{"The crossing — shut since August — reopened on Friday – or so the guards said.", "Trucks are queuing."}},
	{"speaker label and dash",
		"President. – The next item is the statement on the border.\n\nIlse Tamm (EPP). – Madam President, the fence is finished. It cost a fortune.",
		[]string{"President. – The next item is the statement on the border.", "Ilse Tamm (EPP). – Madam President, the fence is finished.", "It cost a fortune."}},
	{"parenthesised sentence",
		"The vote passed. (Two members abstained.) The session closed.",
		[]string{"The vote passed.", "(Two members abstained.)", "The session closed."}},

	// Degenerate input.
	{"empty", "", nil},
	{"white space only", " \n\t\u00a0\u2003 \r\n", nil},
	{"no punctuation", "guards at the river  and nobody else", []string{"guards at the river  and nobody else"}},
	{"single word", "Breaking", []string{"Breaking"}},
	{"non-breaking spaces", "\u00a0The camp opened.\u00a0It is full.\u00a0", []string{"The camp opened.", "It is full."}},
}

func TestSplit(t *testing.T) {
	for _, eng := range []Engine{Fast, Reference} {
		s := mustNew(t, WithEngine(eng))
		for _, c := range splitCases {
			t.Run(eng.String()+"/"+c.name, func(t *testing.T) {
				spans := s.Split(c.text)
				checkInvariants(t, c.text, spans)
				got := spanTexts(c.text, spans)
				if len(got) == 0 {
					got = nil
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("Split(%q)\n got: %q\nwant: %q", c.text, got, c.want)
				}
			})
		}
	}
}

func TestAppendSpans(t *testing.T) {
	s := mustNew(t)
	text := "First one. Second one."
	dst := []Span{{1, 2}}
	dst = s.AppendSpans(dst, text)
	want := []Span{{1, 2}, {0, 10}, {11, 22}}
	if !reflect.DeepEqual(dst, want) {
		t.Fatalf("AppendSpans = %v, want %v", dst, want)
	}
	// Reusing dst must not allocate.
	if raceEnabled {
		return
	}
	text = benchText()
	buf := make([]Span, 0, 128)
	if n := testing.AllocsPerRun(20, func() { buf = s.AppendSpans(buf[:0], text) }); n != 0 {
		t.Errorf("AppendSpans allocates %.1f times per call", n)
	}
}

func TestOptions(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  Option
		ok   bool
	}{
		{"max bytes zero", MaxBytes(0), true},
		{"max bytes small", MaxBytes(MinMaxBytes - 1), false},
		{"max bytes negative", MaxBytes(-5), false},
		{"max bytes ok", MaxBytes(1000), true},
		{"engine reference", WithEngine(Reference), true},
		{"engine unknown", WithEngine(Engine(7)), false},
		{"nil option", nil, false},
	} {
		_, err := New(c.opt)
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok=%v", c.name, err, c.ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "segment: ") {
			t.Errorf("%s: error %q does not name the package", c.name, err)
		}
	}
}

func TestMaxBytes(t *testing.T) {
	s := mustNew(t, MaxBytes(20))
	cases := []struct {
		name, text string
		want       []string
	}{
		{"cut at white space", "guards at the river and nobody else came by",
			[]string{"guards at the river", "and nobody else came", "by"}},
		{"no white space", strings.Repeat("x", 45), []string{strings.Repeat("x", 20), strings.Repeat("x", 20), "xxxxx"}},
		{"multi-byte runes", strings.Repeat("ż", 15), []string{strings.Repeat("ż", 10), strings.Repeat("ż", 5)}},
		{"short sentences untouched", "One. Two.", []string{"One.", "Two."}},
		{"space run", "aaaaaaaaaaaaaaa     bbbbbbbbb", []string{"aaaaaaaaaaaaaaa", "bbbbbbbbb"}},
	}
	for _, c := range cases {
		spans := s.Split(c.text)
		checkInvariants(t, c.text, spans)
		for _, sp := range spans {
			if sp.End-sp.Start > 20 {
				t.Errorf("%s: span %v is %d bytes, over the limit", c.name, sp, sp.End-sp.Start)
			}
		}
		if got := spanTexts(c.text, spans); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	for _, eng := range []Engine{Fast, Reference} {
		s := mustNew(t, WithEngine(eng))
		want := make([][]Span, len(splitCases))
		for i, c := range splitCases {
			want[i] = s.Split(c.text)
		}
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var dst []Span
				for r := 0; r < 20; r++ {
					for i, c := range splitCases {
						dst = s.AppendSpans(dst[:0], c.text)
						if !equalSpans(dst, want[i]) {
							t.Errorf("%s: concurrent split of case %q differs", eng, c.name)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
	}
}

// engineEdgeCases exercise corners of the Punkt passes for the
// differential test; their cuts are not asserted, only that both engines
// agree.
var engineEdgeCases = []string{
	"One further habit was weakened . . . was that of words. . . . The practice was not abandoned. . . .",
	"You can find it at N°. 1026.253.553. That is where the camp is.",
	"I never meant that.... She left the store. Wait.. what? Really?! Yes!!",
	"The minister said. . Then he left. . . . and came back.",
	"The budget rose 1,000. The review of ##number## fell. In 1997. Review 12. Insider 4. Notable 5. Who 7. who knows",
	"It hit covid-19. The wave passed. Ages 18-25. Later came 3.2.1. Then 4.5.6. Then 1.2.",
	"He met Mr.. Smith and Dr.. Jones. St.-Petersburg. Then i.e.. The end.",
	"Kamiński. He left. Łukasz Ż. Went home. Ą. Ę. Ó. Zółć. Wyszło.",
	"他说。然后他走了！真的吗？是；不是。 The end. 他说。",
	"Text with\u00a0non-breaking.\u00a0Spaces. And\u2003em\u2003spaces.\u2003Ok.",
	"Invalid \xff\xfe bytes. Then \xc3. More \xe2\x80 text. \xe2\x80\x9dQuote.\xe2\x80\x9d Done.",
	"(He was there.) [So was she.] {And they.} 'Yes.' \"No.\" ‘Maybe.’ “Never.”",
	"A. B. C. D. The alphabet. J. Bach wrote. b. c. x.",
	"U.S.A. The U.S.S.R. fell. Ph.D. students. The M.B.A. Holders.",
	"Wait? no! Why? He asked. How!? 5? 6! 7.) 8.( 9.[ x.[y] z.(w)",
	"the end. the start. THE END. The. A. I. Me. IT. It.",
	"He said “no.” she said ‘yes.’ They said (maybe.) We said [fine.]",
	". . .", ".", "?", "!", "。", "a.", "a. b.", ". a", "..", "...",
	"Gen.\nSmith\n\nDr.\n\nJ.\nR.\nTolkien wrote.",
	"Mid-sentence, e.g., the forms; i.e., these. Fig. 3 shows it. No. 5. No. The answer is no. No, it is not.",
	"1. First. 2. Second. 3) Third. (4) Fourth. a) Fifth.",
	"Jan. The month. Sept. Then. Oct. 5. It rained. Mar. 3 and Apr. 4.",
	"He was born in 1990. In 1991 he moved. 2005. 2006? 2007! Year 2008.” Year 2009.”",
	"smith. Smith. SMITH. smith? Smith! and. And. AND.",
	"x.y.z. Abc. a.b. C. e.g. Then. i.e. Then. etc. Then. vs. Then.",
}

func TestAppendLowerMatchesToLower(t *testing.T) {
	for _, s := range []string{"", "ABC", "Łódź", "ŻÓŁĆ.", "\xff\xfeA", "a\xe2\x80", "İstanbul", "ΣΑΣ", "\uFFFD", "Ǆ", "ẞ", "K"} {
		if got, want := string(appendLower(nil, s)), strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	}
}
