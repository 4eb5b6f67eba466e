package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// News rules applied to Punkt's breaks inside a block. They look only at
// the text around a break, never at an engine's internals, so both engines
// share them.

// Abbreviations (lower case, without the final period) that never end a
// sentence: titles and ranks stand before a name.
var titleAbbrevs = setOf("mr", "mrs", "ms", "messrs", "mmes", "dr", "drs", "prof", "gen", "gens", "lt", "col", "maj",
	"sgt", "capt", "cmdr", "cmdt", "adm", "brig", "cpl", "pvt", "gov", "govs", "sen", "sens", "rep", "reps", "st",
	"supt", "insp", "hon", "rev", "fr", "pres", "amb", "atty", "gov-gen", "lt-gen", "maj-gen", "lt-col")

// Abbreviations that only occur inside a sentence.
var midAbbrevs = setOf("e.g", "i.e", "cf", "viz", "vs", "v")

// Abbreviations that never end a sentence when a number follows.
var numberAbbrevs = setOf("no", "nos", "art", "arts", "fig", "figs", "vol", "vols", "ch", "p", "pp", "sec", "para",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ca", "approx", "tel", "fax",
	"ext", "ph", "mob")

// sentenceStarters are words that begin a sentence far more often than
// they follow an initial, so "Plan B. The" still ends a sentence.
var sentenceStarters = setOf("the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
	"those", "there", "his", "her", "its", "their", "our", "my", "but", "and", "or", "so", "yet", "in", "on", "at",
	"after", "before", "when", "while", "if", "as", "for", "with", "from", "some", "many", "most", "all", "no", "one",
	"what", "why", "how", "who", "where", "then", "still", "however", "meanwhile", "instead", "both", "since",
	"although", "though", "despite", "according", "under", "even", "nor", "thus", "indeed")

// speechVerbs mark a short attribution after a quoted question or
// exclamation: “Who pays?” Nowak asked.
var speechVerbs = setOf("said", "says", "say", "asked", "asks", "ask", "added", "adds", "told", "tells", "wrote",
	"writes", "replied", "replies", "insisted", "insists", "noted", "notes", "continued", "recalled", "explained",
	"warned", "warns", "shouted", "demanded", "demands", "wondered", "wonders", "argued", "argues", "claimed",
	"claims", "declared", "stated", "responded", "answered", "remarked", "admitted", "conceded", "countered",
	"quipped", "concluded", "urged", "pleaded", "cried", "joked", "posted", "tweeted", "exclaimed", "yelled",
	"protested", "objected", "snapped", "laughed", "sighed", "chanted", "read")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

const (
	openers = "\"'“‘«([{"
	closers = "\"'”’»)]}"
)

// refine returns the final breaks of block: Punkt's candidates in sc.cand
// less the vetoed ones, plus breaks before a new quotation, less breaks
// before a short attribution.
func refine(block string, sc *scratch) []int {
	sc.forced = forcedBreaks(block, sc.forced[:0])
	kept := sc.fin[:0]
	start := 0
	ci, fi := 0, 0
	for ci < len(sc.cand) || fi < len(sc.forced) {
		var p int
		forced := false
		switch {
		case fi < len(sc.forced) && (ci == len(sc.cand) || sc.forced[fi] <= sc.cand[ci]):
			p, forced = sc.forced[fi], true
			if ci < len(sc.cand) && sc.cand[ci] == p {
				ci++
			}
			fi++
		default:
			p = sc.cand[ci]
			ci++
		}
		if p <= start {
			continue
		}
		if !forced && (protectedEnd(wordBefore(block, p), wordAfter(block, p)) || isDash(wordAfter(block, p)) ||
			p-start <= 16 && isListMarker(strings.TrimSpace(block[start:p]))) {
			continue
		}
		kept = append(kept, p)
		start = p
	}
	// Drop a break between a quoted question or exclamation and its
	// attribution.
	out := kept[:0]
	for i, p := range kept {
		next := len(block)
		if i+1 < len(kept) {
			next = kept[i+1]
		}
		if endsQuotedQuestion(wordBefore(block, p)) && isAttribution(block[p:next]) {
			continue
		}
		out = append(out, p)
	}
	sc.fin = out
	return out
}

// protectedEnd reports whether a break after word w, followed by word next,
// would cut inside a sentence: a title, a mid-sentence abbreviation, "No."
// or a month before a number, or an initial before a name.
func protectedEnd(w, next string) bool {
	if !strings.HasSuffix(w, ".") {
		return false
	}
	w = trimOpeners(w)
	if len(w) < 2 {
		return false
	}
	body := w[:len(w)-1]
	var buf [16]byte
	if len(body) > len(buf) {
		return false
	}
	low := buf[:0]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c >= utf8.RuneSelf {
			return false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low = append(low, c)
	}
	switch {
	case titleAbbrevs[string(low)], midAbbrevs[string(low)]:
		return true
	case numberAbbrevs[string(low)]:
		next = strings.TrimLeft(next, "+(")
		return next != "" && next[0] >= '0' && next[0] <= '9'
	case len(body) == 1 && 'A' <= body[0] && body[0] <= 'Z':
		return firstUpper(next) && !isStarter(next)
	}
	return false
}

func isStarter(w string) bool {
	return inLowerSet(sentenceStarters, strings.TrimRight(w, ",;:.!?"+closers))
}

// isDash reports whether w is a lone dash, which continues a sentence:
// "Nowak (EPP). – Madam President, ...".
func isDash(w string) bool { return w == "–" || w == "—" || w == "-" || w == "--" }

// isListMarker reports whether s is a list number alone: "1.", "12)",
// "(a)", "b)".
func isListMarker(s string) bool {
	if len(s) < 2 || len(s) > 5 {
		return false
	}
	if s[0] == '(' && s[len(s)-1] == ')' {
		return isLabel(s[1 : len(s)-1])
	}
	last := s[len(s)-1]
	if last != '.' && last != ')' {
		return false
	}
	body := s[:len(s)-1]
	if allDigits(body) && len(body) <= 3 {
		return true
	}
	return last == ')' && len(body) == 1 && isASCIILetter(body[0])
}

func isLabel(s string) bool {
	return len(s) >= 1 && len(s) <= 3 && allDigits(s) || len(s) == 1 && isASCIILetter(s[0])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// endsQuotedQuestion reports whether w ends with "?" or "!" inside closing
// quotes, as in `now?”`.
func endsQuotedQuestion(w string) bool {
	core := trimClosers(w)
	if len(core) == len(w) || core == "" {
		return false
	}
	c := core[len(core)-1]
	return c == '?' || c == '!'
}

// isAttribution reports whether s is a short "Name said." that belongs to
// the quotation before it.
func isAttribution(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) > 80 || !strings.HasSuffix(s, ".") || strings.ContainsAny(s, "“\"?!") {
		return false
	}
	words := 0
	verb := false
	for _, w := range strings.Fields(s) {
		words++
		if words > 6 {
			return false
		}
		w = strings.Trim(w, ".,;:"+closers)
		if speechVerbs[strings.ToLower(w)] {
			verb = true
		}
	}
	return verb
}

// forcedBreaks appends the breaks Punkt misses: between a quotation that
// ends a sentence and a new one that opens (`... closed.” “We ...`), after
// a decimal figure that ends a sentence ("magnitude 4.3. Schools"), and
// after "a.m."/"p.m." that end one ("at 2 a.m. By then").
func forcedBreaks(block string, dst []int) []int {
	for i := 0; i < len(block); i++ {
		c := block[i]
		if c != '.' && c != '?' && c != '!' || i+1 == len(block) {
			continue
		}
		// Cheap filter: a closing quote or bracket must follow, or white
		// space after a figure or "a.m.".
		switch n := block[i+1]; {
		case n == '"' || n == '\'' || n == ')' || n == ']' || n == '}' || n == 0xE2 || n == 0xC2:
		case n < utf8.RuneSelf && asciiClass[n] == classSpace:
			if c != '.' || i == 0 {
				continue
			}
			if p := block[i-1]; !(p >= '0' && p <= '9' || p == 'm' || p == 'M') {
				continue
			}
		default:
			continue
		}
		j := i + 1
		for j < len(block) {
			r, size := utf8.DecodeRuneInString(block[j:])
			if r >= utf8.RuneSelf && r != '”' && r != '’' && r != '»' || r < utf8.RuneSelf && !strings.ContainsRune(closers, r) {
				break
			}
			j += size
		}
		k := j
		for k < len(block) {
			r, size := utf8.DecodeRuneInString(block[k:])
			if !unicode.IsSpace(r) {
				break
			}
			k += size
		}
		if k == j || k >= len(block) {
			continue
		}
		next := block[k:]
		if j > i+1 {
			// A stop inside closing quotes, then a new quotation.
			r, size := utf8.DecodeRuneInString(next)
			if r == '“' || r == '"' || r == '‘' || r == '\'' || r == '«' || r == '(' {
				if r2, _ := utf8.DecodeRuneInString(next[size:]); unicode.IsUpper(r2) {
					dst = append(dst, j)
				}
			}
		} else if c == '.' && firstUpper(next) {
			if w := trimOpeners(wordBefore(block, j)); isDecimalEnd(w) || isClockEnd(w) && !timeFollows(block, k) {
				dst = append(dst, j)
			}
		}
		i = j - 1
	}
	return dst
}

// isDecimalEnd reports whether w is a figure with a decimal point followed
// by a full stop: "4.3.", "12.75.".
func isDecimalEnd(w string) bool {
	if len(w) < 4 || w[len(w)-1] != '.' {
		return false
	}
	w = w[:len(w)-1]
	dot := strings.IndexByte(w, '.')
	return dot > 0 && allDigits(strings.ReplaceAll(w[:dot], ",", "")) && allDigits(w[dot+1:])
}

func isClockEnd(w string) bool {
	return w == "a.m." || w == "p.m." || w == "A.M." || w == "P.M."
}

// timeWords may follow "a.m." or "p.m." inside a sentence.
var timeWords = setOf("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
	"february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
	"jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "gmt", "utc",
	"cet", "cest", "eet", "eest", "bst", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "et", "pt", "msk",
	"eastern", "central", "pacific", "mountain", "local", "today", "tomorrow", "yesterday")

// timeFollows reports whether the words at k continue a clock time: a
// day, month or zone ("9 a.m. Monday", "9 a.m. GMT"), or a place and
// "time" ("9 a.m. Moscow time").
func timeFollows(block string, k int) bool {
	w := wordAfter(block, k)
	if isTimeWord(w) {
		return true
	}
	next := strings.TrimRight(wordAfter(block, k+len(w)), ",;:.!?"+closers)
	return strings.EqualFold(next, "time")
}

func isTimeWord(w string) bool {
	w = strings.TrimRight(w, ",;:"+closers)
	var buf [16]byte
	if len(w) > len(buf) {
		return false
	}
	return timeWords[string(appendLower(buf[:0], w))]
}

// wordBefore returns the white-space-delimited word that ends at p.
func wordBefore(s string, p int) string {
	i := p
	for i > 0 {
		c := s[i-1]
		if c < utf8.RuneSelf {
			if asciiClass[c] == classSpace {
				break
			}
			i--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= size
	}
	return s[i:p]
}

// wordAfter returns the first white-space-delimited word after p.
func wordAfter(s string, p int) string {
	p = skipSpace(s, p)
	i := p
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiClass[c] == classSpace {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return s[p:i]
}

func skipSpace(s string, p int) int {
	for p < len(s) {
		c := s[p]
		if c < utf8.RuneSelf {
			if asciiClass[c] != classSpace {
				break
			}
			p++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[p:])
		if !unicode.IsSpace(r) {
			break
		}
		p += size
	}
	return p
}

// trimOpeners is strings.TrimLeft(s, openers) without building a cutset.
func trimOpeners(s string) string {
	for s != "" {
		switch {
		case strings.IndexByte(`"'([{`, s[0]) >= 0:
			s = s[1:]
		case strings.HasPrefix(s, "“"), strings.HasPrefix(s, "‘"):
			s = s[len("“"):]
		case strings.HasPrefix(s, "«"):
			s = s[len("«"):]
		default:
			return s
		}
	}
	return s
}

// trimClosers is strings.TrimRight(s, closers) without building a cutset.
func trimClosers(s string) string {
	for s != "" {
		switch {
		case strings.IndexByte(`"')]}`, s[len(s)-1]) >= 0:
			s = s[:len(s)-1]
		case strings.HasSuffix(s, "”"), strings.HasSuffix(s, "’"):
			s = s[:len(s)-len("”")]
		case strings.HasSuffix(s, "»"):
			s = s[:len(s)-len("»")]
		default:
			return s
		}
	}
	return s
}
