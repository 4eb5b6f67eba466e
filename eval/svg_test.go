package eval

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// wellFormed parses an SVG document to its end and returns its root name.
func wellFormed(t *testing.T, doc string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return root
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
}

func TestChartsAreWellFormed(t *testing.T) {
	nan := math.NaN()
	charts := map[string]string{
		"bars":                 barChart(`F1 <per> "frame" & more`, []string{"a<b", "c&d"}, []string{"m1", `m"2`}, [][]float64{{0.5, nan}, {1.4, -0.2}}),
		"bars, missing values": barChart("t", []string{"a", "b"}, []string{"m1", "m2"}, [][]float64{{0.5}}),
		"xy": xyChart{Title: "pr <x>", XLabel: "recall", YLabel: "precision", W: 300, H: 250, Legend: true, Diagonal: true,
			Series: []xySeries{{Name: "a&b", X: []float64{0, 0.5, 1}, Y: []float64{1, nan, 0}, Mark: &[2]float64{0.5, 0.5}, Sizes: []float64{0.1, 0.5, 0.4}}, {Name: "empty"}}}.svg(),
		"forest":        forestChart("d <", []forestRow{{"x&y", 0.1, 0.05, 0.2}, {"z", nan, math.Inf(-1), math.Inf(1)}}),
		"forest, empty": forestChart("none", nil),
	}
	for name, doc := range charts {
		t.Run(name, func(t *testing.T) {
			if root := wellFormed(t, doc); root != "svg" {
				t.Fatalf("root element %q", root)
			}
			for _, bad := range []string{"NaN", "Inf", "<per>", "a<b"} {
				if strings.Contains(doc, bad) {
					t.Errorf("output contains %q", bad)
				}
			}
		})
	}
}

var rectRE = regexp.MustCompile(`<rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="[-\d.]+" fill="([^"]+)"><title>([^<]*)</title>`)

// TestBarLengths: bars start at the axis and their lengths are
// proportional to the value, clamped to [0, 1].
func TestBarLengths(t *testing.T) {
	doc := barChart("t", []string{"a", "b", "c", "d"}, []string{"m", "n"}, [][]float64{{0.5, 1, 1.4, -0.3}, {0.25, 0, 0, 0}})
	widths := map[string]float64{}
	for _, m := range rectRE.FindAllStringSubmatch(doc, -1) {
		if m[1] != "170" {
			t.Errorf("bar %q starts at x=%s, not at the axis", m[5], m[1])
		}
		w, _ := strconv.ParseFloat(m[3], 64)
		widths[strings.SplitN(m[5], ":", 2)[0]] = w
	}
	full := widths["m, b"]
	if full <= 0 {
		t.Fatalf("bars: %v", widths)
	}
	for key, want := range map[string]float64{"m, a": 0.5, "m, c": 1, "m, d": 0, "n, a": 0.25, "n, b": 0} {
		if got := widths[key] / full; math.Abs(got-want) > 0.01 {
			t.Errorf("%s: length %.3f of full, want %.3f", key, got, want)
		}
	}
}

var polyRE = regexp.MustCompile(`<polyline fill="none" stroke-linejoin="round" points="([^"]*)"`)

// TestXYAxes: (0,0) maps to the bottom left of the plot, (1,1) to the top
// right, and y grows upwards.
func TestXYAxes(t *testing.T) {
	c := xyChart{Title: "t", W: 300, H: 250, Series: []xySeries{{Name: "s", X: []float64{0, 1}, Y: []float64{0, 1}}}}
	m := polyRE.FindStringSubmatch(c.svg())
	if m == nil {
		t.Fatal("no polyline")
	}
	var pts [][2]float64
	for _, p := range strings.Fields(m[1]) {
		xy := strings.Split(p, ",")
		x, _ := strconv.ParseFloat(xy[0], 64)
		y, _ := strconv.ParseFloat(xy[1], 64)
		pts = append(pts, [2]float64{x, y})
	}
	if len(pts) != 2 || !(pts[0][0] < pts[1][0]) || !(pts[0][1] > pts[1][1]) {
		t.Fatalf("points %v: want (0,0) left of and below (1,1)", pts)
	}
	if pts[0][0] < 0 || pts[1][0] > c.W || pts[1][1] < 0 || pts[0][1] > c.H {
		t.Fatalf("points %v fall outside the %vx%v canvas", pts, c.W, c.H)
	}
}

// TestForestColours: an interval above zero is green, below red, across grey.
func TestForestColours(t *testing.T) {
	doc := forestChart("t", []forestRow{{"up", 0.1, 0.02, 0.2}, {"down", -0.1, -0.2, -0.01}, {"flat", 0.01, -0.05, 0.06}})
	for name, col := range map[string]string{"up": "#1a7f37", "down": "#c62828", "flat": "#888"} {
		re := regexp.MustCompile(`<circle [^>]*fill="` + col + `"[^>]*><title>` + name + `:`)
		if !re.MatchString(doc) {
			t.Errorf("%s is not drawn in %s", name, col)
		}
	}
}

func TestLegendWraps(t *testing.T) {
	names := []string{"a-rather-long-model-name", "another-long-model-name", "a-third-long-model-name"}
	if n := legendLines(44, 520, names); n < 2 {
		t.Errorf("three long names fit on %d line in 476 units", n)
	}
	if n := legendLines(44, 520, []string{"a", "b"}); n != 1 {
		t.Errorf("two short names took %d lines", n)
	}
}
