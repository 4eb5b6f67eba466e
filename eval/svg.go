package eval

// A small SVG writer for the HTML report's three chart kinds: grouped
// horizontal bars, x-y lines on [0,1]x[0,1], and a forest plot of
// differences with intervals. The maintained Go charting libraries did not
// fit: gonum/plot lays text out with fonts it compiles into the binary (and
// its SVGs show them faithfully only with the fonts embedded in the file),
// go-chart has no grouped bars; both would add a font and raster stack to a
// CLI for three simple charts. Text here is plain <text> that the browser
// sets in its own fonts.

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
)

// palette is Okabe and Ito's colour-blind-safe set; model i gets palette[i%len].
var palette = [...]string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

func colour(i int) string { return palette[i%len(palette)] }

// num formats a coordinate; NaN and infinities (which would make the whole
// SVG invalid) become 0.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0
	}
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// finite maps NaN and infinities to 0: a figure that cannot be drawn.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// clamp01 keeps a figure that should be a proportion on the chart.
func clamp01(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return min(max(x, 0), 1)
}

type svg struct {
	b strings.Builder
}

func newSVG(w, h float64, title string) *svg {
	s := &svg{}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s" font-family="system-ui, sans-serif">`,
		num(w), num(h), num(w), num(h), html.EscapeString(title))
	fmt.Fprintf(&s.b, "<title>%s</title>", html.EscapeString(title))
	return s
}

func (s *svg) rect(x, y, w, h float64, fill, tip string) {
	fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s">`, num(x), num(y), num(max(w, 0)), num(max(h, 0)), fill)
	if tip != "" {
		fmt.Fprintf(&s.b, "<title>%s</title>", html.EscapeString(tip))
	}
	s.b.WriteString("</rect>")
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64, dash bool) {
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"`, num(x1), num(y1), num(x2), num(y2), stroke, num(width))
	if dash {
		s.b.WriteString(` stroke-dasharray="4 3"`)
	}
	s.b.WriteString("/>")
}

func (s *svg) polyline(xs, ys []float64, stroke string, width float64) {
	if len(xs) == 0 {
		return
	}
	s.b.WriteString(`<polyline fill="none" stroke-linejoin="round" points="`)
	for i := range xs {
		if i > 0 {
			s.b.WriteByte(' ')
		}
		s.b.WriteString(num(xs[i]) + "," + num(ys[i]))
	}
	fmt.Fprintf(&s.b, `" stroke="%s" stroke-width="%s"/>`, stroke, num(width))
}

func (s *svg) circle(cx, cy, r float64, fill, tip string) {
	fmt.Fprintf(&s.b, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#fff" stroke-width="1">`, num(cx), num(cy), num(r), fill)
	if tip != "" {
		fmt.Fprintf(&s.b, "<title>%s</title>", html.EscapeString(tip))
	}
	s.b.WriteString("</circle>")
}

// text writes a label; anchor is start, middle or end.
func (s *svg) text(x, y float64, anchor string, size float64, fill, str string) {
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" text-anchor="%s" font-size="%s" fill="%s">%s</text>`,
		num(x), num(y), anchor, num(size), fill, html.EscapeString(str))
}

// vtext writes a label turned 90 degrees counter-clockwise (a y-axis title).
func (s *svg) vtext(x, y float64, size float64, fill, str string) {
	fmt.Fprintf(&s.b, `<text transform="translate(%s %s) rotate(-90)" text-anchor="middle" font-size="%s" fill="%s">%s</text>`,
		num(x), num(y), num(size), fill, html.EscapeString(str))
}

func (s *svg) String() string { return s.b.String() + "</svg>" }

// legendWidth estimates a legend entry's width: swatch, name, gap. The
// estimate (7 units a character at 12px) errs wide for most fonts.
func legendWidth(name string) float64 { return 16 + 7*float64(len([]rune(name))) + 18 }

// legendLines says how many lines legend needs between x and maxX.
func legendLines(x, maxX float64, names []string) int {
	lines, cx := 1, x
	for _, n := range names {
		w := legendWidth(n)
		if cx > x && cx+w > maxX {
			lines++
			cx = x
		}
		cx += w
	}
	return lines
}

// legend draws one coloured swatch and name per series from (x, y), left
// to right, wrapping at maxX onto lines 18 units apart.
func (s *svg) legend(x, y, maxX float64, names []string) {
	cx := x
	for i, n := range names {
		w := legendWidth(n)
		if cx > x && cx+w > maxX {
			cx, y = x, y+18
		}
		s.rect(cx, y-9, 12, 12, colour(i), "")
		s.text(cx+16, y+1, "start", 12, "#222", n)
		cx += w
	}
}

// barChart draws grouped horizontal bars: one group per category, one bar
// per series, values in [0,1] (values[series][category]).
func barChart(title string, categories, series []string, values [][]float64) string {
	const left, right, barH, gap = 170.0, 50.0, 11.0, 10.0
	const width = 640.0
	top := 40 + 18*float64(legendLines(left, width, series))
	groupH := barH*float64(len(series)) + gap
	height := top + groupH*float64(len(categories)) + 30
	plotW := width - left - right
	s := newSVG(width, height, title)
	s.text(8, 16, "start", 13, "#222", title)
	s.legend(left, 38, width, series)
	bottom := height - 30
	for t := 0; t <= 5; t++ {
		v := float64(t) / 5
		x := left + v*plotW
		s.line(x, top-6, x, bottom, "#e3e3e3", 1, false)
		s.text(x, bottom+16, "middle", 11, "#555", strconv.FormatFloat(v, 'f', 1, 64))
	}
	for c, cat := range categories {
		y0 := top + float64(c)*groupH
		s.text(left-8, y0+groupH/2, "end", 12, "#222", cat)
		for m := range series {
			v := 0.0
			if m < len(values) && c < len(values[m]) {
				v = finite(values[m][c])
			}
			y := y0 + float64(m)*barH
			w := clamp01(v) * plotW
			s.rect(left, y, w, barH-2, colour(m), fmt.Sprintf("%s, %s: %.3f", series[m], cat, v))
			s.text(left+w+4, y+barH-3, "start", 10, "#333", strconv.FormatFloat(v, 'f', 2, 64))
		}
	}
	s.line(left, top-6, left, bottom, "#888", 1, false)
	return s.String()
}

// xySeries is one line of an x-y chart on [0,1]x[0,1].
type xySeries struct {
	Name   string
	Colour string
	X, Y   []float64
	// Mark, when set, is a point drawn as a dot (an operating point).
	Mark *[2]float64
	// Sizes, when set, scale each point's dot by its share (reliability bins).
	Sizes []float64
}

// xyChart is a square-ish chart with both axes on [0,1].
type xyChart struct {
	Title, XLabel, YLabel string
	W, H                  float64
	Series                []xySeries
	Diagonal              bool // y = x, the perfectly calibrated line
	Legend                bool
}

func (c xyChart) svg() string {
	left, right, top, bottom := 44.0, 12.0, 26.0, 36.0
	names := make([]string, len(c.Series))
	for i, sr := range c.Series {
		names[i] = sr.Name
	}
	if c.Legend {
		top += 18 * float64(legendLines(left, c.W, names))
	}
	s := newSVG(c.W, c.H, c.Title)
	pw, ph := c.W-left-right, c.H-top-bottom
	px := func(v float64) float64 { return left + clamp01(v)*pw }
	py := func(v float64) float64 { return top + (1-clamp01(v))*ph }
	s.text(left, 16, "start", 13, "#222", c.Title)
	if c.Legend {
		s.legend(left, 36, c.W, names)
	}
	for t := 0; t <= 4; t++ {
		v := float64(t) / 4
		s.line(px(v), top, px(v), top+ph, "#ececec", 1, false)
		s.line(left, py(v), left+pw, py(v), "#ececec", 1, false)
		s.text(px(v), top+ph+14, "middle", 10, "#555", strconv.FormatFloat(v, 'f', -1, 64))
		s.text(left-5, py(v)+3, "end", 10, "#555", strconv.FormatFloat(v, 'f', -1, 64))
	}
	s.line(left, top+ph, left+pw, top+ph, "#888", 1, false)
	s.line(left, top, left, top+ph, "#888", 1, false)
	s.text(left+pw/2, c.H-4, "middle", 11, "#333", c.XLabel)
	s.vtext(11, top+ph/2, 11, "#333", c.YLabel)
	if c.Diagonal {
		s.line(px(0), py(0), px(1), py(1), "#999", 1, true)
	}
	for i, sr := range c.Series {
		col := sr.Colour
		if col == "" {
			col = colour(i)
		}
		n := min(len(sr.X), len(sr.Y))
		vx, vy := make([]float64, n), make([]float64, n) // values
		xs, ys := make([]float64, n), make([]float64, n) // coordinates
		for j := range n {
			vx[j], vy[j] = finite(sr.X[j]), finite(sr.Y[j])
			xs[j], ys[j] = px(vx[j]), py(vy[j])
		}
		s.polyline(xs, ys, col, 2)
		for j := range sr.Sizes {
			if j < len(xs) && sr.Sizes[j] > 0 {
				s.circle(xs[j], ys[j], 2.5+5*math.Sqrt(clamp01(sr.Sizes[j])), col, fmt.Sprintf("%s: mean score %.3f, positive rate %.3f", sr.Name, vx[j], vy[j]))
			}
		}
		if sr.Mark != nil {
			mx, my := finite(sr.Mark[0]), finite(sr.Mark[1])
			s.circle(px(mx), py(my), 4.5, col, fmt.Sprintf("%s at its threshold: recall %.3f, precision %.3f", sr.Name, mx, my))
		}
	}
	return s.String()
}

// forestRow is one difference with its confidence interval.
type forestRow struct {
	Name             string
	Delta, Low, High float64
}

// forestChart draws differences as dots with interval whiskers around a
// zero line: green when the interval is above zero, red when below, grey
// when it straddles zero.
func forestChart(title string, rows []forestRow) string {
	const left, right, top, rowH, width = 170.0, 70.0, 30.0, 22.0, 640.0
	height := top + rowH*float64(len(rows)) + 30
	span := 0.05
	rows = slices.Clone(rows)
	for i := range rows {
		r := &rows[i]
		r.Delta, r.Low, r.High = finite(r.Delta), finite(r.Low), finite(r.High)
		span = max(span, math.Abs(r.Delta), math.Abs(r.Low), math.Abs(r.High))
	}
	span = math.Ceil(span*1.1*20) / 20 // to the next 0.05
	pw := width - left - right
	px := func(v float64) float64 { return left + (min(max(v, -span), span)+span)/(2*span)*pw }
	s := newSVG(width, height, title)
	s.text(left, 16, "start", 13, "#222", title)
	bottom := height - 30
	for t := -2; t <= 2; t++ {
		v := span * float64(t) / 2
		s.line(px(v), top-6, px(v), bottom, "#ececec", 1, false)
		s.text(px(v), bottom+16, "middle", 10, "#555", strconv.FormatFloat(v, 'f', 3, 64))
	}
	s.line(px(0), top-6, px(0), bottom, "#777", 1, true)
	for i, r := range rows {
		y := top + rowH*(float64(i)+0.5)
		col := "#888"
		switch {
		case r.Low > 0:
			col = "#1a7f37"
		case r.High < 0:
			col = "#c62828"
		}
		s.text(left-8, y+4, "end", 12, "#222", r.Name)
		s.line(px(r.Low), y, px(r.High), y, col, 2, false)
		s.line(px(r.Low), y-5, px(r.Low), y+5, col, 2, false)
		s.line(px(r.High), y-5, px(r.High), y+5, col, 2, false)
		s.circle(px(r.Delta), y, 4.5, col, fmt.Sprintf("%s: %+.3f [%+.3f, %+.3f]", r.Name, r.Delta, r.Low, r.High))
		s.text(width-right+6, y+4, "start", 11, col, fmt.Sprintf("%+.3f", r.Delta))
	}
	return s.String()
}
