# incidentmap: the two commands of the README are `make run` and `make test`.
SHARED ?= $(abspath ../shared)
export INCIDENTMAP_SHARED := $(SHARED)

.PHONY: run test test-go test-browser eval baselines models assets build bench vet

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
	@# The HTTP tests again on the PostGIS store, when a server is configured
	@# (.ci/run starts one; see internal/store/storetest).
	@if [ -n "$$INCIDENTMAP_TEST_POSTGRES" ]; then \
	  INCIDENTMAP_TEST_STORE=postgis go test -count=1 -timeout 10m ./internal/web/; \
	else echo "test-go: INCIDENTMAP_TEST_POSTGRES not set, HTTP tests on PostGIS skipped"; fi

# The binary embeds the vendor assets, so it is built here, after them.
# With INCIDENTMAP_TEST_POSTGRES set (.ci/run sets it), web/e2e/postgis.test.mjs
# also serves the page from a PostGIS database of its own; otherwise it skips.
test-browser: assets
	go build -o incidentmap ./cmd/incidentmap
	INCIDENTMAP_BIN=$(CURDIR)/incidentmap npm test

## eval: extraction and geoparsing scores on the shared corpora, when present,
## checked against the committed baselines (a figure more than 2 points
## below its baseline fails). After a real improvement: make baselines.
BASELINES := internal/eval/baselines
eval: build
	@if [ -f "$(SHARED)/corpus/dev.jsonl" ]; then \
	  ./incidentmap eval --baseline $(BASELINES)/dev.json "$(SHARED)/corpus/dev.jsonl" && \
	  ./incidentmap eval --baseline $(BASELINES)/acled_dev.json "$(SHARED)/corpus/acled_dev.jsonl" && \
	  ./incidentmap eval --event-location --baseline $(BASELINES)/event_location_dev.json "$(SHARED)/corpus/event_location_dev.jsonl" && \
	  ./incidentmap eval --toponyms --baseline $(BASELINES)/trnews.json "$(SHARED)/corpus/trnews.jsonl" && \
	  ./incidentmap eval --cross-validate 5 --baseline $(BASELINES)/acled_dev_heldout.json "$(SHARED)/corpus/acled_dev.jsonl" && \
	  ./incidentmap eval --event-location --cross-validate 5 --baseline $(BASELINES)/event_location_dev_heldout.json "$(SHARED)/corpus/event_location_dev.jsonl"; \
	else echo "eval: $(SHARED)/corpus not found, skipped"; fi

## baselines: record today's scores as the committed baselines
baselines: build
	./incidentmap eval --baseline $(BASELINES)/dev.json --write-baseline "$(SHARED)/corpus/dev.jsonl"
	./incidentmap eval --baseline $(BASELINES)/acled_dev.json --write-baseline "$(SHARED)/corpus/acled_dev.jsonl"
	./incidentmap eval --event-location --baseline $(BASELINES)/event_location_dev.json --write-baseline "$(SHARED)/corpus/event_location_dev.jsonl"
	./incidentmap eval --toponyms --baseline $(BASELINES)/trnews.json --write-baseline "$(SHARED)/corpus/trnews.jsonl"
	./incidentmap eval --cross-validate 5 --baseline $(BASELINES)/acled_dev_heldout.json --write-baseline "$(SHARED)/corpus/acled_dev.jsonl"
	./incidentmap eval --event-location --cross-validate 5 --baseline $(BASELINES)/event_location_dev_heldout.json --write-baseline "$(SHARED)/corpus/event_location_dev.jsonl"

## models: retrain the extractor's learned models on the shared corpora (deterministic)
models:
	go run ./internal/extract/learn/cmd/learn -corpus "$(SHARED)/corpus" -out internal/extract/model -stage text
	go run ./internal/extract/learn/cmd/learn -corpus "$(SHARED)/corpus" -out internal/extract/model -stage aliases
	go run ./internal/extract/learn/cmd/learn -corpus "$(SHARED)/corpus" -out internal/extract/model -stage words
	go run ./internal/extract/learn/cmd/learn -corpus "$(SHARED)/corpus" -out internal/extract/model -stage places

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

## loadtest: issue 10's table: req/s, p50, p99 and server CPU per request of the read APIs on
## INCIDENTMAP_BENCH_N (100,000) incidents generated from the UCDP seeds; BENCH_FLAGS adds flags
loadtest: build
	./incidentmap bench --seeds "$(SHARED)/data/ucdp_ged231_sample1000.csv" $(BENCH_FLAGS)
