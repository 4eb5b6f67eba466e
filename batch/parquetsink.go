package batch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/framing-project/framing/classify"
)

// A Parquet file cannot be appended to, and one cut short by a crash has no
// footer and is unreadable. So the Parquet output is written as parts in
// OUTPUT.parts/: each part is written as part-N.parquet.tmp and renamed when
// complete, every partRows rows or partAge. A resume keeps the complete
// parts and redoes the records of the torn one. When the run completes, the
// parts are merged into OUTPUT in order: merged.parquet is written in the
// parts folder, the parts are deleted, and it is renamed to OUTPUT; a crash
// at any step leaves a state a resume finishes.
const (
	partRows   = 50_000
	partAge    = time.Minute
	mergedName = "merged.parquet"
	modelKey   = "framing.model"
)

type parquetSink struct {
	path, dir string
	l         layout
	schema    *parquet.Schema
	rowT      reflect.Type
	part      int // number of the next part
	f         *os.File
	w         *parquet.GenericWriter[any]
	rows      int
	opened    time.Time
	pending   []any
}

// parquetRow builds the row type, the CSV columns with labels as a list:
// id, source, dominant, labels, one float column per label, model, and with
// sentences a list of {start, end, text, labels, scores{label...}}. The
// label set comes from the taxonomy at run time, hence reflect.StructOf.
func parquetRow(l layout) reflect.Type {
	str, strs, f32 := reflect.TypeFor[string](), reflect.TypeFor[[]string](), reflect.TypeFor[float32]()
	field := func(i int, name string, t reflect.Type, opts string) reflect.StructField {
		return reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: t, Tag: reflect.StructTag(`parquet:"` + name + opts + `"`)}
	}
	scores := make([]reflect.StructField, len(l.labels))
	for i, lab := range l.labels {
		scores[i] = field(i, lab, f32, "")
	}
	fields := []reflect.StructField{
		field(0, "id", str, ""), field(1, "source", str, ""), field(2, "dominant", str, ",dict"),
		field(3, "labels", strs, ",list"),
	}
	for i, lab := range l.labels {
		fields = append(fields, field(4+i, lab, f32, ""))
	}
	fields = append(fields, field(4+len(l.labels), "model", str, ",dict"))
	if l.sentences {
		sent := reflect.StructOf([]reflect.StructField{
			field(0, "start", reflect.TypeFor[int64](), ""), field(1, "end", reflect.TypeFor[int64](), ""),
			field(2, "text", str, ""), field(3, "labels", strs, ",list"), field(4, "scores", reflect.StructOf(scores), ""),
		})
		fields = append(fields, field(5+len(l.labels), "sentences", reflect.SliceOf(sent), ",list"))
	}
	return reflect.StructOf(fields)
}

func openParquet(path string, resume bool, l layout, done *doneSet) (*parquetSink, error) {
	rowT := parquetRow(l)
	s := &parquetSink{path: path, dir: path + ".parts", l: l, rowT: rowT, schema: parquet.SchemaOf(reflect.New(rowT).Interface())}
	if !resume {
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			return nil, fmt.Errorf("%s exists; run with --resume to continue that run, or remove it", path)
		}
		if ents, err := os.ReadDir(s.dir); err == nil && len(ents) > 0 {
			return nil, fmt.Errorf("%s holds the parts of an interrupted run; run with --resume to continue it, or remove it", s.dir)
		}
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return nil, err
		}
		return s, nil
	}
	if err := s.recover(); err != nil {
		return nil, err
	}
	parts, err := s.parts()
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		if err := s.scanPart(p, done); err != nil {
			return nil, err
		}
	}
	if len(parts) > 0 {
		s.part = partNumber(parts[len(parts)-1]) + 1
	}
	return s, nil
}

// recover brings the parts folder to a clean state: a finished merge is
// completed, torn parts are removed, and a finished OUTPUT becomes the
// first part so that new records are merged after it.
func (s *parquetSink) recover() error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	merged := filepath.Join(s.dir, mergedName)
	if _, err := os.Stat(merged); err == nil {
		if err := s.finishMerge(merged); err != nil {
			return err
		}
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return err
		}
	}
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil {
				return err
			}
		}
	}
	parts, err := s.parts()
	if err != nil {
		return err
	}
	if st, err := os.Stat(s.path); err == nil && st.Size() > 0 {
		if len(parts) > 0 {
			return fmt.Errorf("both %s and the parts of a run in %s exist; remove one of them", s.path, s.dir)
		}
		return os.Rename(s.path, filepath.Join(s.dir, partName(0)))
	}
	return nil
}

func partName(n int) string { return fmt.Sprintf("part-%06d.parquet", n) }

func partNumber(path string) int {
	var n int
	fmt.Sscanf(filepath.Base(path), "part-%06d.parquet", &n)
	return n
}

// parts lists the complete parts in order.
func (s *parquetSink) parts() ([]string, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "part-") && strings.HasSuffix(e.Name(), ".parquet") {
			out = append(out, filepath.Join(s.dir, e.Name()))
		}
	}
	slices.Sort(out)
	return out, nil
}

// scanPart checks a part's columns and model and collects its keys.
func (s *parquetSink) scanPart(path string, done *doneSet) error {
	f, pf, err := openPart(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if got, want := fmt.Sprint(pf.Schema().Columns()), fmt.Sprint(s.schema.Columns()); got != want {
		return fmt.Errorf("%s has columns %s; this run writes %s (another model, or --sentences changed); use a new --output", path, got, want)
	}
	if m, ok := pf.Lookup(modelKey); ok && m != s.l.modelString() {
		name, version, _ := strings.Cut(m, "@")
		if err := checkModel(s.path, s.l, classify.ModelInfo{Name: name, Version: version}); err != nil {
			return err
		}
	}
	col, _ := pf.Schema().Lookup("source")
	for _, g := range pf.RowGroups() {
		c := newCursor(g.ColumnChunks()[col.ColumnIndex])
		for {
			v, err := c.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				c.close()
				return fmt.Errorf("%s: %w", path, err)
			}
			done.add(string(v.ByteArray()))
		}
		c.close()
	}
	return nil
}

func (s *parquetSink) Write(it *Item) error {
	if s.w == nil {
		if err := s.openPart(); err != nil {
			return err
		}
	}
	s.pending = append(s.pending, s.row(it).Interface())
	s.rows++
	return nil
}

func (s *parquetSink) row(it *Item) reflect.Value {
	v := reflect.New(s.rowT).Elem()
	r := it.Result
	v.Field(0).SetString(it.ID)
	v.Field(1).SetString(it.Key)
	v.Field(2).SetString(r.Dominant)
	v.Field(3).Set(reflect.ValueOf(nonNil(r.Labels)))
	n := len(s.l.labels)
	for i, lab := range s.l.labels {
		v.Field(4 + i).SetFloat(float64(r.Score(lab)))
	}
	v.Field(4 + n).SetString(s.l.modelString())
	if s.l.sentences {
		f := v.Field(5 + n)
		st := f.Type().Elem()
		list := reflect.MakeSlice(f.Type(), len(r.Sentences), len(r.Sentences))
		for i := range r.Sentences {
			sen := &r.Sentences[i]
			e := list.Index(i)
			e.Field(0).SetInt(int64(sen.Start))
			e.Field(1).SetInt(int64(sen.End))
			e.Field(2).SetString(sen.Text)
			e.Field(3).Set(reflect.ValueOf(nonNil(sen.Labels)))
			sc := reflect.New(st.Field(4).Type).Elem()
			for j, lab := range s.l.labels {
				sc.Field(j).SetFloat(float64(sen.Score(lab)))
			}
			e.Field(4).Set(sc)
		}
		f.Set(list)
	}
	return v
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func (s *parquetSink) writer(w io.Writer) *parquet.GenericWriter[any] {
	pw := parquet.NewGenericWriter[any](w, s.schema, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(10_000))
	pw.SetKeyValueMetadata(modelKey, s.l.modelString())
	return pw
}

func (s *parquetSink) openPart() error {
	f, err := os.Create(filepath.Join(s.dir, partName(s.part)+".tmp"))
	if err != nil {
		return err
	}
	s.f, s.w, s.rows, s.opened = f, s.writer(f), 0, time.Now()
	return nil
}

func (s *parquetSink) writePending() error {
	if len(s.pending) == 0 {
		return nil
	}
	_, err := s.w.Write(s.pending)
	clear(s.pending)
	s.pending = s.pending[:0]
	return err
}

// Flush writes the buffered rows and completes the part when it is due.
func (s *parquetSink) Flush() error {
	if s.w == nil {
		return nil
	}
	if err := s.writePending(); err != nil {
		return err
	}
	if s.rows >= partRows || time.Since(s.opened) >= partAge {
		return s.commitPart()
	}
	return nil
}

// Sync does nothing: Parquet data is durable only once a part's footer is
// written, and parts are completed by size and age (Flush) and at Close.
func (s *parquetSink) Sync() error { return nil }

func (s *parquetSink) commitPart() error {
	tmp := s.f.Name()
	err := errors.Join(s.w.Close(), s.f.Sync(), s.f.Close())
	s.w, s.f = nil, nil
	if err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, strings.TrimSuffix(tmp, ".tmp")); err != nil {
		return err
	}
	s.part++
	return syncDir(s.dir)
}

// Close completes the last part and, when the run is complete, merges the
// parts into the output file.
func (s *parquetSink) Close(complete bool) error {
	if s.w != nil {
		if err := s.writePending(); err != nil {
			return err
		}
		if err := s.commitPart(); err != nil {
			return err
		}
	}
	if !complete {
		return nil
	}
	return s.merge()
}

func (s *parquetSink) merge() error {
	parts, err := s.parts()
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, mergedName+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := s.writer(f)
	for _, p := range parts {
		if err := copyRows(w, p); err != nil {
			f.Close()
			return err
		}
	}
	if err := errors.Join(w.Close(), f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	merged := filepath.Join(s.dir, mergedName)
	if err := os.Rename(tmp, merged); err != nil {
		return err
	}
	return s.finishMerge(merged)
}

// finishMerge replaces the parts by the merged file, which becomes OUTPUT.
func (s *parquetSink) finishMerge(merged string) error {
	parts, err := s.parts()
	if err != nil {
		return err
	}
	for _, p := range parts {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	if err := os.Rename(merged, s.path); err != nil {
		return err
	}
	if err := os.RemoveAll(s.dir); err != nil {
		return err
	}
	return syncDir(filepath.Dir(s.path))
}

func copyRows(w *parquet.GenericWriter[any], path string) error {
	f, pf, err := openPart(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, g := range pf.RowGroups() {
		if _, err := w.WriteRowGroup(g); err != nil {
			return fmt.Errorf("merging %s: %w", path, err)
		}
	}
	return nil
}

// openPart opens a part file the sink wrote; the caller closes f.
func openPart(path string) (f *os.File, pf *parquet.File, err error) {
	if f, err = os.Open(path); err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil {
		pf, err = parquet.OpenFile(f, st.Size())
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, pf, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
