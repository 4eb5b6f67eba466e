package segment_test

import (
	"fmt"

	"github.com/framing-project/framing/segment"
)

func Example() {
	s, err := segment.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	text := "Border reopens after talks\n\n" +
		"VILNIUS — Mr. Kowalski said the U.S. delegation arrived at 9 a.m. on Tuesday. " +
		"“Will it hold?” Nowak asked.\n\nTrade fell 2.5 percent in 2021."
	for _, sp := range s.Split(text) {
		fmt.Printf("%d-%d %s\n", sp.Start, sp.End, text[sp.Start:sp.End])
	}
	// Output:
	// 0-26 Border reopens after talks
	// 28-107 VILNIUS — Mr. Kowalski said the U.S. delegation arrived at 9 a.m. on Tuesday.
	// 108-140 “Will it hold?” Nowak asked.
	// 142-173 Trade fell 2.5 percent in 2021.
}

func ExampleMaxBytes() {
	s, err := segment.New(segment.MaxBytes(24))
	if err != nil {
		fmt.Println(err)
		return
	}
	text := "lorem ipsum table cell values without any punctuation at all"
	for _, sp := range s.Split(text) {
		fmt.Printf("%q\n", text[sp.Start:sp.End])
	}
	// Output:
	// "lorem ipsum table cell"
	// "values without any"
	// "punctuation at all"
}
