#!/usr/bin/env bash
# Relevance beside Lucene's ArabicAnalyzer: the relevance section of
# benches/compare.sh (MRR@10 on knownitem-ant and ARCD train, analysis cases).
exec "$(dirname "$0")/compare.sh" --only relevance "$@"
