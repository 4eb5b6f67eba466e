package textcheck

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The language check is a cheap heuristic, not a language identifier: it
// only has to notice text that is clearly not English. It reads the first
// languageSample bytes and looks at two things:
//   - the script of the letters: mostly non-Latin letters is not English;
//   - in Latin script, the share of common function words of English
//     against that of other European languages news monitors meet.

const (
	languageSample = 4 << 10 // some 600 words: plenty for a verdict, cheap per article
	minLetters     = 12      // fewer letters say nothing about the script
	minWords       = 6       // fewer words say nothing about the language
)

// scripts checked, in order; a letter in none of them counts as other.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Latin", unicode.Latin},
	{"Cyrillic", unicode.Cyrillic},
	{"Greek", unicode.Greek},
	{"Arabic", unicode.Arabic},
	{"Hebrew", unicode.Hebrew},
	{"Chinese (Han)", unicode.Han},
	{"Japanese kana", unicode.Hiragana},
	{"Japanese kana", unicode.Katakana},
	{"Korean (Hangul)", unicode.Hangul},
	{"Devanagari", unicode.Devanagari},
	{"Thai", unicode.Thai},
	{"Georgian", unicode.Georgian},
	{"Armenian", unicode.Armenian},
}

// languages whose function words are counted. English comes first.
var languages = []struct {
	name  string
	words string
}{
	{"English", "the of and to that is for it with on be at by this had not are but from or have they which were their " +
		"been has would who its said after more when about than there into we he she his her them what could other " +
		"over only new out up can because while against between should those these"},
	{"German", "der die das und ist nicht ein eine einer den dem des mit sich auf für von zu im auch es sie wir ich " +
		"wird wurde werden dass nach bei aus wie noch über oder sind hat haben vom zum zur bis durch gegen sagte"},
	{"French", "le la les des du de et est une un dans que qui pour pas sur au aux avec ce cette il elle ils sont " +
		"par plus ne se été ont mais nous leur où"},
	{"Spanish", "el la los las de del y que en un una es por con para se su sus al lo como más pero fue ha este " +
		"esta son sobre también entre dijo"},
	{"Italian", "il lo la gli le di del della che e è un una per non con sono da si nel nella alla anche come più " +
		"ma ha dei delle questo ai"},
	{"Portuguese", "o os as de do da dos das e que em um uma para com não por no na se mais foi ao à seu sua pelo " +
		"pela como mas é são"},
	{"Dutch", "de het een en van is dat op te in niet met zijn voor die er aan ook als bij door maar om heeft " +
		"worden wordt werd naar nog dit wel over hun zij ze"},
	{"Polish", "i w z na się nie do że to jest o jak po co tak za od ale przez jego ich dla czy już oraz przy był " +
		"była było są też tylko może we ze pod bez który która które"},
	{"Czech", "a v se na je že s z do to o k i jsou by jak ale pro za po od jeho které který také byl bylo už jako " +
		"při než mezi"},
	{"Swedish", "och i att det som en på är av för med till den har de inte om ett men var sig så från vid kan han " +
		"hon sina också efter eller"},
	{"Lithuanian", "ir yra kad į su iš ne bet tai jo jie buvo kaip per dėl nuo apie o jau ar prie tik bus savo kuris " +
		"kuri taip dar nes"},
	{"Latvian", "un ir ka no uz ar par kas bet arī tā to vai pie kā lai viņš viņa bija tika jau pēc tikai savu šo " +
		"gan nav"},
	{"Estonian", "ja on et ei see ka oli kui mis aga ta ning ma siis seda või oma nad pärast veel kes mida kuid " +
		"üle nii juba tema olid"},
}

// wordSets maps a function word to a bit set of the languages it belongs
// to; longer words need no look-up.
type wordSets struct {
	m      map[string]uint32
	maxLen int
}

// functionWords is built on first use, read-only after.
var functionWords = sync.OnceValue(func() wordSets {
	ws := wordSets{m: map[string]uint32{}}
	for i, l := range languages {
		for _, w := range strings.Fields(l.words) {
			ws.m[w] |= 1 << i
			ws.maxLen = max(ws.maxLen, len(w))
		}
	}
	return ws
})

// languageWarning says why s is clearly not English, or returns "".
func languageWarning(s string) string {
	if len(s) > languageSample {
		cut := languageSample
		for cut > 0 && !utf8.RuneStart(s[cut]) { // do not cut a character
			cut--
		}
		s = s[:cut]
	}
	const advice = "; the models are trained on English, so its scores mean little"
	if script := dominantScript(s); script != "" {
		return fmt.Sprintf("the text is mostly in %s script, not English%s", script, advice)
	}
	var hits [32]int
	words := 0
	fw := functionWords()
	var buf [32]byte
	word := buf[:0]
	long := false // the current word overflowed buf: no function word is that long
	count := func() {
		if len(word) == 0 && !long {
			return
		}
		words++
		if !long && len(word) <= fw.maxLen {
			set := fw.m[string(word)]
			for i := range languages {
				if set&(1<<i) != 0 {
					hits[i]++
				}
			}
		}
		word, long = buf[:0], false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if lc := c | 0x20; 'a' <= lc && lc <= 'z' {
				if len(word) < len(buf) {
					word = append(word, lc)
				} else {
					long = true
				}
			} else {
				count()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case !unicode.IsLetter(r):
			count()
		case len(word)+utf8.UTFMax > len(buf):
			long = true
		default:
			word = utf8.AppendRune(word, unicode.ToLower(r))
		}
	}
	count()
	if words < minWords {
		return ""
	}
	english := float64(hits[0]) / float64(words)
	best, bestShare := 0, 0.0
	for i := 1; i < len(languages); i++ {
		if share := float64(hits[i]) / float64(words); share > bestShare {
			best, bestShare = i, share
		}
	}
	switch {
	case bestShare >= 0.12 && english < bestShare/2:
		return fmt.Sprintf("the text does not look like English (it looks most like %s)%s", languages[best].name, advice)
	case words >= 20 && english < 0.03:
		return "the text does not look like English" + advice
	}
	return ""
}

// dominantScript names the script of most letters in s when it is not
// Latin, or returns "".
func dominantScript(s string) string {
	var counts [16]int
	letters := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				letters++
				counts[0]++
			}
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		for i, sc := range scripts {
			if unicode.Is(sc.table, r) {
				counts[i]++
				break
			}
		}
	}
	if letters < minLetters || 2*counts[0] >= letters {
		return ""
	}
	best := 1
	for i := 2; i < len(scripts); i++ {
		if counts[i] > counts[best] {
			best = i
		}
	}
	if counts[best] == 0 {
		return "a non-Latin"
	}
	return scripts[best].name
}
