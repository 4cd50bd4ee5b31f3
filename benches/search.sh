#!/usr/bin/env bash
# Search benchmark: the search section of benches/compare.sh (three sets of
# distinct queries, ids only / snippets, with and without a facet, single
# thread, akhbar and Lucene in the same run). Arguments go to compare.sh, e.g.
#   benches/search.sh --queries 2000
exec "$(dirname "$0")/compare.sh" --only search "$@"
