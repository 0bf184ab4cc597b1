# p2p — build, test and run targets. `make help` lists them.
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

# What ships (in the .deb, and so in `make dist`): one multi-call executable; p2p-indexd, p2p-peerd
# and p2pctl are links to it (scripts/make-dist.sh).
DIST_PRODUCT = p2p-multicall
DIST_DIR ?= build/dist
# The release: VERSION is its one source (P2PVersion.current must match: a unit test and make deb check).
VERSION := $(shell tr -d '[:space:]' < VERSION)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB = build/p2p_$(VERSION)_$(DEB_ARCH).deb
CONTAINER_ROOT ?= build/container-root
# Static Swift runtime, no $ORIGIN rpath: the binaries run on a machine without the toolchain.
# -z now: bind every symbol at start (with the default RELRO, the GOT is then read-only).
# -ffile-prefix-map: the C/C++ dependencies' __FILE__ strings name paths relative to the checkout,
# not this machine's folder (the .deb is then the same wherever it is built).
#
# Idle memory (docs/PERFORMANCE.md, "Idle memory"): the kernel maps up to 64 KiB of cached file
# pages around each page fault, so what an idle daemon holds depends on how many places in the
# binary its start touches. Linked with ld.lld instead of gold for:
# -z pack-relative-relocs: the ~65,000 relative relocations as a 12 KiB RELR table instead of
#   1.5 MiB of RELA records that ld.so read, and so kept resident, at every start (glibc >= 2.36).
# --no-export-dynamic: the static Swift runtime's link arguments export every symbol of our
#   modules (21,000: 1.9 MiB of .dynsym/.dynstr/.gnu.hash, searched by every library's symbol
#   lookups at start); nothing looks symbols up in the executable.
# Function sections and --symbol-ordering-file: the functions that run until a daemon is ready
#   and idle (scripts/startup-order.txt, written by `make startup-order`) packed together at the
#   start of .text instead of spread over 15 MiB of it. A listed symbol that no longer exists
#   is skipped: a stale list costs memory, never correctness. scripts/startup-layout.ld gathers
#   the compiler's symbol-less functions, which no list can name, in front of .text.
# Its own scratch folder: these flags differ from `make release`'s, and one .build would then
# recompile everything at each switch between the two.
STARTUP_ORDER = scripts/startup-order.txt
DIST_BUILD_FLAGS = -c release --scratch-path .build-dist --static-swift-stdlib --disable-local-rpath \
	-Xlinker -z -Xlinker now -Xcc -ffile-prefix-map=$(CURDIR)/=./ -Xcxx -ffile-prefix-map=$(CURDIR)/=./ \
	-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic \
	-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcxx -ffunction-sections \
	-Xlinker --symbol-ordering-file=$(CURDIR)/$(STARTUP_ORDER) -Xlinker --no-warn-symbol-ordering \
	-Xlinker -T -Xlinker $(CURDIR)/scripts/startup-layout.ld \
	$(SWIFT_BUILD_FLAGS)
DIST_BIN = "$$($(SWIFT) build $(DIST_BUILD_FLAGS) --show-bin-path)"

.PHONY: help demo build release test unit-test bench-tiny bench bench-quick bench-build netns-test soak soak-brief \
	check-units check-man check-compose docker-test fuzz lint format \
	clean dist startup-order deb check-deb container-root system-test

help:
	@echo "make demo      build, run an index and two peers on loopback, search, download, verify, stats"
	@echo "make build     debug build of every target"
	@echo "make release   release build"
	@echo "make test      lint + every test (unit, real-process, bench-tiny, netns, soak-brief, package, system test)"
	@echo "make dist      static release build, stripped, laid out as installed in $(DIST_DIR)"
	@echo "make startup-order  list the functions the daemons run until idle, for make dist's link (valgrind)"
	@echo "make deb       $(DEB) from $(DIST_DIR) and packaging/"
	@echo "make check-deb lintian, contents, control and binaries of the .deb"
	@echo "make system-test  the .deb installed with apt under a booted systemd in a container (root)"
	@echo "make check-compose  validate docker-compose.yml statically (no Docker engine needed)"
	@echo "make docker-test    the compose simulation: index + 2 peers from the .deb (needs Docker)"
	@echo "make bench-tiny  p2p-bench run at scale 0.001 against debug builds (part of make test)"
	@echo "make bench     release builds + make dist, every experiment at scale 1, the goals against anchors measured"
	@echo "               in the same run (rsync, nginx+curl, iperf3, redis), plots; see docs/PERFORMANCE.md"
	@echo "make bench-quick  the same at a reduced scale: under 3 minutes once the release binaries are built"
	@echo "make netns-test  faults across hosts: daemons in network namespaces on a bridge (root; part of make test)"
	@echo "make soak      1,000 search connections + 200 downloads for 60 s: errors, RSS/fd growth, p99"
	@echo "make soak-brief  the soak for 8 s with fewer connections (part of make test)"
	@echo "make check-units  systemd-analyze verify + security score of the units"
	@echo "make check-man    mandoc lint of man/, pages against --help and etc/p2p"
	@echo "make fuzz      libFuzzer + ASan on every parser, >= 10 million runs (~13 min; FUZZ_SCALE=0.01 for a smoke run)"
	@echo "make lint      swift format lint"
	@echo "make format    swift format in place"
	@echo "make clean     remove build output"

demo:
	scripts/demo.sh

build:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release:
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

test: lint check-units check-man unit-test bench-tiny netns-test soak-brief check-compose check-deb system-test

unit-test:
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS)

check-compose:
	scripts/check-compose.sh

docker-test:
	scripts/docker-test.sh

# The evaluation tool end to end at a tiny scale, so it cannot rot: its own index and two peers,
# every experiment and the goals pipeline (verdicts, summary.md, plots; no anchors), results as JSON in
# $(BENCH_OUT). Nothing here is timing-dependent: it fails only if a search or download fails or a
# file arrives short or corrupt; the goals' verdicts are printed, never enforced.
BENCH_OUT ?= build/bench-tiny
bench-tiny:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	"$$($(SWIFT) build $(SWIFT_BUILD_FLAGS) --show-bin-path)/p2p-bench" run --scale 0.001 --searches 20 \
		--registry-files 1000 --goals --repetitions 1 --index-files 2000 --register-files 1000 --goal-searches 20 \
		--out $(BENCH_OUT)

# The evaluation against release builds, with the product goals judged against anchors measured
# in the same run (scripts/install-bench-deps.sh installs them; a missing one is reported as
# skipped). Needs about 3 GB free under $$TMPDIR (or /tmp). Results, summary.md and the plots go
# to $(BENCH_RESULTS); the summary is spliced into docs/PERFORMANCE.md.
BENCH_RESULTS ?= evaluation/results
BENCH_QUICK_RESULTS ?= build/bench-quick
BENCH_PRODUCTS = p2p-indexd p2p-peerd p2p-bench
BENCH_BIN = "$$($(SWIFT) build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)"

# The start-up and idle-memory goals are judged on what ships: the static multi-call binary of
# `make dist` (--startup-bin-dir); the load runs against the release builds.
BENCH_STARTUP_BIN = $(DIST_DIR)/usr/sbin

bench-build: dist
	@scripts/install-bench-deps.sh --check || true
	for product in $(BENCH_PRODUCTS); do \
		$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS) --product $$product || exit 1; \
	done

bench: bench-build
	$(BENCH_BIN)/p2p-bench run --scale 1 --goals --anchors --startup-bin-dir $(BENCH_STARTUP_BIN) \
		--out $(BENCH_RESULTS) --command-label "make bench"
	scripts/splice-summary.sh $(BENCH_RESULTS)/summary.md docs/PERFORMANCE.md

# Scale 0.1 (a 102 MiB big file, 100 small ones), fewer points; the full 1,000,000-file index.
bench-quick: bench-build
	@echo "bench-quick: under 3 minutes from here (the release build above is not counted)"
	$(BENCH_BIN)/p2p-bench run --scale 0.1 --goals --anchors --clients 1,4,16 --searches 500 \
		--concurrency 1,4 --iperf-seconds 1 --goal-searches 2000 --startup-bin-dir $(BENCH_STARTUP_BIN) \
		--out $(BENCH_QUICK_RESULTS) --command-label "make bench-quick"

# Faults across hosts: the index and each peer in a network namespace of its own, on a bridge in
# another namespace (made and removed by the script). Prints "skipped: …" without root or ip.
netns-test:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	tests/netns/run.sh --bin "$$($(SWIFT) build $(SWIFT_BUILD_FLAGS) --show-bin-path)"

# The load held: its own index and 5 peers on loopback; fails on any error, a daemon's memory or
# descriptors growing between the first and last 10 s, or a daemon dying. SOAK_FLAGS adds options.
SOAK_FLAGS ?=
soak:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	mkdir -p build
	"$$($(SWIFT) build $(SWIFT_BUILD_FLAGS) --show-bin-path)/p2p-bench" soak --duration 60 --connections 1000 \
		--downloads 200 --out build/soak.json $(SOAK_FLAGS)

soak-brief:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	"$$($(SWIFT) build $(SWIFT_BUILD_FLAGS) --show-bin-path)/p2p-bench" soak --duration 8 --warmup 2 --window 3 \
		--connections 200 --downloads 40 --peers 4 $(SOAK_FLAGS)

check-units:
	scripts/check-units.sh

# Lints the man pages and compares them with the debug build's --help and the shipped etc/p2p.
check-man:
	SWIFT="$(SWIFT)" SWIFT_BUILD_FLAGS="$(SWIFT_BUILD_FLAGS)" scripts/check-man.sh

# One static release build of the multi-call executable, then the layout with its three links.
# The order file and the linker script are link inputs SwiftPM does not track: a newer one forces
# the relink.
dist:
	@for input in $(STARTUP_ORDER) scripts/startup-layout.ld; do \
		if [ $$input -nt $(DIST_BIN)/$(DIST_PRODUCT) ]; then rm -f $(DIST_BIN)/$(DIST_PRODUCT); fi; \
	done
	$(SWIFT) build $(DIST_BUILD_FLAGS) --product $(DIST_PRODUCT)
	scripts/make-dist.sh $(DIST_BIN) $(DIST_DIR)

# Rewrites $(STARTUP_ORDER): the functions each daemon runs from exec to idle, under valgrind's
# callgrind (apt-get install valgrind). Run it when start-up code changed, then `make dist`.
startup-order:
	$(SWIFT) build $(DIST_BUILD_FLAGS) --product $(DIST_PRODUCT)
	scripts/startup-order.py $(DIST_BIN)/$(DIST_PRODUCT) $(STARTUP_ORDER)

# The .deb: dpkg-deb --root-owner-group over the dist tree plus packaging/.
deb: dist
	scripts/make-deb.sh $(DIST_DIR) build

check-deb: deb
	scripts/check-deb.sh $(DEB)

# A minimal Debian root to boot systemd in; built once, reused while its package list is unchanged.
container-root:
	scripts/container-root.sh $(CONTAINER_ROOT)

system-test: deb container-root
	tests/system/systemd-e2e.sh --deb $(DEB) --root $(CONTAINER_ROOT)

# Not part of `test`: the sanitizer build and the runs take minutes. `make test` replays the
# committed corpus (Tests/FuzzCorpus) through the same targets instead.
fuzz:
	SWIFT=$(SWIFT) scripts/fuzz.sh

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build .build-dist build
