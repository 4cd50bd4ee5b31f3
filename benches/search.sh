#!/usr/bin/env bash
# Search benchmark: akhbar and the Lucene ArabicAnalyzer baseline, same run,
# same machine, same queries.
#
#   benches/search.sh [--corpus DIR] [--work DIR] [--queries N]
#
# Builds (once) an akhbar index and a Lucene index (body stored, for snippets)
# of the corpus, makes three sets of distinct queries (single words, 2-3 word
# phrases, headlines; benches/querysets.py), and runs each set single-threaded
# after one warm-up pass, top 10 hits:
#   ids      akhbar --fields id,score          vs  Lucene (ids)
#   ids+f    akhbar --fields id,score --facet country   vs  Lucene --facet source
#   snip     akhbar full hits with snippets    vs  Lucene --highlight
#   snip+f   akhbar snippets --facet country   vs  Lucene --highlight --facet source
# and prints QPS, median and p99 latency for both, and the QPS ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus="$here/../shared/corpus/ant-v2.1"
work="${TMPDIR:-/tmp}/akhbar-bench"
count=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --queries) count=$2; shift 2 ;;
    *) echo "usage: $0 [--corpus DIR] [--work DIR] [--queries N]" >&2; exit 2 ;;
  esac
done
lucene="$here/../shared/peers/lucene/run.sh"
if [ ! -d "$corpus" ]; then echo "skip: corpus $corpus not found (pass --corpus DIR)"; exit 0; fi
if [ ! -x "$lucene" ] && [ ! -f "$lucene" ]; then echo "skip: Lucene harness $lucene not found"; exit 0; fi
if ! command -v java >/dev/null || [ ! -f /usr/share/java/lucene-core-8.7.0.jar ]; then
  echo "installing the Lucene baseline's dependencies (Debian liblucene8-java, openjdk-17-jdk-headless)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liblucene8-java openjdk-17-jdk-headless >/dev/null
fi
mkdir -p "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ)"
(cd "$here" && cargo build --release --quiet)
akhbar="$here/target/release/akhbar"

if [ ! -f "$work/akhbar-index/akhbar.json" ] || ! "$akhbar" search x --index "$work/akhbar-index" --limit 0 >/dev/null 2>&1; then
  "$akhbar" index "$corpus" --index "$work/akhbar-index" --rebuild 2> "$work/akhbar-index.log"
fi
if [ ! -d "$work/lucene-index" ]; then
  mkdir -p "$work/jsonl"
  python3 "$here/benches/ant2jsonl.py" "$corpus" "$work/jsonl/corpus.jsonl"
  sh "$lucene" index "$work/jsonl" "$work/lucene-index" --threads 2 --store-body > "$work/lucene-index.log" 2>&1
fi
python3 "$here/benches/querysets.py" "$corpus" "$work/queries" "$count" 2>/dev/null

# akhbar's batch summary: "… N queries in S s: Q queries/s, median M ms, p99 P ms, max X ms"
akhbar_run() { # set, extra args...
  local set=$1; shift
  "$akhbar" search --index "$work/akhbar-index" --queries "$work/queries/$set.txt" --warmup 1 "$@" 2>&1 >/dev/null \
    | sed -n 's/.*: \([0-9.]*\) queries\/s, median \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 \2 \3/p'
}
lucene_run() { # set, extra args...
  local set=$1; shift
  sh "$lucene" search "$work/lucene-index" "$work/queries/$set.txt" 10 --warmup 1 "$@" 2>&1 >/dev/null \
    | awk -F'\t' '/^qps_single_thread/{q=$2} /^median_ms/{m=$2} /^p99_ms/{p=$2} END{print q, m, p}'
}

printf '\n%-10s %-7s | %9s %8s %8s | %9s %8s %8s | %6s\n' set mode "akhbar q/s" p50_ms p99_ms "Lucene q/s" p50_ms p99_ms ratio
status=0
for set in words phrases headlines; do
  for mode in ids ids+f snip snip+f; do
    case $mode in
      ids) a=(--fields id,score); l=() ;;
      ids+f) a=(--fields id,score --facet country); l=(--facet source) ;;
      snip) a=(); l=(--highlight) ;;
      snip+f) a=(--facet country); l=(--highlight --facet source) ;;
    esac
    read -r aq ap50 ap99 <<< "$(akhbar_run "$set" "${a[@]}")"
    read -r lq lp50 lp99 <<< "$(lucene_run "$set" "${l[@]}")"
    if [ -z "$aq" ] || [ -z "$lq" ]; then echo "$set $mode: a side failed" >&2; status=1; continue; fi
    ratio=$(awk -v a="$aq" -v l="$lq" 'BEGIN{printf "%.2f", a/l}')
    printf '%-10s %-7s | %9s %8s %8s | %9s %8s %8s | %6s\n' "$set" "$mode" "$aq" "$ap50" "$ap99" "$lq" "$lp50" "$lp99" "$ratio"
  done
done
exit $status
