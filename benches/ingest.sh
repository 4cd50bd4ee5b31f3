#!/usr/bin/env bash
# Ingestion benchmark: the indexing and scale-curve sections of
# benches/compare.sh (akhbar and the Lucene harness on the same JSON Lines at
# 1 and 2 threads, akhbar on the original files, a second incremental run,
# then 1x/4x/16x the corpus). Arguments go to compare.sh, e.g.
#   benches/ingest.sh --scales 1,4
exec "$(dirname "$0")/compare.sh" --only indexing,scale "$@"
