#!/usr/bin/env bash
# libFuzzer on every parser (issue 20): builds the fuzz targets of bench/Fuzz with
# AddressSanitizer, libFuzzer's coverage and -D FUZZING (a separate build folder, .build-fuzz) and runs each on its corpus
# (bench/Fuzz/corpus/NAME: seeds from the shipped files and test fixtures; new finds are kept in
# a scratch copy, not committed) for SECONDS seconds, or for RUNS executions with -runs=N.
# Prints executions, coverage and any crash; a crash fails the script and leaves the input in
# bench/Fuzz/crashes/. Both limits may be given; the first one reached ends the run (the issue's
# goal: 10 million executions or 30 minutes per parser, `bash bench/fuzz.sh 1800 -runs=10000000`).
# From the repository root:
#   bash bench/fuzz.sh [SECONDS] [-runs=N] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
LIMITFLAGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -runs=*) LIMITFLAGS+=("$1"); shift ;;
    [0-9]*) LIMITFLAGS+=("-max_total_time=$1"); shift ;;
    *) break ;;
  esac
done
[ ${#LIMITFLAGS[@]} -gt 0 ] || LIMITFLAGS=(-max_total_time=60)
TARGETS=${*:-safetensors idx events session theme target nir learn}
# Coverage instrumentation and AddressSanitizer, and libFuzzer without its main: SwiftPM renames
# an executable's main on Linux, so the target's main.swift calls libFuzzer's driver itself.
FUZZER=$(ls /opt/swift/usr/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -1)
[ -n "$FUZZER" ] || FUZZER=$(find "$(dirname "$(dirname "$(command -v swift)")")" -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -1)
[ -n "$FUZZER" ] || { echo "libclang_rt.fuzzer_no_main not found beside the Swift toolchain" >&2; exit 2; }
FLAGS=(--scratch-path .build-fuzz -c debug -Xswiftc -sanitize=address
       -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -DFUZZING -Xlinker "$FUZZER" -Xlinker -lstdc++)
# NOBUILD=1 runs the targets as last built (e.g. beside another build).
[ -n "${NOBUILD:-}" ] || for t in $TARGETS; do swift build "${FLAGS[@]}" --product "fuzz-$t" >&2; done
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)
mkdir -p bench/Fuzz/crashes
status=0
export SWIFT_BACKTRACE=enable=no   # the runtime backtracer reads memory ASan rejects; let the crash show plainly
# Leaks: LeakSanitizer with TOMLKit's own leaks suppressed (bench/Fuzz/lsan-suppressions.txt).
export LSAN_OPTIONS=suppressions=$PWD/bench/Fuzz/lsan-suppressions.txt
TOML_TARGETS=" session theme target learn "
# The limits as numbers (0: none), for runs cut into segments.
RUNS=0; SECS=0; SEGMENT=${SEGMENT:-2000000}   # executions per segment of a TOML target's long run
for f in "${LIMITFLAGS[@]}"; do
  case "$f" in -runs=*) RUNS=${f#-runs=} ;; -max_total_time=*) SECS=${f#-max_total_time=} ;; esac
done
for t in $TARGETS; do
  work=$(mktemp -d)
  cp -r "bench/Fuzz/corpus/$t/." "$work/"
  log=$(mktemp)
  # The TOML targets leak (TOMLKit, suppressed) on every input, which makes libFuzzer scan for
  # leaks after every input (~100x slower): their long runs go without leak detection, then every
  # input of the corpus they built is run once more with it (the leak pass). The leaked memory
  # adds up (a 30-minute session run passed 8 GB), so their long runs go in segments of at most
  # 2 million executions, each a fresh process on the corpus built so far, the counts summed.
  # Short runs (CI) check every input.
  toml=0; [[ "$TOML_TARGETS" == *" $t "* && "${LIMITFLAGS[*]}" != "-runs=3000" ]] && toml=1
  leaks=$(( 1 - toml ))
  export ASAN_OPTIONS=detect_leaks=$leaks
  start=$(date +%s); runs=0; segments=0; ok=1
  while :; do
    flags=()
    if [ "$RUNS" -gt 0 ]; then
      left=$(( RUNS - runs )); [ $left -gt 0 ] || break
      [ $toml = 1 ] && [ $left -gt $SEGMENT ] && left=$SEGMENT
      flags+=(-runs=$left)
    elif [ $toml = 1 ]; then flags+=(-runs=$SEGMENT); fi
    if [ "$SECS" -gt 0 ]; then
      left=$(( SECS - ($(date +%s) - start) )); [ $left -gt 0 ] || break
      flags+=(-max_total_time=$left)
    fi
    seg=$(mktemp)
    if ! "$BIN/fuzz-$t" "$work" "${flags[@]}" -rss_limit_mb=8192 -timeout=10 -max_len=65536 -detect_leaks=$leaks \
         -artifact_prefix="bench/Fuzz/crashes/$t-" -print_final_stats=1 >"$seg" 2>&1; then ok=0; cat "$seg" >>"$log"; rm -f "$seg"; break; fi
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$seg" | grep -o '[0-9]*$' || echo 0)
    runs=$(( runs + ${n:-0} )); segments=$(( segments + 1 )); cat "$seg" >>"$log"; rm -f "$seg"
    [ $toml = 1 ] && [ "${n:-0}" -gt 0 ] || break
  done
  if [ $ok = 1 ] && { [ $leaks = 1 ] || ASAN_OPTIONS=detect_leaks=1 "$BIN/fuzz-$t" "$work" -runs=0 -detect_leaks=1 -timeout=10 \
         -max_len=65536 -artifact_prefix="bench/Fuzz/crashes/$t-leak-" >>"$log" 2>&1; }; then
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    peak=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' | sort -n | tail -1 || echo 0)
    echo "{\"bench\":\"fuzz\",\"target\":\"$t\",\"date\":\"$(date -u +%F)\",\"seconds\":$(( $(date +%s) - start )),\"executions\":$runs,\"segments\":$segments,\"coverage\":${cov:-0},\"peak_rss_mb\":${peak:-0},\"corpus\":$(ls "$work" | wc -l),\"leak_check\":\"$([ $leaks = 1 ] && echo every input || echo the corpus after the run)\",\"crash\":false}"
  else
    status=1
    echo "{\"bench\":\"fuzz\",\"target\":\"$t\",\"crash\":true}"
    grep -E "ERROR|Fatal|panic|SUMMARY|precondition|Crash|==[0-9]+==" "$log" | head -20 >&2
  fi
  rm -rf "$work" "$log"
done
exit $status
