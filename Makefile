# framing — build, test, train and benchmark. Every target installs what it
# needs: Go modules through the module proxy, ONNX Runtime from npm.
SHELL      := /bin/bash
GO         ?= go
ORT_VER    := 1.24.1
ORT_DIR    := $(CURDIR)/.cache/ort/$(ORT_VER)
ORT_LIB    := $(ORT_DIR)/libonnxruntime.so.1
BIN        := bin/framing
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT     ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS    := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
EXAMPLE    := testdata/articles/showcase.txt
CORPUS     := testdata/corpus
STATICCHECK_VER := v0.8.2
export FRAMING_ORT_LIB ?= $(ORT_LIB)

.PHONY: all demo test build ort deps bench model lint fuzz proto clean data-check bench-peers bench-batch

all: build

## demo: build framing and classify the example article with the embedded model
demo: build
	./$(BIN) classify $(EXAMPLE)

## test: the whole suite with the race detector (what CI runs)
test: ort deps
	$(GO) test -race -count=1 ./...

build: ort deps
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/framing

ort: $(ORT_LIB)
$(ORT_LIB):
	bash scripts/install-ort.sh $(ORT_DIR)

deps:
	$(GO) mod download

## data-check: validate the hand-labelled corpus and print its counts
data-check: build
	./$(BIN) data check $(CORPUS)/train.jsonl $(CORPUS)/dev.jsonl $(CORPUS)/test.jsonl

## model: retrain the embedded bundles from testdata/corpus (deterministic, seed 1)
model: build
	./$(BIN) train --train $(CORPUS)/train.jsonl --dev $(CORPUS)/dev.jsonl --arch bag --name framing-bag --vocab models/vocab/bert-base-uncased-vocab.txt --out models/default --force
	./$(BIN) train --train $(CORPUS)/train.jsonl --dev $(CORPUS)/dev.jsonl --arch cnn --name framing-cnn --vocab models/vocab/bert-base-uncased-vocab.txt --out models/cnn --force
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/framing

## bench: Go benchmarks with allocations, then whole-process timings
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...
	bash scripts/bench-process.sh $(BIN) $(EXAMPLE)

## fuzz: run every fuzz target for FUZZTIME each (default 30s)
FUZZTIME ?= 30s
fuzz: ort deps
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## lint: go vet and staticcheck
lint: deps
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VER) ./...

## proto: regenerate internal/onnxpb from onnx.proto (needs protoc)
proto:
	command -v protoc >/dev/null || apt-get install -y protobuf-compiler
	$(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
	cd internal/onnxpb && PATH=$$PATH:$$($(GO) env GOPATH)/bin protoc --go_out=. --go_opt=paths=source_relative onnx.proto

clean:
	rm -rf bin

## bench-peers: fastText vs framing, accuracy and throughput in one run
bench-peers: build
	bash scripts/bench-peers.sh

## bench-batch: framing batch on a 100,000-article archive (articles/s, sentences/s, MB/s, peak RSS)
bench-batch: build
	bash scripts/bench-batch.sh $(BIN)

## eval-report: HTML report of the embedded models (and fastText, after
## bench-peers) on the test split, with a headless-Chromium screenshot of it
EVAL_REPORT ?= .cache/eval-report
EVAL_SHOT   ?= 1400,2400
.PHONY: eval-report
eval-report: build
	./$(BIN) eval --model default --model cnn $(if $(wildcard .cache/peers/fasttext.bin),--model fasttext:.cache/peers/fasttext.bin) \
	  --data $(CORPUS)/test.jsonl --out $(EVAL_REPORT) > /dev/null
	command -v chromium >/dev/null || apt-get install -y -qq chromium || { apt-get update -qq && apt-get install -y -qq chromium; }
	profile=$$(mktemp -d) && trap 'rm -rf "$$profile"' EXIT && \
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	  --disable-component-update --disable-sync --user-data-dir="$$profile" --window-size=$(EVAL_SHOT) \
	  --screenshot=$(CURDIR)/$(EVAL_REPORT)/report.png file://$(CURDIR)/$(EVAL_REPORT)/report.html 2>/dev/null
	@echo "report: $(EVAL_REPORT)/report.html, screenshot: $(EVAL_REPORT)/report.png"
