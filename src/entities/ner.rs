//! A statistical named-entity tagger: a greedy left-to-right averaged
//! perceptron over BIO labels, with word, affix, context and gazetteer
//! features. It finds the names the gazetteer does not know (most people in
//! the news) and decides where a name ends; the gazetteer then says who or
//! where it is.
//!
//! The shipped weights (`data/ner/anercorp.model`) are trained on the ANERcorp
//! train split by `akhbar ner train`; `akhbar ner cv` cross-validates the same
//! training. Features are hashed to 64 bits, so the model file is a flat list
//! of (hash, weights) rows and needs no vocabulary.

use std::hash::Hasher;

use anyhow::{bail, Result};
use rustc_hash::FxHasher;

use super::matcher::{FastMap, Token};

/// The labels, in model order. MISC is learned (so that it is not confused
/// with O) but reported as O.
pub const LABELS: [&str; 9] = [
    "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];
const N: usize = LABELS.len();

/// Training passes over the data; more stop helping on ANERcorp.
pub const DEFAULT_EPOCHS: usize = 10;

/// Index of a label name; unknown labels are O.
pub fn label_index(label: &str) -> usize {
    LABELS.iter().position(|l| *l == label).unwrap_or(0)
}

/// What the gazetteer and the cue lists say about a token, as a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GazTag {
    /// 0 = nothing; otherwise a small code for the kind of name.
    pub kind: u8,
    /// First token of the name.
    pub begin: bool,
}

pub mod gaz {
    pub const NONE: u8 = 0;
    pub const COUNTRY: u8 = 1;
    pub const NATIONALITY: u8 = 2;
    pub const PLACE: u8 = 3;
    pub const PLACE_COMMON: u8 = 4;
    pub const PERSON: u8 = 5;
    pub const PERSON_SHORT: u8 = 6;
    pub const ORG: u8 = 7;
    pub const MEDIA: u8 = 8;
    pub const TITLE: u8 = 9;
    pub const AMBIGUOUS: u8 = 10;
}

/// The weights.
#[derive(Default, Clone)]
pub struct Model {
    weights: FastMap<u64, [f32; N]>,
}

const MAGIC: &[u8; 8] = b"AKNER01\n";

impl Model {
    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            bail!("not an akhbar NER model (bad header)");
        }
        let count = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
        let row = 8 + 4 + N * 2;
        if bytes.len() != 12 + count * row {
            bail!(
                "truncated NER model: {} bytes for {count} rows",
                bytes.len()
            );
        }
        let mut weights = FastMap::default();
        weights.reserve(count);
        for r in bytes[12..].chunks_exact(row) {
            let key = u64::from_le_bytes(r[..8].try_into().unwrap());
            let scale = f32::from_le_bytes(r[8..12].try_into().unwrap());
            let mut w = [0f32; N];
            for (k, q) in r[12..].chunks_exact(2).enumerate() {
                w[k] = i16::from_le_bytes([q[0], q[1]]) as f32 * scale;
            }
            weights.insert(key, w);
        }
        Ok(Model { weights })
    }

    /// Serializes the model: rows sorted by key, each row's weights quantized
    /// to 16 bits against its own scale. Rows whose weights are all tiny are
    /// dropped.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut rows: Vec<(&u64, &[f32; N])> = self
            .weights
            .iter()
            .filter(|(_, w)| w.iter().any(|x| x.abs() >= 1e-3))
            .collect();
        rows.sort_by_key(|(k, _)| **k);
        let mut out = Vec::with_capacity(12 + rows.len() * (12 + N * 2));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (key, w) in rows {
            let max = w.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = max / i16::MAX as f32;
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&scale.to_le_bytes());
            for x in w {
                let q = (x / scale).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16;
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        out
    }

    /// Number of feature rows.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The label of every token in `range` (greedy, left to right), with
    /// the gazetteer tags `gaz` (one per token).
    pub fn predict(&self, tokens: &[Token], gaz: &[GazTag], out: &mut Vec<usize>) {
        out.clear();
        let mut feats = Vec::with_capacity(48);
        for i in 0..tokens.len() {
            features(tokens, gaz, i, out, &mut feats);
            let mut scores = [0f32; N];
            for f in &feats {
                if let Some(w) = self.weights.get(f) {
                    add_into(&mut scores, w);
                }
            }
            out.push(best_allowed(&scores, out.last().copied()));
        }
    }
}

fn add_into(scores: &mut [f32; N], w: &[f32; N]) {
    for (s, x) in scores.iter_mut().zip(w) {
        *s += x;
    }
}

/// The best label that may follow `prev`: I-X only after B-X or I-X.
fn best_allowed(scores: &[f32; N], prev: Option<usize>) -> usize {
    let mut best = 0;
    for k in 1..N {
        if is_inside(k) {
            let ok = prev.is_some_and(|p| p != 0 && type_of(p) == type_of(k));
            if !ok {
                continue;
            }
        }
        if scores[k] > scores[best] {
            best = k;
        }
    }
    best
}

fn is_inside(label: usize) -> bool {
    label != 0 && label.is_multiple_of(2)
}

fn type_of(label: usize) -> usize {
    label.div_ceil(2)
}

/// Hashes a feature template id and its parts.
struct Feature(FxHasher);

impl Feature {
    fn new(template: u8) -> Feature {
        let mut h = FxHasher::default();
        h.write_u8(template);
        Feature(h)
    }
    fn s(mut self, s: &str) -> Feature {
        self.0.write(s.as_bytes());
        self.0.write_u8(0xff);
        self
    }
    fn n(mut self, n: u64) -> Feature {
        self.0.write_u64(n);
        self
    }
    fn done(self) -> u64 {
        // FxHasher's low bits are weak for short inputs: mix once more.
        let mut x = self.0.finish();
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51afd7ed558ccd);
        x ^= x >> 33;
        x
    }
}

const BOS: &str = "<s>";
const EOS: &str = "</s>";

fn word(tokens: &[Token], i: isize) -> &str {
    if i < 0 {
        BOS
    } else if i as usize >= tokens.len() {
        EOS
    } else {
        &tokens[i as usize].norm
    }
}

fn gaz_at(gaz: &[GazTag], i: isize) -> u64 {
    if i < 0 || i as usize >= gaz.len() {
        255
    } else {
        let g = gaz[i as usize];
        g.kind as u64 * 2 + g.begin as u64
    }
}

/// The word without proclitics and the article: `والكرملين` → `كرملين`.
fn bare(w: &str) -> &str {
    let mut w = w;
    for p in ["و", "ف"] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.chars().count() >= 3 {
                w = rest;
            }
        }
    }
    for p in ["بال", "كال", "لل", "ال", "ب", "ل", "ك"] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.chars().count() >= 3 {
                return rest;
            }
        }
    }
    w
}

fn prefix(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

fn suffix(w: &str, n: usize) -> &str {
    let count = w.chars().count();
    if count <= n {
        return w;
    }
    match w.char_indices().nth(count - n) {
        Some((i, _)) => &w[i..],
        None => w,
    }
}

fn shape(t: &Token) -> u64 {
    if !t.word {
        return 1;
    }
    let w = &t.norm;
    if w.bytes().all(|b| b.is_ascii_digit()) {
        return 2;
    }
    if w.bytes().any(|b| b.is_ascii_alphabetic()) {
        return 3;
    }
    let len = w.chars().count();
    10 + len.min(12) as u64
}

/// The features of token `i`, given the labels already chosen before it.
fn features(tokens: &[Token], gaz: &[GazTag], i: usize, prev: &[usize], out: &mut Vec<u64>) {
    out.clear();
    let ii = i as isize;
    let w0 = word(tokens, ii);
    let p1 = prev
        .get(i.wrapping_sub(1))
        .copied()
        .map_or(99, |l| l as u64);
    let p2 = if i >= 2 { prev[i - 2] as u64 } else { 99 };
    out.push(Feature::new(0).done());
    out.push(Feature::new(1).s(w0).done());
    out.push(Feature::new(2).s(word(tokens, ii - 1)).done());
    out.push(Feature::new(3).s(word(tokens, ii + 1)).done());
    out.push(Feature::new(4).s(word(tokens, ii - 2)).done());
    out.push(Feature::new(5).s(word(tokens, ii + 2)).done());
    out.push(Feature::new(6).s(word(tokens, ii - 1)).s(w0).done());
    out.push(Feature::new(7).s(w0).s(word(tokens, ii + 1)).done());
    let b0 = bare(w0);
    out.push(Feature::new(8).s(b0).done());
    out.push(Feature::new(9).s(bare(word(tokens, ii - 1))).done());
    out.push(Feature::new(10).s(bare(word(tokens, ii + 1))).done());
    for n in 1..=3 {
        out.push(Feature::new(11).n(n as u64).s(prefix(w0, n)).done());
        out.push(Feature::new(12).n(n as u64).s(suffix(w0, n)).done());
        out.push(Feature::new(13).n(n as u64).s(suffix(b0, n)).done());
    }
    out.push(Feature::new(14).s(prefix(b0, 2)).done());
    if i < tokens.len() {
        out.push(Feature::new(15).n(shape(&tokens[i])).done());
    }
    let g0 = gaz_at(gaz, ii);
    out.push(Feature::new(16).n(g0).done());
    out.push(Feature::new(17).n(gaz_at(gaz, ii - 1)).done());
    out.push(Feature::new(18).n(gaz_at(gaz, ii + 1)).done());
    out.push(Feature::new(19).n(g0).n(gaz_at(gaz, ii - 1)).done());
    out.push(Feature::new(20).n(g0).n(p1).done());
    out.push(Feature::new(21).n(p1).done());
    out.push(Feature::new(22).n(p1).n(p2).done());
    out.push(Feature::new(23).n(p1).s(w0).done());
    out.push(Feature::new(24).n(p1).s(b0).done());
    out.push(Feature::new(25).n(gaz_at(gaz, ii + 1)).s(w0).done());
    out.push(Feature::new(26).n(gaz_at(gaz, ii - 2)).done());
    out.push(Feature::new(27).n(gaz_at(gaz, ii + 2)).done());
}

/// One training sentence: tokens, gazetteer tags, gold labels.
pub struct Example {
    pub tokens: Vec<Token>,
    pub gaz: Vec<GazTag>,
    pub labels: Vec<usize>,
}

/// Trains a model with the averaged perceptron, shuffling the examples
/// deterministically before each epoch.
pub fn train(examples: &[Example], epochs: usize) -> Model {
    let refs: Vec<&Example> = examples.iter().collect();
    train_refs(&refs, epochs)
}

/// [`train`] over borrowed examples (the folds of a cross-validation).
pub fn train_refs(examples: &[&Example], epochs: usize) -> Model {
    struct Acc {
        w: [f32; N],
        total: [f32; N],
        stamp: [u32; N],
    }
    let mut acc: FastMap<u64, Acc> = FastMap::default();
    let mut step: u32 = 1;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng: u64 = 0x9e3779b97f4a7c15;
    let mut feats = Vec::with_capacity(48);
    let mut prev = Vec::new();
    for _ in 0..epochs {
        for k in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(k, (rng % (k as u64 + 1)) as usize);
        }
        for &e in &order {
            let ex = examples[e];
            prev.clear();
            for i in 0..ex.tokens.len() {
                features(&ex.tokens, &ex.gaz, i, &prev, &mut feats);
                let mut scores = [0f32; N];
                for f in &feats {
                    if let Some(a) = acc.get(f) {
                        add_into(&mut scores, &a.w);
                    }
                }
                let guess = best_allowed(&scores, prev.last().copied());
                let gold = ex.labels[i];
                if guess != gold {
                    for f in &feats {
                        let a = acc.entry(*f).or_insert(Acc {
                            w: [0.0; N],
                            total: [0.0; N],
                            stamp: [0; N],
                        });
                        for (label, delta) in [(gold, 1.0f32), (guess, -1.0)] {
                            a.total[label] += (step - a.stamp[label]) as f32 * a.w[label];
                            a.stamp[label] = step;
                            a.w[label] += delta;
                        }
                    }
                }
                prev.push(guess);
                step += 1;
            }
        }
    }
    let mut weights = FastMap::default();
    for (f, mut a) in acc {
        let mut avg = [0f32; N];
        for (k, avg) in avg.iter_mut().enumerate() {
            a.total[k] += (step - a.stamp[k]) as f32 * a.w[k];
            *avg = a.total[k] / step as f32;
        }
        weights.insert(f, avg);
    }
    Model { weights }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::matcher::conll_token;

    fn example(words: &[(&str, &str)]) -> Example {
        Example {
            tokens: words.iter().map(|(w, _)| conll_token(w)).collect(),
            gaz: vec![GazTag::default(); words.len()],
            labels: words.iter().map(|(_, l)| label_index(l)).collect(),
        }
    }

    #[test]
    fn learns_a_tiny_pattern_and_round_trips() {
        let data: Vec<Example> = (0..20)
            .map(|k| {
                let name = ["سمير", "كريم", "نادر", "فادي"][k % 4];
                example(&[
                    ("قال", "O"),
                    (name, "B-PERS"),
                    ("حداد", "I-PERS"),
                    ("في", "O"),
                    ("بيروت", "B-LOC"),
                ])
            })
            .collect();
        let model = train(&data, 5);
        let mut out = Vec::new();
        model.predict(&data[0].tokens, &data[0].gaz, &mut out);
        assert_eq!(out, data[0].labels);
        let back = Model::from_bytes(&model.to_bytes()).unwrap();
        let mut again = Vec::new();
        back.predict(&data[0].tokens, &data[0].gaz, &mut again);
        assert_eq!(again, out);
    }

    #[test]
    fn inside_labels_only_continue_their_type() {
        let mut scores = [0f32; N];
        scores[label_index("I-LOC")] = 5.0;
        assert_eq!(best_allowed(&scores, Some(0)), 0);
        assert_eq!(
            best_allowed(&scores, Some(label_index("B-LOC"))),
            label_index("I-LOC")
        );
    }

    #[test]
    fn bad_model_bytes_are_an_error() {
        assert!(Model::from_bytes(b"nonsense").is_err());
        let mut bytes = Model::default().to_bytes();
        bytes.extend_from_slice(&[1, 2, 3]);
        assert!(Model::from_bytes(&bytes).is_err());
    }
}
