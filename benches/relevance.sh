#!/bin/sh
# Relevance of the default ranking beside Lucene's ArabicAnalyzer, same run:
# indexes each evaluation set the way its README says (knownitem-ant: the
# bodies; arcd: the paragraphs with their titles), runs the topics, scores.
# Usage: benches/relevance.sh   (from the crate root; needs ../shared, and
# Java + liblucene8-java for the Lucene column)
set -e
SHARED=${SHARED:-../shared}
E=$SHARED/eval
if [ ! -d "$E/knownitem-ant" ] || [ ! -d "$E/arcd" ]; then
  echo "relevance bench skipped: no $E/knownitem-ant or $E/arcd"
  exit 0
fi
cargo build --release --quiet
B=./target/release/akhbar
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir "$W/ki" "$W/arcd"
cp "$E/knownitem-ant/bodies.jsonl" "$W/ki/"
cp "$E/arcd/docs.jsonl" "$W/arcd/"
for set in ki arcd; do
  if [ $set = ki ]; then T=$E/knownitem-ant/topics.tsv; Q=$E/knownitem-ant/topics.qrels;
  else T=$E/arcd/train.tsv; Q=$E/arcd/train.qrels; fi
  $B index "$W/$set" --index "$W/akhbar-$set" 2>/dev/null
  $B eval --topics "$T" --qrels "$Q" --index "$W/akhbar-$set" --run "$W/akhbar-$set.run" >/dev/null
  python3 "$E/score.py" "$T" "$Q" "$W/akhbar-$set.run" --label "akhbar-$set"
  L=$SHARED/peers/lucene/run.sh
  if [ -f "$L" ] && command -v java >/dev/null 2>&1; then
    sh "$L" index "$W/$set" "$W/lucene-$set" >/dev/null 2>&1
    cut -f2 "$T" > "$W/$set.q"
    sh "$L" search "$W/lucene-$set" "$W/$set.q" 100 > "$W/lucene-$set.run" 2>/dev/null
    python3 "$E/score.py" "$T" "$Q" "$W/lucene-$set.run" --label "lucene-$set"
  else
    echo "lucene-$set: skipped (no Java or no $L)"
  fi
done
