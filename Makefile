# The two commands of the README: `make run` and `make test`. Both install what
# is missing first, so they work on a fresh Debian machine with Node 20+.
.PHONY: run demo test test-deps install deps build lint typecheck bench clean

install: node_modules/.installed
	@scripts/ensure-redis.sh

# promtool and prometheus for the metrics tests (Debian's package when missing)
test-deps: install
	@scripts/ensure-prometheus.sh

node_modules/.installed: package.json package-lock.json packages/*/package.json
	npm ci --no-audit --no-fund
	@touch $@

deps: install

build: install
	npm run build

# The broker and, beside it, the metrics exporter on http://127.0.0.1:9400/metrics.
# Extra flags: make run ARGS="--port 9500" EXPORTER_ARGS="--port 9401"
run: build
	EXPORTER_ARGS="$(EXPORTER_ARGS)" node scripts/run.mjs $(ARGS)

demo: build
	node packages/core/dist/cli.js demo

lint: install
	npm run lint

typecheck: install
	npm run typecheck

test: build test-deps
	npm run typecheck
	npm run lint
	npm test -- --json --outputFile=.jest-results.json
	@node scripts/test-summary.mjs .jest-results.json
	@scripts/check-no-redis-left.sh

# The whole benchmark suite (bench/README.md); make bench ARGS=--quick for a smoke run
bench: build
	npm run bench -- $(ARGS)

clean:
	rm -rf node_modules packages/*/node_modules packages/*/dist coverage
