# p2p — build, test and run targets. `make help` lists them.
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

.PHONY: help demo build release test unit-test bench-tiny check-units lint format clean

help:
	@echo "make demo      build, run an index and two peers on loopback, search, download, verify, stats"
	@echo "make build     debug build of every target"
	@echo "make release   release build"
	@echo "make test      lint + every test (unit and real-process integration)"
	@echo "make bench-tiny  p2p-bench run at scale 0.001 against debug builds (part of make test)"
	@echo "make check-units  systemd-analyze verify + security score of the units"
	@echo "make lint      swift format lint"
	@echo "make format    swift format in place"
	@echo "make clean     remove build output"

demo:
	scripts/demo.sh

build:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release:
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

test: lint check-units unit-test bench-tiny

unit-test:
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS)

# The evaluation tool end to end at a tiny scale, so it cannot rot: its own index and two peers,
# every experiment, results as JSON in $(BENCH_OUT). Nothing here is timing-dependent: it fails
# only if a search or download fails or a file arrives short or corrupt.
BENCH_OUT ?= build/bench-tiny
bench-tiny:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	"$$($(SWIFT) build $(SWIFT_BUILD_FLAGS) --show-bin-path)/p2p-bench" run --scale 0.001 --searches 20 \
		--registry-files 1000 --out $(BENCH_OUT)

check-units:
	scripts/check-units.sh

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build build
