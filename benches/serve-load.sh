#!/usr/bin/env bash
# Load benchmark of `akhbar serve`: wrk on loopback against an index of the
# ANT corpus, with 1–2 word searches drawn from the corpus's titles, each
# asking for the country facet (and, as the API does by default, 10 hits
# with snippets). Reports requests/s, latency percentiles, errors, and the
# server's RSS before, during and after the run.
#
#   benches/serve-load.sh                       # 30 s, 32 connections
#   DURATION=10s CONNECTIONS=16 benches/serve-load.sh
#   INDEX=/tmp/ant-index benches/serve-load.sh  # reuse an index of the corpus
#
# Targets (2 cores, wrk on the same machine): >= 5,000 requests/s, p99 <= 20 ms,
# 0 errors, RSS steady.
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=${CORPUS:-../shared/corpus/ant-v2.1}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
QUERIES=${QUERIES:-2000}

if [ ! -d "$CORPUS" ]; then
  echo "serve-load: SKIPPED: no corpus at $CORPUS (set CORPUS=DIR)"
  exit 0
fi
for tool in wrk python3 curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "serve-load: SKIPPED: $tool is not installed (apt-get install $tool)"
    exit 0
  fi
done

cargo build --release --quiet
BIN=$PWD/target/release/akhbar
WORK=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${INDEX:-}" ]; then
  INDEX=$WORK/index
  echo "serve-load: indexing $CORPUS"
  "$BIN" index "$CORPUS" --index "$INDEX" 2>&1 | tail -1
fi

# Queries: Arabic words of 4+ letters from the titles of every 10th article,
# alone or with the next word; the same list for the same corpus.
find "$CORPUS" -type f -name '*.txt' | sort | awk 'NR % 10 == 0' > "$WORK/files"
python3 - "$WORK/files" "$QUERIES" > "$WORK/paths" <<'PY'
import random, re, sys, urllib.parse
word = re.compile(r"^[\u0621-\u064A]{4,}$")
singles, pairs = [], []
for path in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if not path:
        continue
    text = open(path, encoding="utf-8", errors="replace").read()
    m = re.search(r"<TITLE>(.*?)</TITLE>", text, re.S)
    if not m:
        continue
    words = m.group(1).split()
    for i, w in enumerate(words):
        if word.match(w):
            singles.append(w)
            if i + 1 < len(words) and word.match(words[i + 1]):
                pairs.append(w + " " + words[i + 1])
rng = random.Random(7)
n = int(sys.argv[2])
queries = rng.sample(sorted(set(singles)), n // 2) + rng.sample(sorted(set(pairs)), n - n // 2)
rng.shuffle(queries)
for q in queries:
    print("/search?facet=country&q=" + urllib.parse.quote(q))
PY
echo "serve-load: $(wc -l < "$WORK/paths") distinct queries, e.g. $(head -1 "$WORK/paths")"

"$BIN" serve --index "$INDEX" --addr 127.0.0.1:0 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 100); do
  grep -q 'on http://' "$WORK/server.log" && break
  sleep 0.1
done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/server.log" | head -1)
[ -n "$URL" ] || { echo "serve-load: the server did not start:"; cat "$WORK/server.log"; exit 1; }
first=$(head -1 "$WORK/paths")
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL$first")
[ "$code" = 200 ] || { echo "serve-load: $first answered $code"; exit 1; }

# Resident memory in MB: all of it, and the heap alone (RssAnon; the rest is
# the index's memory-mapped files, which grow resident as they are read).
rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status"; }
heap() { awk '/^RssAnon/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status"; }

echo "serve-load: warming up (5 s)"
wrk -t "$THREADS" -c "$CONNECTIONS" -d 5s -s benches/serve-load.lua "$URL" -- "$WORK/paths" > /dev/null
rss_before=$(rss)
heap_before=$(heap)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
cpu_before=$(cpu_ticks)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
(
  while kill -0 "$SERVER" 2>/dev/null; do
    sleep 5
    { rss && printf '/' && heap && echo; } >> "$WORK/rss" 2>/dev/null
  done
) &
SAMPLER=$!
echo "serve-load: $DURATION, $CONNECTIONS connections, $THREADS wrk threads, against $URL"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" -s benches/serve-load.lua "$URL" -- "$WORK/paths" > "$WORK/wrk.out"
kill "$SAMPLER" 2>/dev/null || true
rss_after=$(rss)
heap_after=$(heap)
cpu_after=$(cpu_ticks)
grep -v '^result' "$WORK/wrk.out" | sed 's/^/  wrk: /'

get() { awk -v k="$1" '$1 == "result" && $2 == k {print $3}' "$WORK/wrk.out"; }
printf '\n%-28s %s\n' "measure" "value"
printf '%-28s %s\n' "requests/s" "$(get rps)"
printf '%-28s %s\n' "latency p50 (ms)" "$(get p50_ms)"
printf '%-28s %s\n' "latency p90 (ms)" "$(get p90_ms)"
printf '%-28s %s\n' "latency p99 (ms)" "$(get p99_ms)"
printf '%-28s %s\n' "latency max (ms)" "$(get max_ms)"
printf '%-28s %s\n' "requests" "$(get requests)"
printf '%-28s %s\n' "errors (of which non-2xx)" "$(get errors) ($(get non_2xx))"
# CPU time the server spent per request: less sensitive than requests/s to
# other work on the machine (wrk itself runs on the same cores).
cpu_ms=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$(get requests)" \
  'BEGIN {printf "%.3f", t * 1000 / hz / n}')
printf '%-28s %s\n' "server CPU per request (ms)" "$cpu_ms"
printf '%-28s %s\n' "load average before" "$load_before"
printf '%-28s %s\n' "server RSS/heap before (MB)" "$rss_before/$heap_before"
printf '%-28s %s\n' "server RSS/heap every 5 s" "$(tr '\n' ' ' < "$WORK/rss" 2>/dev/null)"
printf '%-28s %s\n' "server RSS/heap after (MB)" "$rss_after/$heap_after"
printf '%-28s %s\n' "server log lines" "$(grep -c ' /search ' "$WORK/server.log")"
if [ "$(get errors)" != 0 ]; then
  echo "serve-load: FAILED: $(get errors) errors"
  grep -v ' 200 ' "$WORK/server.log" | head -5
  exit 1
fi
