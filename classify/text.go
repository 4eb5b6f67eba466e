package classify

import (
	"fmt"
	"io"
	"strings"
)

// TextStyle controls the human-readable rendering.
type TextStyle struct {
	// Color uses ANSI colours (only on a terminal, and never with NO_COLOR).
	Color bool
	// Width wraps sentence text; 0 means 100 columns.
	Width int
}

const (
	ansiReset = "\x1b[0m"
	ansiDim   = "\x1b[2m"
	ansiBold  = "\x1b[1m"
	ansiCyan  = "\x1b[36m"
)

// WriteText renders r for people: each sentence with its offsets, text and
// frames with scores, then the article's frames and dominant frame.
func (r *Result) WriteText(w io.Writer, st TextStyle) error {
	width := st.Width
	if width <= 0 {
		width = 100
	}
	paint := func(code, s string) string {
		if !st.Color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", paint(ansiBold, "model"), modelLine(r.Model))
	for i := range r.Sentences {
		s := &r.Sentences[i]
		fmt.Fprintf(&b, "\n%s %s\n", paint(ansiDim, fmt.Sprintf("[%d] %d-%d", i+1, s.Start, s.End)), wrap(s.Text, width, "    "))
		if len(s.Labels) == 0 {
			fmt.Fprintf(&b, "    %s\n", paint(ansiDim, "(no frame)"))
			continue
		}
		parts := make([]string, len(s.Labels))
		for j, l := range s.Labels {
			parts[j] = fmt.Sprintf("%s %.2f", paint(ansiCyan, l), s.Score(l))
		}
		fmt.Fprintf(&b, "    %s\n", strings.Join(parts, "  "))
	}
	fmt.Fprintf(&b, "\n%s %d sentences\n", paint(ansiBold, "article"), len(r.Sentences))
	if len(r.Labels) == 0 {
		b.WriteString("  frames:   (none)\n")
	} else {
		parts := make([]string, len(r.Labels))
		for j, l := range r.Labels {
			parts[j] = fmt.Sprintf("%s %.2f", paint(ansiCyan, l), r.Score(l))
		}
		fmt.Fprintf(&b, "  frames:   %s\n", strings.Join(parts, "  "))
	}
	dom := r.Dominant
	if dom == "" {
		dom = "(none)"
	}
	fmt.Fprintf(&b, "  dominant: %s\n", paint(ansiBold, dom))
	_, err := io.WriteString(w, b.String())
	return err
}

func modelLine(m ModelInfo) string {
	s := m.Name
	if m.Version != "" {
		s += " v" + m.Version
	}
	if m.Arch != "" {
		s += " (" + m.Arch + ")"
	}
	return s + " from " + m.Source
}

// wrap folds text at spaces to width columns, indenting continuation lines.
func wrap(text string, width int, indent string) string {
	words := strings.Fields(text)
	var b strings.Builder
	col := 0
	for i, w := range words {
		n := len([]rune(w))
		if i > 0 && col+1+n > width {
			b.WriteString("\n" + indent)
			col = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}
