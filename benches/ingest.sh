#!/usr/bin/env bash
# Ingestion benchmark.
#
# 1. ANT v2.1 indexed by akhbar and by the Lucene ArabicAnalyzer harness in the
#    same run, at 2 threads: MB/s, articles/s, peak RSS, index size, and the
#    ratio. akhbar indexes both the original TREC files and the same JSON Lines
#    (title + text) the harness reads; the ratio is taken on the JSON Lines,
#    byte for byte the same input.
# 2. A second run on the same files (nothing new: must index 0 articles).
# 3. A scale curve: 1x, 4x and 16x the corpus as JSON Lines (copies with
#    changed ids and text), showing how time, peak RSS and index size grow.
#
# Usage: benches/ingest.sh            (SCALES="1 4" and MEMORY_MB=512 to change)
# Needs: ../shared/corpus/ant-v2.1, python3, /usr/bin/time; Java and
# liblucene8-java for the Lucene part. Whatever is missing is skipped with a
# message. Run it on an otherwise idle machine; it takes a few minutes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus/ant-v2.1}
LUCENE=${LUCENE:-$ROOT/../shared/peers/lucene}
SCALES=${SCALES:-"1 4 16"}
MEMORY_MB=${MEMORY_MB:-512}
THREADS=2
WORK=${WORK:-$(mktemp -d /tmp/akhbar-ingest-bench.XXXXXX)}

if [ ! -d "$CORPUS" ]; then
  echo "bench: skipped: no corpus at $CORPUS (the ANT corpus v2.1 lives in ../shared/corpus)"
  exit 0
fi
for tool in python3 /usr/bin/time; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: skipped: $tool is needed (apt-get install python3 time)"
    exit 0
  fi
done

echo "bench: building akhbar (release)"
(cd "$ROOT" && cargo build --release --quiet)
BIN=$ROOT/target/release/akhbar
mkdir -p "$WORK"
echo "bench: work directory $WORK"

# wall seconds, peak RSS (KB) and CPU seconds (user + system) of a command,
# into $WALL, $RSS_KB and $CPU. On a shared machine CPU time is the steadier
# measure of work done; wall time is what a user waits.
timed() {
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@"
  read -r WALL RSS_KB USER_S SYS_S < "$WORK/time.txt"
  CPU=$(awk -v u="$USER_S" -v s="$SYS_S" 'BEGIN { printf "%.1f", u + s }')
}
dir_bytes() { du -sb --apparent-size "$1" | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", n / s }'; }

echo "bench: converting ANT to JSON Lines (title + text) for the harness"
python3 "$ROOT/benches/ant_to_jsonl.py" "$CORPUS" "$WORK/jsonl-1" 1 8
ANT_BYTES=$(find "$CORPUS" -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')
JSONL_BYTES=$(dir_bytes "$WORK/jsonl-1")
ARTICLES=31525

row() { printf '| %-34s | %8s | %8s | %8s | %10s | %7s | %10s |\n' "$@"; }
echo
echo "## ANT v2.1, $THREADS threads"
echo
row "run" "input MB" "wall s" "MB/s" "articles/s" "RSS MB" "CPU s"
row "---" "---" "---" "---" "---" "---" "---"

LUCENE_MBS=""
if command -v java >/dev/null 2>&1 && [ -f /usr/share/java/lucene-core-8.7.0.jar ] && [ -d "$LUCENE" ]; then
  # The harness compiles into its own directory: run a copy.
  mkdir -p "$WORK/lucene"
  cp "$LUCENE"/*.java "$LUCENE"/run.sh "$WORK/lucene/"
  timed "$WORK/lucene/run.sh" index "$WORK/jsonl-1" "$WORK/lucene-index" --threads $THREADS > "$WORK/lucene.out"
  LUCENE_MBS=$(awk '$1 == "MB_per_second" { print $2 }' "$WORK/lucene.out")
  LUCENE_DPS=$(awk '$1 == "docs_per_second" { print $2 }' "$WORK/lucene.out")
  LUCENE_SECS=$(awk '$1 == "wall_seconds" { print $2 }' "$WORK/lucene.out")
  LUCENE_SIZE=$(awk '$1 == "index_size_bytes" { print $2 }' "$WORK/lucene.out")
  LUCENE_CPU=$CPU
  row "Lucene harness, JSON Lines" "$(mb "$JSONL_BYTES")" "$LUCENE_SECS" "$LUCENE_MBS" "$LUCENE_DPS" "$((RSS_KB / 1024))" "$CPU"
else
  echo "bench: Lucene part skipped: java or liblucene8-java missing (apt-get install openjdk-17-jdk-headless liblucene8-java)" >&2
fi

timed "$BIN" index "$WORK/jsonl-1" --index "$WORK/akhbar-jsonl" --rebuild --threads $THREADS --memory-mb "$MEMORY_MB" --progress none 2> "$WORK/akhbar-jsonl.err"
AK_JSONL_SECS=$WALL
AK_JSONL_MBS=$(per_s "$(mb "$JSONL_BYTES")" "$WALL")
AK_JSONL_CPU=$CPU
row "akhbar, JSON Lines" "$(mb "$JSONL_BYTES")" "$WALL" "$AK_JSONL_MBS" "$(per_s $ARTICLES "$WALL")" "$((RSS_KB / 1024))" "$CPU"
AK_JSONL_SIZE=$(dir_bytes "$WORK/akhbar-jsonl")

timed "$BIN" index "$CORPUS" --index "$WORK/akhbar-trec" --rebuild --threads $THREADS --memory-mb "$MEMORY_MB" --progress none 2> "$WORK/akhbar-trec.err"
row "akhbar, TREC files" "$(mb "$ANT_BYTES")" "$WALL" "$(per_s "$(mb "$ANT_BYTES")" "$WALL")" "$(per_s $ARTICLES "$WALL")" "$((RSS_KB / 1024))" "$CPU"
AK_TREC_SIZE=$(dir_bytes "$WORK/akhbar-trec")

timed "$BIN" index "$CORPUS" --index "$WORK/akhbar-trec" --threads $THREADS --progress none 2> "$WORK/akhbar-rerun.err"
row "akhbar, TREC files, second run" "$(mb "$ANT_BYTES")" "$WALL" "-" "-" "$((RSS_KB / 1024))" "$CPU"
echo
echo "second run: $(grep -o 'indexed [0-9]* articles' "$WORK/akhbar-rerun.err"); $(grep -o '[0-9]* file(s) unchanged' "$WORK/akhbar-rerun.err")"
echo "TREC run: $(grep -o '[0-9]* duplicate article(s)' "$WORK/akhbar-trec.err" || echo 'no duplicates'); $(grep -o 'skipped [0-9]* ([^)]*)' "$WORK/akhbar-trec.err" || echo 'nothing skipped')"
echo "index size: akhbar $(mb "$AK_TREC_SIZE") MB (TREC), $(mb "$AK_JSONL_SIZE") MB (JSON Lines: title and text only)${LUCENE_SIZE:+, Lucene $(mb "$LUCENE_SIZE") MB (body not stored)}"
if [ -n "$LUCENE_MBS" ]; then
  echo "ratio akhbar / Lucene, same JSON Lines input: $(awk -v a="$AK_JSONL_MBS" -v l="$LUCENE_MBS" 'BEGIN { printf "%.2f", a / l }')x MB/s (wall), $(awk -v a="$AK_JSONL_CPU" -v l="$LUCENE_CPU" 'BEGIN { printf "%.2f", l / a }')x MB per CPU-second"
fi

echo
echo "## Scale curve (JSON Lines copies, $THREADS threads, --memory-mb $MEMORY_MB)"
echo
printf '| %5s | %9s | %9s | %7s | %6s | %7s | %8s | %10s |\n' "scale" "articles" "input MB" "wall s" "MB/s" "CPU s" "RSS MB" "index MB"
printf '| %5s | %9s | %9s | %7s | %6s | %7s | %8s | %10s |\n' "---" "---" "---" "---" "---" "---" "---" "---"
for n in $SCALES; do
  rm -rf "$WORK/jsonl-scale" "$WORK/akhbar-scale"
  python3 "$ROOT/benches/ant_to_jsonl.py" "$CORPUS" "$WORK/jsonl-scale" "$n" 4
  BYTES=$(dir_bytes "$WORK/jsonl-scale")
  timed "$BIN" index "$WORK/jsonl-scale" --index "$WORK/akhbar-scale" --rebuild --threads $THREADS --memory-mb "$MEMORY_MB" --progress none 2> "$WORK/akhbar-scale.err"
  DOCS=$(grep -o 'holds [0-9]* articles' "$WORK/akhbar-scale.err" | grep -o '[0-9]*')
  printf '| %4sx | %9s | %9s | %7s | %6s | %7s | %8s | %10s |\n' "$n" "$DOCS" "$(mb "$BYTES")" "$WALL" "$(per_s "$(mb "$BYTES")" "$WALL")" "$CPU" "$((RSS_KB / 1024))" "$(mb "$(dir_bytes "$WORK/akhbar-scale")")"
done
rm -rf "$WORK/jsonl-scale"
echo
echo "bench: done (indexes left in $WORK; remove it when finished)"
