#!/usr/bin/env bash
# Installs the ONNX Runtime shared library that onnxruntime_go v1.27.0 expects
# (C API 1.24) from the npm package onnxruntime-node, the one registry copy of
# the prebuilt library reachable here. Idempotent; verifies the sha256.
set -euo pipefail
version=1.24.1
want=53ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4
dest=${1:-.cache/ort/$version}
lib=$dest/libonnxruntime.so.1
if [ -f "$lib" ] && echo "$want  $lib" | sha256sum -c --status; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-ort: npm is needed (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "onnxruntime-node@$version" >/dev/null )
tar -xzf "$tmp/onnxruntime-node-$version.tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
mkdir -p "$dest"
echo "$want  $tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | sha256sum -c --status \
  || { echo "install-ort: sha256 mismatch for libonnxruntime.so.1 from onnxruntime-node@$version" >&2; exit 1; }
install -m 0644 "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$lib"
echo "installed ONNX Runtime $version to $lib"
