// Package onnxbuild assembles ONNX models through the protobuf types of
// internal/onnxpb. It keeps graph construction readable (one call per node)
// and leaves shape inference and checking to ONNX Runtime, which loads every
// model the trainer writes in its tests.
package onnxbuild

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/proto"

	pb "github.com/framing-project/framing/internal/onnxpb"
)

// Element types used by framing's models.
const (
	Float   = pb.TensorProto_FLOAT
	Float16 = pb.TensorProto_FLOAT16
	Int64   = pb.TensorProto_INT64
)

// Opset is the ai.onnx operator set version the models are written for.
const Opset = 17

// irVersion 8 is the IR that goes with opset 17.
const irVersion = 8

// Graph collects nodes, initializers, inputs and outputs.
type Graph struct {
	g    *pb.GraphProto
	next int
}

// New starts a graph.
func New(name string) *Graph { return &Graph{g: &pb.GraphProto{Name: name}} }

// Dim is a tensor dimension: an int for a fixed size, a string for a named
// dynamic one ("batch", "tokens").
type Dim any

func valueInfo(name string, elem pb.TensorProto_DataType, dims []Dim) *pb.ValueInfoProto {
	shape := &pb.TensorShapeProto{}
	for _, d := range dims {
		dim := &pb.TensorShapeProto_Dimension{}
		switch v := d.(type) {
		case int:
			dim.Value = &pb.TensorShapeProto_Dimension_DimValue{DimValue: int64(v)}
		case int64:
			dim.Value = &pb.TensorShapeProto_Dimension_DimValue{DimValue: v}
		case string:
			dim.Value = &pb.TensorShapeProto_Dimension_DimParam{DimParam: v}
		default:
			panic(fmt.Sprintf("onnxbuild: dimension %v of type %T", d, d))
		}
		shape.Dim = append(shape.Dim, dim)
	}
	return &pb.ValueInfoProto{
		Name: name,
		Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{TensorType: &pb.TypeProto_Tensor{
			ElemType: int32(elem),
			Shape:    shape,
		}}},
	}
}

// Input declares a graph input.
func (b *Graph) Input(name string, elem pb.TensorProto_DataType, dims ...Dim) string {
	b.g.Input = append(b.g.Input, valueInfo(name, elem, dims))
	return name
}

// Output declares a graph output.
func (b *Graph) Output(name string, elem pb.TensorProto_DataType, dims ...Dim) {
	b.g.Output = append(b.g.Output, valueInfo(name, elem, dims))
}

// Floats adds a float32 initializer.
func (b *Graph) Floats(name string, dims []int64, data []float32) string {
	checkSize(name, dims, len(data))
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{
		Name: name, Dims: dims, DataType: int32(Float), FloatData: append([]float32(nil), data...),
	})
	return name
}

// Halves adds a float16 initializer from float32 values; the graph must Cast
// it back to float32 where it is used. It halves the bundle's size.
func (b *Graph) Halves(name string, dims []int64, data []float32) string {
	checkSize(name, dims, len(data))
	raw := make([]byte, 2*len(data))
	for i, v := range data {
		h := Float16Bits(v)
		raw[2*i], raw[2*i+1] = byte(h), byte(h>>8)
	}
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{
		Name: name, Dims: dims, DataType: int32(Float16), RawData: raw,
	})
	return name
}

// Int64s adds an int64 initializer.
func (b *Graph) Int64s(name string, dims []int64, data []int64) string {
	checkSize(name, dims, len(data))
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{
		Name: name, Dims: dims, DataType: int32(Int64), Int64Data: append([]int64(nil), data...),
	})
	return name
}

func checkSize(name string, dims []int64, n int) {
	want := int64(1)
	for _, d := range dims {
		want *= d
	}
	if want != int64(n) {
		panic(fmt.Sprintf("onnxbuild: initializer %s has %d values for shape %v", name, n, dims))
	}
}

// Int32s adds an int32 initializer (half the size of int64 for index maps;
// Gather accepts int32 indices).
func (b *Graph) Int32s(name string, dims []int64, data []int32) string {
	checkSize(name, dims, len(data))
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{
		Name: name, Dims: dims, DataType: int32(pb.TensorProto_INT32), Int32Data: append([]int32(nil), data...),
	})
	return name
}

// Attr is a node attribute.
type Attr = *pb.AttributeProto

// Int is an integer attribute.
func Int(name string, v int64) Attr {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INT, I: v}
}

// Ints is an integer-list attribute.
func Ints(name string, v ...int64) Attr {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INTS, Ints: v}
}

// Node adds a node and returns its (single) output's name.
func (b *Graph) Node(op string, attrs []Attr, inputs ...string) string {
	b.next++
	out := fmt.Sprintf("%s_%d", op, b.next)
	b.NodeTo(op, out, attrs, inputs...)
	return out
}

// NodeTo adds a node whose output has the given name (a graph output).
func (b *Graph) NodeTo(op, out string, attrs []Attr, inputs ...string) {
	b.g.Node = append(b.g.Node, &pb.NodeProto{
		OpType: op, Name: out, Input: inputs, Output: []string{out}, Attribute: attrs,
	})
}

// Marshal serialises the model with the given metadata.
func (b *Graph) Marshal(producerVersion, doc string, meta map[string]string) ([]byte, error) {
	m := &pb.ModelProto{
		IrVersion:       irVersion,
		ProducerName:    "framing",
		ProducerVersion: producerVersion,
		DocString:       doc,
		Graph:           b.g,
		OpsetImport:     []*pb.OperatorSetIdProto{{Domain: "", Version: Opset}},
	}
	for k, v := range meta {
		m.MetadataProps = append(m.MetadataProps, &pb.StringStringEntryProto{Key: k, Value: v})
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

// Float16Bits converts to IEEE 754 half precision, rounding to nearest even.
func Float16Bits(f float32) uint16 {
	bits := math.Float32bits(f)
	sign := uint16(bits>>16) & 0x8000
	exp := int32(bits>>23&0xff) - 127 + 15
	mant := bits & 0x7fffff
	switch {
	case bits&0x7fffffff == 0:
		return sign
	case bits>>23&0xff == 0xff: // Inf or NaN
		if mant != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	case exp >= 0x1f:
		return sign | 0x7c00
	case exp <= 0:
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint32(14 - exp)
		half := uint32(1) << (shift - 1)
		rounded := mant >> shift
		rem := mant & (1<<shift - 1)
		if rem > half || (rem == half && rounded&1 == 1) {
			rounded++
		}
		return sign | uint16(rounded)
	}
	rounded := uint32(exp)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && rounded&1 == 1) {
		rounded++
	}
	return sign | uint16(rounded)
}

// Float16Value converts half-precision bits back to float32; the trainer uses
// it to run its forward pass on exactly the weights the model stores.
func Float16Value(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h >> 10 & 0x1f)
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0:
		for mant&0x400 == 0 {
			mant <<= 1
			exp--
		}
		exp++
		mant &= 0x3ff
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}
