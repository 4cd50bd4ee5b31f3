#!/usr/bin/env bash
# akhbar beside the Lucene ArabicAnalyzer baseline, in one run: indexing,
# search, relevance and the scale curve, printed as Markdown tables with the
# machine and date (benches/compare.py says what each section measures).
#
#   benches/compare.sh                          # ANT, all sections (~20-30 min)
#   benches/compare.sh --corpus DIR             # another TREC-like corpus
#   benches/compare.sh --only search --queries 2000
#   benches/compare.sh --scales 1,4 --only indexing,scale
#
# Needs ../shared (corpus, eval sets, Lucene harness). Installs what a fresh
# Debian lacks (Java, liblucene8-java, /usr/bin/time) when run as root; else
# says what to install. Exits 1 when either engine fails to run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

missing=()
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
[ -f /usr/share/java/lucene-core-8.7.0.jar ] || missing+=(liblucene8-java)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "compare: installing ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "compare: needs ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

echo "compare: building akhbar (release)" >&2
(cd "$ROOT" && cargo build --release --quiet)
exec python3 "$ROOT/benches/compare.py" "$@"
