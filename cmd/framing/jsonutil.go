package main

import (
	"bytes"
	"encoding/json"
)

// indentJSON pretty-prints compact JSON for --format json.
func indentJSON(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return b
	}
	return out.Bytes()
}
