package batch

import (
	"slices"
	"strconv"
	"strings"
)

// Unit says what a record's position counts; it is part of the record's key.
type Unit uint8

// Units of a record position.
const (
	WholeFile Unit = iota // the record is a whole file (position 0)
	Line                  // 1-based line where the record starts (JSONL, CSV, TSV)
	Row                   // 1-based row (Parquet)
	Offset                // byte offset of the record (WARC; of its gzip member in .warc.gz, as CDX indexes count)
)

func (u Unit) String() string {
	switch u {
	case Line:
		return "line"
	case Row:
		return "row"
	case Offset:
		return "offset"
	}
	return "file"
}

// kind says how a record's body becomes article text.
type kind uint8

const (
	plainText kind = iota // the body is the text
	htmlPage              // the body is an HTML page: its main text is extracted
	jsonLine              // the body is one JSON object: id and text are fields
)

// Record is one input article as read, before decoding: decoding (JSON,
// HTML extraction) happens on the workers, in parallel.
type Record struct {
	File string
	Pos  int64
	Unit Unit
	// ID is the record's id when the reader knows it (CSV, Parquet, WARC);
	// JSONL ids are decoded with the text.
	ID          string
	Body        []byte
	Kind        kind
	ContentType string // HTTP Content-Type of an HTML body (its charset)
	// Err is set when the record exists but cannot be used; the record
	// goes to the errors file.
	Err error
}

// Key identifies a record across runs: "file:position", since ids may
// repeat; a whole file is "file:0", as earlier versions wrote it.
func (r *Record) Key() string {
	return r.File + ":" + strconv.FormatInt(r.Pos, 10)
}

// doneSet holds the keys of records already written, for --resume. Keys
// end in a position that mostly grows by one, so each file's positions are
// kept as sorted runs: an ordered run's output costs one run per file, not
// one entry per record, and memory stays small for archives of millions.
type doneSet struct {
	runs  map[string][]run // by key prefix: file and separator
	dirty map[string]bool  // prefixes whose runs need sorting
	other map[string]bool  // keys without a canonical trailing number
	n     int
}

type run struct{ lo, hi int64 }

func newDoneSet() *doneSet {
	return &doneSet{runs: map[string][]run{}, dirty: map[string]bool{}, other: map[string]bool{}}
}

// splitKey cuts a key into prefix and trailing number; ok is false when the
// key does not end in a canonical decimal (so prefix+number == key).
func splitKey(key string) (prefix string, pos int64, ok bool) {
	i := len(key)
	for i > 0 && key[i-1] >= '0' && key[i-1] <= '9' {
		i--
	}
	digits := key[i:]
	if digits == "" || len(digits) > 18 || (len(digits) > 1 && digits[0] == '0') {
		return "", 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return "", 0, false
	}
	return key[:i], n, true
}

func (d *doneSet) add(key string) {
	d.n++
	prefix, pos, ok := splitKey(key)
	if !ok {
		d.other[key] = true
		return
	}
	rs := d.runs[prefix]
	if k := len(rs) - 1; k >= 0 && pos == rs[k].hi+1 {
		rs[k].hi = pos
		return
	} else if k >= 0 && pos <= rs[k].hi {
		d.dirty[prefix] = true
	}
	d.runs[prefix] = append(rs, run{pos, pos})
}

// seal sorts and merges runs; call it after the last add.
func (d *doneSet) seal() {
	for prefix := range d.dirty {
		rs := d.runs[prefix]
		slices.SortFunc(rs, func(a, b run) int { return compare64(a.lo, b.lo) })
		out := rs[:1]
		for _, r := range rs[1:] {
			last := &out[len(out)-1]
			if r.lo <= last.hi+1 {
				last.hi = max(last.hi, r.hi)
				continue
			}
			out = append(out, r)
		}
		d.runs[prefix] = slices.Clip(out)
	}
	clear(d.dirty)
}

func compare64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (d *doneSet) has(key string) bool {
	if d.n == 0 {
		return false
	}
	prefix, pos, ok := splitKey(key)
	if !ok {
		return d.other[key]
	}
	rs := d.runs[prefix]
	i, _ := slices.BinarySearchFunc(rs, pos, func(r run, p int64) int {
		if r.hi < p {
			return -1
		}
		if r.lo > p {
			return 1
		}
		return 0
	})
	return i < len(rs) && rs[i].lo <= pos && pos <= rs[i].hi
}

// len is the number of keys added (duplicates included).
func (d *doneSet) len() int { return d.n }

// cleanField keeps error reasons on one line.
func cleanField(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
