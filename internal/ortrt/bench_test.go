package ortrt_test

import (
	"testing"

	"github.com/framing-project/framing/internal/ortrt"
	"github.com/framing-project/framing/internal/testenv"
	"github.com/framing-project/framing/models"
)

// BenchmarkNewSession is the model's share of a one-article run's cold
// start: the environment is already up, as it is after the first session.
func BenchmarkNewSession(b *testing.B) {
	for _, name := range models.Embedded() {
		b.Run(name, func(b *testing.B) {
			bun, err := models.Open(name)
			if err != nil {
				b.Fatal(err)
			}
			if err := ortrt.Acquire(testenv.ORTLibrary(b)); err != nil {
				b.Fatal(err)
			}
			defer ortrt.Release()
			b.ReportAllocs()
			for b.Loop() {
				s, err := ortrt.NewSession(bun.Model, ortrt.SessionOptions{IntraOpThreads: 1})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
