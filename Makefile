# incidentmap: the two commands of the README are `make run` and `make test`.
SHARED ?= $(abspath ../shared)
export INCIDENTMAP_SHARED := $(SHARED)

.PHONY: run test test-go test-browser eval assets build bench vet

## run: fetch the map page's npm assets, compile ./incidentmap and serve on :8080 with ./incidentmap.gpkg
run: assets build
	@echo "make run: starting ./incidentmap serve (Ctrl-C stops it)"
	./incidentmap serve

## test: vet, Go tests (GDAL and corpus checks included when present), browser tests, corpus scores
test: vet test-go eval test-browser

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...

test-go:
	go test -count=1 -timeout 20m ./...

# The binary embeds the vendor assets, so it is built here, after them.
test-browser: assets
	go build -o incidentmap ./cmd/incidentmap
	INCIDENTMAP_BIN=$(CURDIR)/incidentmap npm test

## eval: extraction and geoparsing scores on the shared corpora, when present
eval: build
	@if [ -f "$(SHARED)/corpus/dev.jsonl" ]; then ./incidentmap eval "$(SHARED)/corpus/dev.jsonl"; else echo "eval: $(SHARED)/corpus/dev.jsonl not found, skipped"; fi
	@if [ -f "$(SHARED)/corpus/trnews.jsonl" ]; then ./incidentmap eval --toponyms "$(SHARED)/corpus/trnews.jsonl"; else echo "eval: trnews.jsonl not found, skipped"; fi

build:
	@echo "make: compiling ./incidentmap (a minute or so the first time)"
	go build -o incidentmap ./cmd/incidentmap

node_modules/.package-lock.json: package.json package-lock.json
	@echo "make: fetching the map page's assets (Leaflet and country shapes) with npm ci"
	npm ci --no-audit --no-fund

assets: node_modules/.package-lock.json
	npm run --silent assets

## bench: the benchmarks quoted in the issues' closing notes
bench:
	go test -run '^$$' -bench . -benchmem ./...
