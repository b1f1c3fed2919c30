#!/bin/sh
# fuzz.sh -- build, seed and run the libFuzzer targets one after another
# (`make fuzz`; tests/fuzz/README.md says what each target covers).
#
#   FUZZ_SECONDS=60        seconds per target (-max_total_time)
#   FUZZ_TARGETS="..."     which targets, default all of them
#   FUZZ_SUMMARY=FILE      where the figures go (default build-fuzz/summary.tsv;
#                          two runs over disjoint targets need two files)
#
# One fuzzer process at a time, nice'd: the machine is shared.  The corpus
# each target grows is kept in build-fuzz/corpus/TARGET/ for the next run.
# Seeds are rebuilt every run from samples/, tools/gen-report.py and
# tests/lib/zones/ (tests/fuzz/seeds.py); ../shared/corpus/real, when
# present, is read in place, never copied into the tree.  Every saved
# regression input is run again first.
#
# A crash, leak, timeout or out-of-memory input is copied to
# tests/fuzz/regressions/TARGET/ (test_fuzz_replay runs it from then on),
# and the script ends with status 1 after the other targets have run.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

ALL_TARGETS="mail unpack xml csv http config dns records"
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
MAKE=${MAKE:-make}
OUT=build-fuzz
REAL="$ROOT/../shared/corpus/real"

case "$SECONDS_EACH" in
  ''|*[!0-9]*) echo "fuzz.sh: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac
for t in $TARGETS; do
  case " $ALL_TARGETS " in
    *" $t "*) ;;
    *) echo "fuzz.sh: unknown target '$t' (targets: $ALL_TARGETS)" >&2; exit 2 ;;
  esac
done
if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz.sh: clang not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi

# Longest input each target may be given: a mail or an archive worth
# fuzzing fits in 64 KiB; a request target is refused past 8 KiB, so a bit
# more reaches that branch; a DNS answer over UDP fits in 1232 bytes.
max_len() {
  case "$1" in
    mail|unpack|xml) echo 65536 ;;
    http) echo 9000 ;;
    dns) echo 1500 ;;
    *) echo 4096 ;;
  esac
}

$MAKE --no-print-directory -j2 fuzz-build FUZZ_TARGETS="$TARGETS" || exit 2

SCRATCH=$(mktemp -d /tmp/dmarcstat-fuzz.XXXXXX) || exit 2
trap 'rm -rf "$SCRATCH"' EXIT INT TERM
real_arg=""
[ -d "$REAL" ] && real_arg="--real $REAL --real-out $SCRATCH/real"
# shellcheck disable=SC2086
python3 tests/fuzz/seeds.py --out "$OUT/corpus" $real_arg || exit 2

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# GSlice would hide use-after-free of GObjects (GMime) from ASan.
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly

failed=""
SUMMARY=${FUZZ_SUMMARY:-$OUT/summary.tsv}
printf 'target\texecs\tcov\tft\tcorpus\tcorpus_bytes\tseconds\texecs_per_s\tcpu_seconds\n' > "$SUMMARY"

for t in $TARGETS; do
  corpus="$OUT/corpus/$t"
  artifacts="$OUT/artifacts/$t"
  regress="tests/fuzz/regressions/$t"
  log="$OUT/logs/$t.log"
  mkdir -p "$corpus" "$artifacts" "$OUT/logs"
  rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*

  # Read-only seed directories after the corpus (libFuzzer writes new
  # inputs to the first one only).
  extra=""
  [ -d "$regress" ] && extra="$extra $regress"
  case "$t" in
    mail|unpack) [ -d "$REAL" ] && extra="$extra $REAL" ;;
    xml) [ -d "$SCRATCH/real/xml" ] && extra="$extra $SCRATCH/real/xml"
         [ -d "$REAL" ] && extra="$extra $REAL" ;;
  esac

  echo "fuzz: $t for ${SECONDS_EACH}s ($(ls "$corpus" | wc -l) inputs in $corpus)"
  start=$(date +%s)
  # CPU time is what the fuzzing budget counts; the wall clock overstates
  # it when the machine is busy.
  cpu_file="$SCRATCH/cpu.$t"
  timer=""
  [ -x /usr/bin/time ] && timer="/usr/bin/time -f %U+%S -o $cpu_file"
  # shellcheck disable=SC2086
  nice -n 10 $timer "./$OUT/fuzz_$t" "$corpus" $extra \
    -max_total_time="$SECONDS_EACH" -dict="tests/fuzz/dict/$t.dict" \
    -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" > "$log" 2>&1
  status=$?
  elapsed=$(( $(date +%s) - start ))
  cpu=$(awk -F+ 'NF == 2 { printf "%d", $1 + $2 }' "$cpu_file" 2>/dev/null)

  # "#123456 DONE cov: 812 ft: 3001 corp: 240/61Kb ..." (or the last
  # progress line when the run stopped early).
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|REDUCE|NEW|pulse|INITED)' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [ -n "$execs" ] || execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  n_corpus=$(ls "$corpus" | wc -l)
  corpus_bytes=$(du -sb "$corpus" | cut -f1)
  rate=$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
    "$n_corpus" "$corpus_bytes" "$elapsed" "$rate" "${cpu:-?}" >> "$SUMMARY"
  printf 'fuzz: %-8s %10s execs  cov %-5s ft %-6s corpus %5s files  %4ss  cpu %ss  (%s/s)\n' \
    "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$n_corpus" "$elapsed" "${cpu:-?}" "$rate"

  found=$(ls "$artifacts" 2>/dev/null | grep -E '^(crash|leak|timeout|oom)-' || true)
  if [ -n "$found" ]; then
    mkdir -p "$regress"
    for f in $found; do
      cp "$artifacts/$f" "$regress/$f"
      echo "fuzz: $t: FOUND $f, saved as $regress/$f" >&2
    done
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*fuzz check failed|.*runtime error)' "$log" | head -n 5 >&2
    echo "fuzz: $t: full report in $log; replay with ./$OUT/fuzz_$t $regress/FILE" >&2
    failed="$failed $t"
  elif [ "$status" -ne 0 ]; then
    echo "fuzz: $t: the fuzzer exited with status $status without an artifact; see $log" >&2
    failed="$failed $t"
  fi
done

echo "fuzz: figures in $SUMMARY"
if [ -n "$failed" ]; then
  echo "fuzz: FAILED:$failed -- new inputs are in tests/fuzz/regressions/; fix the bug, then make test" >&2
  exit 1
fi
echo "fuzz: no crash, leak or timeout in:$(printf ' %s' $TARGETS)"
