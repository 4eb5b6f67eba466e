// Package onnxpb holds the ONNX protobuf types (onnx.proto, IR version 10,
// Apache-2.0, from the ONNX project) generated with protoc-gen-go, so that the
// trainer writes model.onnx through real protobuf types instead of hand-made bytes.
//
// Regenerate with `make proto`.
package onnxpb
