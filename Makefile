# danvan — see CONTRIBUTING.md. `make test` is what CI runs (.ci/run); `make bench` runs the Go benchmarks.
GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run demo-reset build test bench clean

run:
	$(GO) run ./cmd/danvan demo --addr 127.0.0.1:8080 --data ./data-demo

# The demo afresh: history generated relative to today again.
demo-reset:
	$(GO) run ./cmd/danvan demo --reset --addr 127.0.0.1:8080 --data ./data-demo

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/danvan ./cmd/danvan

test:
	bash scripts/test.sh

# Go benchmarks only (no unit tests); BENCH=regexp narrows them.
bench:
	$(GO) test -run '^$$' -bench '$(or $(BENCH),.)' -benchmem ./...

clean:
	rm -rf bin
