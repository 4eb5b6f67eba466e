package segment

import (
	"fmt"
	"strings"
	"testing"
)

// benchNews is invented news copy: 30 paragraphs in the shapes the
// splitter meets (wire, quotes, titles, figures, datelines, lists).
var benchNews = []string{
	"Baltic states tighten border rules as winter nears",
	"VILNIUS, Nov. 3 — Lithuania’s parliament voted on Wednesday to extend the state of emergency along its frontier with Belarus by another month. The measure, first imposed in early summer, lets border guards turn back people who cross between official checkpoints.",
	"Interior Minister Rasa Venckutė told lawmakers the number of attempted crossings had fallen to about 40 a day, down from more than 300 in August. “The pressure has not disappeared, it has simply changed shape,” she said.",
	"Opposition members questioned the cost of the fence, which the government now puts at 152 million euros. Sen. Tomas Gudaitis asked why the tender had been awarded without competition. The ministry said it would publish the contracts next week.",
	"Aid groups say conditions in the forest remain dire. Dr. Elena Marzec, who runs a mobile clinic near Hajnówka, said her team had treated 23 people for hypothermia since Oct. 1. Two of them were children under the age of five.",
	"The European Commission has offered 36.7 million euros in additional support. A spokesman in Brussels said the money would go to reception centres, e.g. heating, food and medical supplies, and not to the barrier itself.",
	"“We asked for solidarity and we received a cheque,” said one Polish official, who spoke on condition of anonymity. “That is better than nothing, but it is not a strategy.”",
	"Belarus denies organising the flights. State television in Minsk has instead accused Warsaw of brutality, airing footage it says shows guards firing water cannon at families. The footage could not be independently verified.",
	"Analysts at the Centre for Eastern Studies say the crisis follows a familiar pattern. Visas are issued in bulk, tour operators advertise the route, and buses wait at the airport. By the time people reach the border, the return flights have left.",
	"Gen. Tomasz Piekarski, the commander of the border guard, said on Tuesday that his officers had recorded 1,214 attempts in the previous week. He declined to say how many people had been sent back to Belarus.",
	"The U.S. State Department said it was “deeply concerned” by reports of deaths in the forest. It urged all parties to respect international law. The U.N. refugee agency made a similar appeal on Friday.",
	"Residents of border villages describe a strange new normal. Checkpoints stand on country lanes, soldiers buy bread at the local shop, and journalists are turned away at the edge of the zone. Some farmers say they have not seen their fields in weeks.",
	"Key measures in the new law:\n- a ban on gatherings in the zone\n- fines of up to 5,000 zloty for entering it\n- powers for guards to search vehicles",
	"Maria Sokolowska, 67, has lived in the village of Usnarz for most of her life. “My grandson asked me if there is a war,” she said. “What do you tell a child?”",
	"Shares in the company that built the fence rose 4.2 percent on Thursday after it won a second contract. The firm, Budimex-Pol S.A., also supplies concrete for motorway bridges. Its chief executive was not available for comment.",
	"The debate in the Sejm lasted until 2 a.m. When it ended, only three deputies were left in the chamber. The final vote was 241 to 187, with 12 abstentions.",
	"Prof. Anna Lis, a migration lawyer at Warsaw University, said the pushbacks broke both Polish and EU law. “A state of emergency does not suspend the Geneva Convention,” she said. The government disputes that reading.",
	"In Brussels, diplomats discussed a fifth package of sanctions against Minsk. It would target the state airline, several travel agencies and officials in the foreign ministry. Hungary has signalled it may block the package.",
	"The weather is the most pressing danger now. Night temperatures near the border fell to minus 6 degrees Celsius last week, and forecasters expect colder air by mid-December. Volunteers have set up warming points in three churches.",
	"Officials in Latvia reported a smaller rise in crossings. Latvian border guards prevented 87 attempts over the weekend, a spokeswoman said, and detained two suspected smugglers. One of them was a citizen of the U.K.",
	"Kremlin spokesman Dmitry Peskov said Moscow had nothing to do with the situation. “Russia is not a party to this conflict,” he told reporters, adding that Europe should talk to Minsk directly.",
	"A court in Białystok will hear the first case brought by a family that was pushed back. Their lawyer, Mr. Jakub Wrona, said the hearing was set for Jan. 12. It is expected to last two days.",
	"The health ministry published new figures on Monday. Eleven people are known to have died near the border since the summer, though activists say the true number is higher. Most deaths were caused by cold and exhaustion.",
	"Farmers’ groups have complained that the restrictions hurt trade, i.e. the sale of milk and grain across the region. The agriculture minister promised compensation but gave no date. Local mayors say they have heard such promises before.",
	"State media in Belarus ran a documentary called ‘The Wall of Shame’ on Sunday evening. It portrayed Polish soldiers as aggressors and migrants as victims of European hypocrisy. Viewers were invited to send messages of support to the camp.",
	"Is the crisis easing? Border guards say the numbers suggest so. Aid workers are less sure, noting that people now try to cross in smaller groups and further north.",
	"The new barrier will be 5.5 metres high and fitted with cameras and motion sensors. Construction is due to finish by June. Environmental groups warn that it will cut through one of Europe’s last primeval forests.",
	"At a press conference in Warsaw, Prime Minister Jan Dąbrowski thanked soldiers and police for their work. He said Poland was defending not only its own border but that of the whole EU. “We will not be blackmailed,” he added.",
	"Several families have been flown home from Minsk on flights arranged by the Iraqi government. An official in Baghdad said 430 people had returned so far. More flights are planned for next week.",
	"Meanwhile, trade at the Kuźnica crossing remains suspended. Truck drivers on the Belarusian side have waited up to four days to enter the EU. Lithuania and Latvia have seen queues lengthen as traffic is diverted north.",
}

func benchText() string { return strings.Join(benchNews, "\n\n") }

func BenchmarkSplit(b *testing.B) {
	text := benchText()
	for _, eng := range []Engine{Fast, Reference} {
		b.Run(eng.String(), func(b *testing.B) {
			s := mustNew(b, WithEngine(eng))
			n := len(s.Split(text))
			dst := make([]Span, 0, n)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dst = s.AppendSpans(dst[:0], text)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
		})
	}
}

// BenchmarkSplitParallel measures throughput with every core splitting.
func BenchmarkSplitParallel(b *testing.B) {
	text := benchText()
	s := mustNew(b)
	n := len(s.Split(text))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var dst []Span
		for pb.Next() {
			dst = s.AppendSpans(dst[:0], text)
		}
	})
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkNoPunctuation shows linear time and memory on text without
// punctuation: ns/op grows tenfold from 1 MB to 10 MB while MB/s and B/op
// stay flat. Inputs: words, one 10 MB word, and short lines that wrap into
// a single block; each with default options and with MaxBytes(4096).
func BenchmarkNoPunctuation(b *testing.B) {
	inputs := []struct {
		name string
		gen  func(n int) string
	}{
		{"words", func(n int) string { return strings.Repeat("border ", n/7) }},
		{"nospace", func(n int) string { return strings.Repeat("x", n) }},
		{"lines", func(n int) string { return strings.Repeat("border guards\n", n/14) }},
	}
	for _, in := range inputs {
		for _, size := range []int{1 << 20, 10 << 20} {
			text := in.gen(size)
			for _, eng := range []Engine{Fast, Reference} {
				for _, max := range []int{0, 4096} {
					if eng == Reference && (size > 1<<20 || max > 0) {
						continue // neurosnap needs ~250 MB per 10 MB of words
					}
					name := fmt.Sprintf("%s/%dMB/%s", in.name, size>>20, eng)
					if max > 0 {
						name += fmt.Sprintf("/max%d", max)
					}
					b.Run(name, func(b *testing.B) {
						s := mustNew(b, WithEngine(eng), MaxBytes(max))
						want := 1
						if max > 0 {
							want = len(text) / max
						}
						b.SetBytes(int64(len(text)))
						b.ReportAllocs()
						b.ResetTimer()
						var dst []Span
						for i := 0; i < b.N; i++ {
							dst = s.AppendSpans(dst[:0], text)
						}
						if len(dst) < want {
							b.Fatalf("%d spans, want at least %d", len(dst), want)
						}
					})
				}
			}
		}
	}
}
