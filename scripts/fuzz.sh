#!/bin/sh
# Fuzzes every parser with libFuzzer and AddressSanitizer; docs/RELIABILITY.md explains the targets.
#
# Builds Sources/p2p-fuzz with -sanitize=fuzzer,address into .build-fuzz, then runs each target
# for a fixed number of executions (≥ 10 million in all), seeded from Tests/FuzzCorpus/<target>
# (read only; what libFuzzer finds interesting goes to .build-fuzz/corpus/<target>). Prints
# executions, speed and crashes per target; a crash, timeout or leak leaves its input in
# fuzz-artifacts/<target>/ and makes the script exit non-zero.
#
#   FUZZ_TARGETS="json glob"  run only these targets (default: all)
#   FUZZ_SCALE=0.01           multiply every run count (default 1), e.g. for a quick smoke run
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
swift=${SWIFT:-swift}
scratch=.build-fuzz
scale=${FUZZ_SCALE:-1}
targets=${FUZZ_TARGETS:-json envelope control filename ini glob index frames}

# Per target: executions, -max_len (bytes), -timeout (seconds per input), dictionary. The run
# counts add up to 10 million and follow the speeds measured on a 2-core machine (json ~45,000
# executions/s, frames ~2,000), about 13 minutes in all.
settings() {
    case $1 in
    json) echo "2500000 8192 5 wire.dict" ;;
    envelope) echo "2500000 8192 5 wire.dict" ;;
    control) echo "1500000 4096 5 wire.dict" ;;
    filename) echo "900000 512 5 -" ;;
    ini) echo "700000 8192 5 -" ;;
    # Matching is meant to be O(pattern × name): a slow input is a finding, so the timeout is short.
    glob) echo "800000 1300 2 -" ;;
    index) echo "700000 8192 10 wire.dict" ;;
    # Long enough to cross the production cap of 64 KiB.
    frames) echo "400000 70000 10 -" ;;
    *)
        echo "unknown fuzz target $1" >&2
        exit 2
        ;;
    esac
}

# lld: with gold, linking libFuzzer into a SwiftPM executable fails (SwiftPM renames the entry
# point, and gold crashes reporting the clash with libFuzzer's main).
$swift build -c release --scratch-path "$scratch" --product p2p-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DP2P_LIBFUZZER -Xswiftc -use-ld=lld
binary="$scratch/release/p2p-fuzz"

# A Swift crash would otherwise start swift-backtrace, which waits for the dying process forever.
export SWIFT_BACKTRACE=enable=no

# Inputs libFuzzer saved in the current target's artifact folder: crashes, timeouts, leaks, OOMs.
count_artifacts() {
    find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'oom-*' \) | wc -l
}

failed=0
total=0
printf '%-10s %12s %10s %8s\n' target executions exec/s crashes
for target in $targets; do
    config=$(settings "$target") || exit 2
    set -- $config
    runs=$(awk -v r="$1" -v s="$scale" 'BEGIN { printf "%d", r * s }')
    corpus="$scratch/corpus/$target"
    artifacts="fuzz-artifacts/$target"
    log="$scratch/logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "$scratch/logs"
    dictionary=""
    if [ "$4" != "-" ]; then dictionary="-dict=Tests/FuzzCorpus/$4"; fi
    before=$(count_artifacts)
    status=0
    "$binary" "$target" -runs="$runs" -max_len="$2" -timeout="$3" -rss_limit_mb=4096 $dictionary \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "Tests/FuzzCorpus/$target" \
        >"$log" 2>&1 || status=$?
    executions=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
    speed=$(awk '/stat::average_exec_per_sec/ { print $2 }' "$log")
    crashes=$(($(count_artifacts) - before))
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
    printf '%-10s %12s %10s %8s\n' "$target" "${executions:-?}" "${speed:-?}" "$crashes"
    total=$((total + ${executions:-0}))
    if [ "$crashes" -ne 0 ]; then
        failed=1
        echo "--- $target: last lines of $log" >&2
        grep -E 'Fatal error|ERROR|SUMMARY|Test unit written|Base64' "$log" | tail -n 8 >&2
    fi
done
printf '%-10s %12s\n' total "$total"
if [ "$failed" -ne 0 ]; then
    echo "fuzz: crashes found; reproduce without sanitizers: swift run p2p-fuzz TARGET fuzz-artifacts/TARGET/FILE" >&2
    exit 1
fi
