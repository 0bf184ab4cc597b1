# p2p — build, test and run targets. `make help` lists them.
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

.PHONY: help build release test unit-test check-units fuzz lint format clean

help:
	@echo "make build     debug build of every target"
	@echo "make release   release build"
	@echo "make test      lint + every test (unit and real-process integration)"
	@echo "make check-units  systemd-analyze verify + security score of the units"
	@echo "make fuzz      libFuzzer + ASan on every parser, >= 10 million runs (~13 min; FUZZ_SCALE=0.01 for a smoke run)"
	@echo "make lint      swift format lint"
	@echo "make format    swift format in place"
	@echo "make clean     remove build output"

build:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release:
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

test: lint check-units unit-test

unit-test:
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS)

check-units:
	scripts/check-units.sh

# Not part of `test`: the sanitizer build and the runs take minutes. `make test` replays the
# committed corpus (Tests/FuzzCorpus) through the same targets instead.
fuzz:
	SWIFT=$(SWIFT) scripts/fuzz.sh

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build build
