package textcheck

import (
	"strings"
	"testing"
)

// BenchmarkCheck measures the per-article cost batch runs pay: a 6 KB
// English article, clean and with mis-encoded bytes.
func BenchmarkCheck(b *testing.B) {
	clean := []byte(strings.Repeat(english+" ", 45))
	dirty := []byte(strings.Repeat(english+" Caf\xe9 ", 45))
	for _, c := range []struct {
		name string
		data []byte
	}{{"clean", clean}, {"invalid-utf8", dirty}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Check("bench", c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
