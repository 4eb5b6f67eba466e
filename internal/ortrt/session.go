package ortrt

import (
	"errors"
	"fmt"
	"strings"

	ort "github.com/yalue/onnxruntime_go"
	"google.golang.org/protobuf/proto"

	pb "github.com/framing-project/framing/internal/onnxpb"
)

// Input roles framing knows how to fill. BERT-style exports take input_ids,
// attention_mask and optionally token_type_ids; framing's own models take the
// first two.
const (
	InputIDs       = "input_ids"
	AttentionMask  = "attention_mask"
	TokenTypeIDs   = "token_type_ids"
	defaultOutputs = "logits,probabilities"
)

// SessionOptions tunes one session.
type SessionOptions struct {
	// IntraOpThreads is ONNX Runtime's thread count per Run; 0 lets it choose.
	IntraOpThreads int
	// OutputName picks the output; empty means "logits", then
	// "probabilities", then the only output.
	OutputName string
}

// Session runs one model. Run is safe for concurrent use: ONNX Runtime
// sessions are, and each call owns its tensors.
type Session struct {
	sess       *ort.DynamicAdvancedSession
	inputs     []string
	output     string
	width      int64 // output's last dimension; -1 while unknown (dynamic)
	hasTypeIDs bool
}

// NewSession reads the model's inputs and outputs from the ONNX data itself,
// so bundles of any supported family load without per-family code. The
// environment must be acquired first.
func NewSession(model []byte, o SessionOptions) (*Session, error) {
	ins, outs, err := ioInfo(model)
	if err != nil {
		return nil, err
	}
	s := &Session{width: -1}
	var problems []string
	for _, in := range ins {
		switch in.Name {
		case InputIDs, AttentionMask, TokenTypeIDs:
		default:
			problems = append(problems, fmt.Sprintf("input %q is not one framing can fill (want %s, %s, optional %s)", in.Name, InputIDs, AttentionMask, TokenTypeIDs))
			continue
		}
		if in.DataType != ort.TensorElementDataTypeInt64 {
			problems = append(problems, fmt.Sprintf("input %q has element type %v, want int64", in.Name, in.DataType))
		}
		if len(in.Dimensions) != 2 {
			problems = append(problems, fmt.Sprintf("input %q has shape %v, want [batch, tokens]", in.Name, in.Dimensions))
		}
		s.inputs = append(s.inputs, in.Name)
		s.hasTypeIDs = s.hasTypeIDs || in.Name == TokenTypeIDs
	}
	if !contains(s.inputs, InputIDs) {
		problems = append(problems, fmt.Sprintf("the model has no %q input", InputIDs))
	}
	var names []string
	for _, out := range outs {
		names = append(names, out.Name)
	}
	want := o.OutputName
	if want == "" {
		for _, n := range strings.Split(defaultOutputs, ",") {
			if contains(names, n) {
				want = n
				break
			}
		}
		if want == "" && len(outs) == 1 {
			want = outs[0].Name
		}
	}
	for _, out := range outs {
		if out.Name != want {
			continue
		}
		s.output = want
		if out.DataType != ort.TensorElementDataTypeFloat {
			problems = append(problems, fmt.Sprintf("output %q has element type %v, want float32", out.Name, out.DataType))
		}
		if len(out.Dimensions) != 2 {
			problems = append(problems, fmt.Sprintf("output %q has shape %v, want [batch, labels]", out.Name, out.Dimensions))
		} else {
			s.width = out.Dimensions[1]
		}
	}
	if s.output == "" {
		problems = append(problems, fmt.Sprintf("no output named %q (outputs: %v)", want, names))
	}
	if len(problems) > 0 {
		return nil, errors.New("model.onnx: " + strings.Join(problems, "; "))
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer opts.Destroy()
	// Basic graph optimisation: ENABLE_ALL spent ~100 ms per session on
	// framing's small graphs (cold start of a one-article run) and bought
	// no measurable inference speed.
	if err := opts.SetGraphOptimizationLevel(ort.GraphOptimizationLevelEnableBasic); err != nil {
		return nil, err
	}
	if o.IntraOpThreads > 0 {
		if err := opts.SetIntraOpNumThreads(o.IntraOpThreads); err != nil {
			return nil, err
		}
		if err := opts.SetInterOpNumThreads(1); err != nil {
			return nil, err
		}
	}
	s.sess, err = ort.NewDynamicAdvancedSessionWithONNXData(model, s.inputs, []string{s.output}, opts)
	if err != nil {
		return nil, fmt.Errorf("model.onnx: ONNX Runtime could not create a session: %w", err)
	}
	return s, nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Width is the output width when the model declares it, else -1.
func (s *Session) Width() int64 { return s.width }

// Output is the output's name.
func (s *Session) Output() string { return s.output }

// Inputs are the model's input names in session order.
func (s *Session) Inputs() []string { return append([]string(nil), s.inputs...) }

// Run scores rows windows of cols tokens each. ids and mask are row-major
// [rows, cols]; out receives rows*width values and is returned (grown if short).
func (s *Session) Run(ids, mask []int64, rows, cols int, out []float32) ([]float32, error) {
	shape := ort.NewShape(int64(rows), int64(cols))
	var values []ort.Value
	defer func() {
		for _, v := range values {
			v.Destroy()
		}
	}()
	var zeros []int64
	for _, name := range s.inputs {
		var data []int64
		switch name {
		case InputIDs:
			data = ids
		case AttentionMask:
			data = mask
		case TokenTypeIDs:
			if zeros == nil {
				zeros = make([]int64, rows*cols)
			}
			data = zeros
		}
		t, err := ort.NewTensor(shape, data[:rows*cols])
		if err != nil {
			return out, err
		}
		values = append(values, t)
	}
	outputs := []ort.Value{nil}
	if err := s.sess.Run(values, outputs); err != nil {
		return out, err
	}
	defer outputs[0].Destroy()
	t, ok := outputs[0].(*ort.Tensor[float32])
	if !ok {
		return out, fmt.Errorf("output %q is not a float32 tensor", s.output)
	}
	got := t.GetShape()
	if len(got) != 2 || got[0] != int64(rows) {
		return out, fmt.Errorf("output %q has shape %v for a batch of %d", s.output, got, rows)
	}
	out = append(out[:0], t.GetData()...)
	return out, nil
}

// Close releases the session.
func (s *Session) Close() error {
	if s.sess == nil {
		return nil
	}
	err := s.sess.Destroy()
	s.sess = nil
	return err
}

// ioInfo reads the graph's inputs and outputs from the protobuf itself.
// onnxruntime_go's GetInputOutputInfo builds a throw-away session with full
// graph optimisation to answer the same question, which doubled cold start.
func ioInfo(model []byte) (ins, outs []ort.InputOutputInfo, err error) {
	var m pb.ModelProto
	if err := proto.Unmarshal(model, &m); err != nil {
		return nil, nil, fmt.Errorf("model.onnx is not a readable ONNX model: %w", err)
	}
	g := m.GetGraph()
	if g == nil {
		return nil, nil, errors.New("model.onnx is not a readable ONNX model: it has no graph")
	}
	inits := map[string]bool{}
	for _, t := range g.GetInitializer() {
		inits[t.GetName()] = true
	}
	conv := func(vi *pb.ValueInfoProto) ort.InputOutputInfo {
		info := ort.InputOutputInfo{Name: vi.GetName()}
		tt := vi.GetType().GetTensorType()
		if tt == nil {
			return info
		}
		info.OrtValueType = ort.ONNXTypeTensor
		info.DataType = ort.TensorElementDataType(tt.GetElemType())
		for _, d := range tt.GetShape().GetDim() {
			if v, ok := d.GetValue().(*pb.TensorShapeProto_Dimension_DimValue); ok {
				info.Dimensions = append(info.Dimensions, v.DimValue)
			} else {
				info.Dimensions = append(info.Dimensions, -1)
			}
		}
		return info
	}
	for _, vi := range g.GetInput() {
		if !inits[vi.GetName()] { // old exporters list initializers as inputs
			ins = append(ins, conv(vi))
		}
	}
	for _, vi := range g.GetOutput() {
		outs = append(outs, conv(vi))
	}
	if len(ins) == 0 || len(outs) == 0 {
		return nil, nil, errors.New("model.onnx is not a readable ONNX model: no inputs or outputs")
	}
	return ins, outs, nil
}
