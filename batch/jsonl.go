package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonlSource yields one record per non-blank line; the JSON is decoded
// later, on the workers.
type jsonlSource struct {
	br   *bufio.Reader
	name string
	line int64
	o    SourceOptions
	done bool
}

// NewJSONL reads JSON Lines (NDJSON) from r; name is the file the records
// come from.
func NewJSONL(r io.Reader, name string, o SourceOptions) Source {
	o = o.withDefaults()
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	return &jsonlSource{br: br, name: name, o: o}
}

func (s *jsonlSource) Next() (Record, error) {
	for !s.done {
		line, tooLong, err := readLine(s.br, s.o.MaxBytes)
		if err != nil && err != io.EOF {
			s.done = true
			return Record{File: s.name, Pos: s.line + 1, Unit: Line, Err: readStopped(err)}, nil
		}
		if err == io.EOF {
			s.done = true
			if len(line) == 0 && !tooLong {
				break
			}
		}
		s.line++
		rec := Record{File: s.name, Pos: s.line, Unit: Line, Kind: jsonLine}
		if tooLong {
			rec.Err = tooLarge(s.o.MaxBytes)
			return rec, nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rec.Body = line
		return rec, nil
	}
	return Record{}, io.EOF
}

// readStopped reports a file that stopped being readable midway.
func readStopped(err error) error {
	return fmt.Errorf("reading stopped here, the rest of the file was not read: %w", err)
}

// readLine reads one line without its end; beyond max bytes it discards
// the rest of the line and reports tooLong, so one huge line cannot
// exhaust memory. The line is a copy the caller owns.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong && len(line)+len(chunk) > max+2 { // +2: the line end
			tooLong, line = true, nil
		}
		if !tooLong {
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if !tooLong && len(line) > max {
			tooLong, line = true, nil
		}
		return line, tooLong, err
	}
}

// decodeJSON takes id and text from one JSON object. The id may be a
// string or a number; the text must be a string.
func decodeJSON(line []byte, o SourceOptions) (id string, text []byte, err error) {
	if !json.Valid(line) {
		var v any
		err := json.Unmarshal(line, &v)
		return "", nil, fmt.Errorf("invalid JSON: %v", err)
	}
	rawID, rawText, ok := objectFields(line, o.IDField, o.TextField)
	if !ok {
		return "", nil, errors.New("the line is JSON but not an object")
	}
	if rawID != nil {
		switch rawID[0] {
		case '"':
			var s string
			if json.Unmarshal(rawID, &s) == nil {
				id = s
			}
		case 'n': // null: no id
		default:
			id = string(rawID)
		}
	}
	if rawText == nil {
		return id, nil, fmt.Errorf("no %q field (set --text-field)", o.TextField)
	}
	if rawText[0] != '"' {
		return id, nil, fmt.Errorf("field %q is not a string", o.TextField)
	}
	return id, unquote(rawText), nil
}

// unquote decodes a JSON string literal; most have no escapes and are
// sliced as they are.
func unquote(raw []byte) []byte {
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		return body
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return body
	}
	return []byte(s)
}

// objectFields finds the raw values of two top-level keys of a JSON object
// (the last one wins when a key repeats, as with encoding/json's maps). The
// input must be valid JSON: objectFields does not validate, it only skips.
func objectFields(data []byte, k1, k2 string) (v1, v2 []byte, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, nil, false
	}
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return nil, nil, false
		}
		if data[i] == '}' {
			return v1, v2, true
		}
		if data[i] == ',' {
			i = skipSpace(data, i+1)
		}
		kEnd := skipString(data, i)
		key := data[i:kEnd]
		i = skipSpace(data, kEnd)
		if i >= len(data) || data[i] != ':' {
			return nil, nil, false
		}
		i = skipSpace(data, i+1)
		vEnd := skipValue(data, i)
		if vEnd <= i {
			return nil, nil, false
		}
		if keyIs(key, k1) {
			v1 = data[i:vEnd]
		}
		if keyIs(key, k2) {
			v2 = data[i:vEnd]
		}
		i = vEnd
	}
}

func keyIs(raw []byte, want string) bool {
	if len(raw) < 2 {
		return false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1:len(raw)-1]) == want
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && s == want
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string literal starting at i.
func skipString(data []byte, i int) int {
	if i >= len(data) || data[i] != '"' {
		return i
	}
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// skipValue returns the index after the JSON value starting at i.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = skipString(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	}
	j := i
	for j < len(data) && data[j] != ',' && data[j] != '}' && data[j] != ']' &&
		data[j] != ' ' && data[j] != '\t' && data[j] != '\n' && data[j] != '\r' {
		j++
	}
	return j
}
