#!/usr/bin/env bash
# Fuzzes herald: fuzz/run.sh SECONDS [TARGET...]   (targets: frontmatter markdown site)
#
# (Re)seeds the corpora from the example portal, then runs each target for SECONDS, one after
# the other, and prints per target: executions, exec/s, coverage (libFuzzer's final `cov:` and
# `ft:`), corpus size and crashes. A run stops early at its first crash, hang (-timeout=10) or
# memory blowup (-rss_limit_mb=4096); the input is saved in fuzz/artifacts/TARGET/. Logs are in
# fuzz/artifacts/TARGET/run.log.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). On a stable toolchain it sets
# RUSTC_BOOTSTRAP=1, because cargo fuzz passes -Z flags (-Zsanitizer=address). Builds are
# optimized, with debug assertions and overflow checks on, and AddressSanitizer; set
# FUZZ_SANITIZER=none for plain libFuzzer (faster; herald is safe Rust, and panics, overflows and
# hangs are what the fuzzers find).
set -uo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
cd "$fuzz"
secs="${1:?usage: fuzz/run.sh SECONDS [TARGET...]}"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frontmatter markdown site)
sanitizer="${FUZZ_SANITIZER:-address}"
export RUSTC_BOOTSTRAP=1
# What `cargo fuzz run` sets for an AddressSanitizer build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_odr_violation=0"

command -v cargo-fuzz > /dev/null || {
    echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
    exit 2
}
./seed.sh
cargo fuzz build -s "$sanitizer" || exit 2

# The site target writes its portal here (tmpfs when there is one); removed at the end.
scratch="$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/herald-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
export HERALD_FUZZ_DIR="$scratch"

dict_of() { case "$1" in markdown) echo dict/markdown.dict ;; *) echo dict/toml.dict ;; esac; }

summary=()
status=0
for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t" "corpus/$t"
    log="artifacts/$t/run.log"
    before="$(find "artifacts/$t" -type f ! -name '*.log' | wc -l)"
    echo "=== $t: ${secs}s ($sanitizer sanitizer), log in fuzz/$log"
    start=$(date +%s)
    # The binary `cargo fuzz build` made, run directly (as `cargo fuzz run` would): a second
    # cargo invocation would rebuild herald whenever its sources changed meanwhile.
    "target/x86_64-unknown-linux-gnu/release/$t" -artifact_prefix="artifacts/$t/" "corpus/$t" \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
        -dict="$(dict_of "$t")" -print_final_stats=1 \
        > "$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    execs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')"
    rate="$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')"
    last="$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)"
    if [ "$execs" = 0 ] && [ -n "$last" ]; then
        execs="$(sed -E 's/^#([0-9]+).*/\1/' <<< "$last")"
        rate="$(grep -oE 'exec/s: [0-9]+' <<< "$last" | awk '{print $2}')"
    fi
    cov="$(grep -oE 'cov: [0-9]+' <<< "$last" | awk '{print $2}')"
    ft="$(grep -oE 'ft: [0-9]+' <<< "$last" | awk '{print $2}')"
    corp="$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<< "$last" | awk '{print $2}')"
    corpus="$(find "corpus/$t" -type f | wc -l)"
    corpus_kb="$(du -sk "corpus/$t" | cut -f1)"
    after="$(find "artifacts/$t" -type f ! -name '*.log' | wc -l)"
    crashes=$(( after - before ))
    found="$(grep -oE "(crash|timeout|oom|leak|slow-unit)-[0-9a-f]+" "$log" | sort -u | tr '\n' ' ')"
    line="$t: ${elapsed}s, ${execs} execs, ${rate} exec/s, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?} in use, ${corpus} files (${corpus_kb} KB) in corpus/$t, crashes ${crashes}${found:+ (artifacts/$t/: $found)}"
    if [ $rc -ne 0 ]; then
        status=1
        line="$line, exit $rc"
        grep -m 1 -E "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer|SUMMARY:" "$log" | sed 's/^/    /'
    fi
    echo "$line"
    summary+=("$line")
done
echo "=== summary"
printf '%s\n' "${summary[@]}"
exit $status
