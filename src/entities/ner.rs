//! A statistical named-entity tagger: an averaged structured perceptron
//! over BILOU states, decoded with Viterbi, with word, affix, context,
//! gazetteer and lexicon features ([`super::lexicon`]: personal-name words
//! and word clusters from an unannotated news archive). It finds the names
//! the gazetteer does not know (most people in the news) and decides where a
//! name ends; the gazetteer then says who or where it is.
//!
//! The shipped weights (`data/ner/anercorp.model`) are trained on the ANERcorp
//! train split by `akhbar ner train`; `akhbar ner cv` cross-validates the same
//! training. Features are hashed to 64 bits, so the model file is a flat list
//! of (hash, weights) rows and needs no vocabulary.

use std::hash::Hasher;

use anyhow::{bail, Result};
use rustc_hash::FxHasher;

use super::lexicon::{Entry, Lexicon};
use super::matcher::{FastMap, Token};
use super::rows::Rows;

/// The labels, in model order. MISC is learned (so that it is not confused
/// with O) but reported as O.
pub const LABELS: [&str; 9] = [
    "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];

/// The model's internal states: O, then for each of PERS, LOC, ORG, MISC
/// the first (B), inner (I) and last (L) word of a longer name and a
/// one-word name (U). Telling a name's last word and one-word names apart
/// helps find where names end; outputs are BIO.
const S: usize = 1 + 4 * 4;

/// The first of the four states of a name type (as in [`type_of`]).
fn first_state(ty: usize) -> usize {
    1 + 4 * (ty - 1)
}

fn state_bio(state: usize) -> usize {
    if state == 0 {
        return 0;
    }
    let ty = (state - 1) / 4;
    match (state - 1) % 4 {
        0 | 3 => 1 + 2 * ty,
        _ => 2 + 2 * ty,
    }
}

/// The states of a BIO label sequence (an I- that continues nothing starts
/// a name, as conlleval reads it).
fn bio_states(labels: &[usize]) -> Vec<usize> {
    let mut out = vec![0; labels.len()];
    let mut i = 0;
    while i < labels.len() {
        if labels[i] == 0 {
            i += 1;
            continue;
        }
        let ty = type_of(labels[i]) - 1;
        let mut j = i + 1;
        while j < labels.len() && is_inside(labels[j]) && type_of(labels[j]) == ty + 1 {
            j += 1;
        }
        if j == i + 1 {
            out[i] = 1 + 4 * ty + 3;
        } else {
            out[i] = 1 + 4 * ty;
            for x in &mut out[i + 1..j - 1] {
                *x = 1 + 4 * ty + 1;
            }
            out[j - 1] = 1 + 4 * ty + 2;
        }
        i = j;
    }
    out
}

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
    /// The word is a title (`الرئيس`, `ووزير`), whatever name covers it;
    /// not a model feature (`kind` says TITLE when no name does).
    pub title: bool,
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

/// The weights: one row of state scores per hashed observation feature, and
/// a state-to-state transition matrix (row S is the sentence start). Rows
/// are kept as written (16 bits a weight, one scale a row) in the hash
/// table itself: a feature the model knows costs one memory access, and one
/// it does not know is turned away by the table's control bytes without
/// touching a row.
/// A state-to-state score matrix (row S is the sentence start).
type Trans = [[f32; S]; S + 1];

#[derive(Clone)]
pub struct Model {
    rows: Rows<Row>,
    transitions: Trans,
    /// Transition scores added where a token's edge feature holds
    /// ([`Features::edges_of`]): how likely a name goes on or ends there
    /// depends on the word.
    edges: FastMap<u64, Edge>,
}

/// The transition scores of one edge feature, quantized as rows are: the
/// cells it changes (`from * S + to`) and their 16-bit weights. Training
/// changes only the transitions it saw go wrong, a few of the 306.
#[derive(Clone)]
struct Edge {
    scale: f32,
    cells: Box<[(u16, i16)]>,
}

impl Edge {
    fn quantize(t: &Trans) -> Edge {
        let scale = scale_of(t.iter().flatten());
        let cells = t
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(k, x)| {
                let q = quantized(*x, scale);
                (q != 0).then_some((k as u16, q))
            })
            .collect();
        Edge { scale, cells }
    }

    fn add_to(&self, t: &mut Trans) {
        for &(k, q) in self.cells.iter() {
            t[k as usize / S][k as usize % S] += q as f32 * self.scale;
        }
    }

    /// [`Edge::add_to`] for the transitions out of state `from` only (the
    /// cells are in order).
    fn add_row_to(&self, from: usize, row: &mut [f32; S]) {
        let start = self
            .cells
            .partition_point(|&(k, _)| (k as usize) < from * S);
        for &(k, q) in self.cells[start..].iter() {
            if k as usize >= (from + 1) * S {
                break;
            }
            row[k as usize % S] += q as f32 * self.scale;
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Row {
    scale: f32,
    weights: [i16; S],
}

impl Row {
    fn quantize(w: &[f32; S]) -> Row {
        let scale = scale_of(w);
        Row {
            scale,
            weights: w.map(|x| quantized(x, scale)),
        }
    }
}

/// The scale of 16-bit weights for these values: the largest magnitude
/// maps to `i16::MAX`.
fn scale_of<'a>(values: impl IntoIterator<Item = &'a f32>) -> f32 {
    values.into_iter().fold(0f32, |m, x| m.max(x.abs())) / i16::MAX as f32
}

/// `x` as a 16-bit weight under `scale` (0 when every value was 0).
fn quantized(x: f32, scale: f32) -> i16 {
    if scale > 0.0 {
        (x / scale).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16
    } else {
        0
    }
}

impl Default for Model {
    fn default() -> Model {
        Model {
            rows: Rows::default(),
            transitions: [[0.0; S]; S + 1],
            edges: FastMap::default(),
        }
    }
}

const MAGIC: &[u8; 8] = b"AKNER04\n";

/// Bytes of a row before its weights: key, scale, state mask.
const ROW_HEAD: usize = 8 + 4 + 4;

impl Model {
    /// A model from trained weights: rows whose weights are all tiny are
    /// dropped, the others quantized.
    fn from_weights(
        weights: FastMap<u64, [f32; S]>,
        transitions: Trans,
        edges: FastMap<u64, Box<Trans>>,
    ) -> Model {
        let mut model = Model {
            transitions,
            edges: edges
                .into_iter()
                .filter(|(_, t)| t.iter().flatten().any(|x| x.abs() >= PRUNE))
                .map(|(k, t)| (k, Edge::quantize(&t)))
                .collect(),
            ..Model::default()
        };
        let mut keys: Vec<(&u64, &[f32; S])> = weights
            .iter()
            .filter(|(_, w)| w.iter().any(|x| x.abs() >= PRUNE))
            .collect();
        keys.sort_by_key(|(k, _)| **k);
        for (key, w) in keys {
            model.push(*key, Row::quantize(w));
        }
        model
    }

    fn push(&mut self, key: u64, row: Row) {
        self.rows.insert(key, row);
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let head = 8 + 4 + (S + 1) * S * 4;
        if bytes.len() < head || &bytes[..8] != MAGIC {
            bail!("not an akhbar NER model of this version (bad header)");
        }
        let count = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
        let mut model = Model::default();
        for (k, x) in bytes[12..head].chunks_exact(4).enumerate() {
            model.transitions[k / S][k % S] = f32::from_le_bytes(x.try_into().unwrap());
        }
        model.rows.reserve(count);
        let truncated = || {
            anyhow::anyhow!(
                "truncated NER model: {} bytes for {count} rows",
                bytes.len()
            )
        };
        let mut at = head;
        for _ in 0..count {
            let fixed = bytes.get(at..at + ROW_HEAD).ok_or_else(truncated)?;
            let key = u64::from_le_bytes(fixed[..8].try_into().unwrap());
            let scale = f32::from_le_bytes(fixed[8..12].try_into().unwrap());
            let mask = u32::from_le_bytes(fixed[12..16].try_into().unwrap());
            if mask >> S != 0 {
                bail!("corrupt NER model: row {key:#x} names a state beyond {S}");
            }
            at += ROW_HEAD;
            let n = mask.count_ones() as usize;
            let values = bytes.get(at..at + 2 * n).ok_or_else(truncated)?;
            at += 2 * n;
            let mut weights = [0i16; S];
            let mut q = values.chunks_exact(2);
            for (k, w) in weights.iter_mut().enumerate() {
                if mask & (1 << k) != 0 {
                    let x = q.next().expect("one value per bit of the mask");
                    *w = i16::from_le_bytes([x[0], x[1]]);
                }
            }
            model.push(key, Row { scale, weights });
        }
        let edge_count = bytes.get(at..at + 4).ok_or_else(truncated)?;
        let edge_count = u32::from_le_bytes(edge_count.try_into().unwrap()) as usize;
        at += 4;
        for _ in 0..edge_count {
            let fixed = bytes.get(at..at + 14).ok_or_else(truncated)?;
            let key = u64::from_le_bytes(fixed[..8].try_into().unwrap());
            let scale = f32::from_le_bytes(fixed[8..12].try_into().unwrap());
            let n = u16::from_le_bytes(fixed[12..14].try_into().unwrap()) as usize;
            at += 14;
            let values = bytes.get(at..at + 4 * n).ok_or_else(truncated)?;
            at += 4 * n;
            let mut cells = Vec::with_capacity(n);
            for x in values.chunks_exact(4) {
                let k = u16::from_le_bytes([x[0], x[1]]);
                if k as usize >= (S + 1) * S {
                    bail!("corrupt NER model: edge {key:#x} names a transition beyond {S}");
                }
                cells.push((k, i16::from_le_bytes([x[2], x[3]])));
            }
            // Rows of the transitions are read by their range of cells.
            cells.sort_unstable_by_key(|&(k, _)| k);
            model.edges.insert(
                key,
                Edge {
                    scale,
                    cells: cells.into(),
                },
            );
        }
        if at != bytes.len() {
            bail!(
                "corrupt NER model: {} bytes after its {count} rows",
                bytes.len() - at
            );
        }
        Ok(model)
    }

    /// Serializes the model: the transitions, then the rows sorted by key,
    /// each a key, a scale, a mask of the states it scores and their 16-bit
    /// weights (most rows score two or three states: the file is half the
    /// size of full rows).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut keys: Vec<(u64, &Row)> = self.rows.iter().collect();
        keys.sort_unstable_by_key(|(k, _)| *k);
        let mut out = Vec::with_capacity(12 + keys.len() * (ROW_HEAD + 8));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for row in &self.transitions {
            for x in row {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        for (key, row) in keys {
            let mask = row
                .weights
                .iter()
                .enumerate()
                .filter(|(_, q)| **q != 0)
                .fold(0u32, |m, (k, _)| m | 1 << k);
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&row.scale.to_le_bytes());
            out.extend_from_slice(&mask.to_le_bytes());
            for q in row.weights.iter().filter(|q| **q != 0) {
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        let mut edges: Vec<(&u64, &Edge)> = self.edges.iter().collect();
        edges.sort_unstable_by_key(|(k, _)| **k);
        out.extend_from_slice(&(edges.len() as u32).to_le_bytes());
        for (key, edge) in edges {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&edge.scale.to_le_bytes());
            out.extend_from_slice(&(edge.cells.len() as u16).to_le_bytes());
            for (k, q) in edge.cells.iter() {
                out.extend_from_slice(&k.to_le_bytes());
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        out
    }

    /// Number of feature rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.len() == 0
    }

    /// The best label sequence for `tokens` (Viterbi over BIO, I-X only
    /// after B-X or I-X), with the gazetteer tags `gaz` (one per token).
    pub fn predict(&self, tokens: &[Token], gaz: &[GazTag], out: &mut Vec<usize>) {
        self.predict_range(tokens, gaz, &[], 0, tokens.len(), out);
    }

    /// [`Model::predict`] with what the rest of the document says of each
    /// word ([`super::memory::codes`]).
    pub fn predict_with_memory(
        &self,
        tokens: &[Token],
        gaz: &[GazTag],
        memory: &[u8],
        out: &mut Vec<usize>,
    ) {
        self.predict_range(tokens, gaz, memory, 0, tokens.len(), out);
    }

    /// The labels of tokens `from..to` only (`out[k]` is token `from + k`),
    /// decoded over that range; features still read the whole sentence.
    /// Indexing reads a few words after a title this way.
    pub fn predict_range(
        &self,
        tokens: &[Token],
        gaz: &[GazTag],
        memory: &[u8],
        from: usize,
        to: usize,
        out: &mut Vec<usize>,
    ) {
        SCRATCH.with_borrow_mut(|(feats, emissions, trans)| {
            feats.compute_range(tokens, gaz, memory, Lexicon::builtin(), from, to);
            emissions.clear();
            trans.clear();
            for i in from..to {
                let mut e = self.emission(feats.of(i - from));
                e[0] -= O_BIAS;
                emissions.push(e);
                trans.push(self.transitions_into(feats.edges_of(i - from)));
            }
            viterbi(emissions, trans, out);
        });
        for x in out.iter_mut() {
            *x = state_bio(*x);
        }
    }

    /// Token `i`'s own scores with the word before it outside any name (or
    /// the sentence starting), O lowered as in decoding: how decoding ranks
    /// the word's states where no name is open.
    fn start_scores(&self, tokens: &[Token], gaz: &[GazTag], i: usize) -> [f32; S] {
        let mut scores = SCRATCH.with_borrow_mut(|(feats, _, _)| {
            feats.compute_range(tokens, gaz, &[], Lexicon::builtin(), i, i + 1);
            let t = self.transitions_from(if i == 0 { S } else { 0 }, feats.edges_of(0));
            let mut scores = self.emission(feats.of(0));
            add_into(&mut scores, &t);
            scores
        });
        scores[0] -= O_BIAS;
        scores
    }

    /// True when token `i`'s scores ([`Model::start_scores`]) rank starting
    /// a name of type `ty` (as in [`type_of`]) above O: a quick check that
    /// decoding a window around it could find one.
    pub fn may_start(&self, tokens: &[Token], gaz: &[GazTag], i: usize, ty: usize) -> bool {
        let scores = self.start_scores(tokens, gaz, i);
        let first = first_state(ty);
        scores[first].max(scores[first + 3]) > scores[0]
    }

    /// The type of name (as in [`type_of`]: PERS, LOC or ORG, the types
    /// akhbar reports) that token `i` most likely starts, judged on the
    /// token's scores ([`Model::start_scores`]) without decoding: a quick
    /// check of one word. MISC is left out: `إلى حلب` scores a little
    /// higher as the start of a MISC name than of a place, and decoding still
    /// reads a place there.
    pub fn starts_name(&self, tokens: &[Token], gaz: &[GazTag], i: usize) -> Option<usize> {
        let scores = self.start_scores(tokens, gaz, i);
        let misc = first_state(type_of(label_index("B-MISC")));
        let mut best = 0;
        for k in (1..S).filter(|k| !(misc..misc + 4).contains(k)) {
            if scores[k] > scores[best] {
                best = k;
            }
        }
        (best != 0 && matches!((best - 1) % 4, 0 | 3)).then(|| type_of(state_bio(best)))
    }

    /// The transition scores into a token with these edge features.
    fn transitions_into(&self, edges: &[u64]) -> Trans {
        let mut t = self.transitions;
        for h in edges {
            if let Some(w) = self.edges.get(h) {
                w.add_to(&mut t);
            }
        }
        t
    }

    /// One row of [`Model::transitions_into`]: the scores of going from
    /// state `from` (S: the sentence start) into each state of the token.
    fn transitions_from(&self, from: usize, edges: &[u64]) -> [f32; S] {
        let mut row = self.transitions[from];
        for h in edges {
            if let Some(w) = self.edges.get(h) {
                w.add_row_to(from, &mut row);
            }
        }
        row
    }

    fn emission(&self, feats: &[u64]) -> [f32; S] {
        for f in feats {
            self.rows.prefetch(*f);
        }
        let mut scores = [0f32; S];
        for f in feats {
            if let Some(row) = self.rows.get(*f) {
                for (s, q) in scores.iter_mut().zip(row.weights) {
                    *s += q as f32 * row.scale;
                }
            }
        }
        scores
    }
}

thread_local! {
    /// Feature and score buffers reused across calls.
    static SCRATCH: std::cell::RefCell<(Features, Vec<[f32; S]>, Vec<Trans>)> =
        std::cell::RefCell::new((Features::default(), Vec::new(), Vec::new()));
}

/// Subtracted from the score of O when tagging (not in training): the
/// perceptron misses more names than it invents (recall is below
/// precision), and shifting the balance a little raises recall (chosen by
/// cross-validation over 0, 3 and 8).
const O_BIAS: f32 = 3.0;

/// Per mille of tokens whose [`LEXICAL`] features a training pass hides
/// (chosen by cross-validation over 0, 200 and 400).
const DROPOUT: u64 = 200;

/// Features of a token that name the word itself (they come first):
/// training sometimes hides them, so that the model also learns to tag
/// names it has never seen from their context and form.
const LEXICAL: usize = 7;

/// Rows whose weights are all below this are not written: they hardly
/// change a score (cross-validated F1 is the same as with 0.05 and 0.001),
/// and a smaller table is quicker to look up.
const PRUNE: f32 = 0.08;

fn add_trans(t: &mut Trans, w: &Trans) {
    for (row, wr) in t.iter_mut().zip(w) {
        add_into(row, wr);
    }
}

fn add_into(scores: &mut [f32; S], w: &[f32; S]) {
    for (s, x) in scores.iter_mut().zip(w) {
        *s += x;
    }
}

/// True when state `next` may follow state `prev` (S = sentence start):
/// inside a name (after B or I) only I or L of its type; elsewhere only O,
/// B or U.
fn allowed(prev: usize, next: usize) -> bool {
    let open = prev < S && prev != 0 && matches!((prev - 1) % 4, 0 | 1);
    if open {
        next != 0 && (next - 1) / 4 == (prev - 1) / 4 && matches!((next - 1) % 4, 1 | 2)
    } else {
        next == 0 || matches!((next - 1) % 4, 0 | 3)
    }
}

/// True when a sentence may end in `state` (not inside a name).
fn may_end(state: usize) -> bool {
    state == 0 || matches!((state - 1) % 4, 2 | 3)
}

/// The best allowed label path under emission and transition scores.
fn viterbi(emissions: &[[f32; S]], transitions: &[Trans], out: &mut Vec<usize>) {
    out.clear();
    let n = emissions.len();
    if n == 0 {
        return;
    }
    let mut back: Vec<[u8; S]> = vec![[0; S]; n];
    let mut score = [f32::NEG_INFINITY; S];
    for (k, s) in score.iter_mut().enumerate() {
        if allowed(S, k) {
            *s = transitions[0][S][k] + emissions[0][k];
        }
    }
    for i in 1..n {
        let mut next = [f32::NEG_INFINITY; S];
        for k in 0..S {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for p in 0..S {
                if score[p] == f32::NEG_INFINITY || !allowed(p, k) {
                    continue;
                }
                let s = score[p] + transitions[i][p][k];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            if best > f32::NEG_INFINITY {
                next[k] = best + emissions[i][k];
                back[i][k] = arg as u8;
            }
        }
        score = next;
    }
    let mut last = 0;
    for k in 1..S {
        if may_end(k) && score[k] > score[last] {
            last = k;
        }
    }
    out.resize(n, 0);
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i]] as usize;
    }
}

pub(crate) fn is_inside(label: usize) -> bool {
    label != 0 && label.is_multiple_of(2)
}

pub fn type_of(label: usize) -> usize {
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

/// The word without proclitics and the article: `والكرملين` → `كرملين`.
pub(crate) fn bare(w: &str) -> &str {
    let mut w = w;
    for p in ["و", "ف"] {
        if let Some(rest) = w.strip_prefix(p) {
            if at_least_chars(rest, 3) {
                w = rest;
            }
        }
    }
    for p in ["بال", "كال", "لل", "ال", "ب", "ل", "ك"] {
        if let Some(rest) = w.strip_prefix(p) {
            if at_least_chars(rest, 3) {
                return rest;
            }
        }
    }
    w
}

/// True when `s` has at least `n` characters (counting no further).
pub(crate) fn at_least_chars(s: &str, n: usize) -> bool {
    n == 0 || s.chars().nth(n - 1).is_some()
}

fn prefix(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

fn suffix(w: &str, n: usize) -> &str {
    match w.char_indices().rev().nth(n - 1) {
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

fn gaz_code(g: GazTag) -> u64 {
    g.kind as u64 * 2 + g.begin as u64
}

/// The observation features of every token of a sentence, flat.
#[derive(Default)]
pub struct Features {
    hashes: Vec<u64>,
    ends: Vec<u32>,
    edge_hashes: Vec<u64>,
    edge_ends: Vec<u32>,
    entries: Vec<Entry>,
}

impl Features {
    /// The features of token `i`.
    pub fn of(&self, i: usize) -> &[u64] {
        let from = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.hashes[from..self.ends[i] as usize]
    }

    /// The edge features of token `i`: they score the transition into it.
    pub fn edges_of(&self, i: usize) -> &[u64] {
        let from = if i == 0 {
            0
        } else {
            self.edge_ends[i - 1] as usize
        };
        &self.edge_hashes[from..self.edge_ends[i] as usize]
    }

    /// Computes the features of every token.
    pub fn compute(&mut self, tokens: &[Token], gaz: &[GazTag], memory: &[u8], lex: &Lexicon) {
        self.compute_range(tokens, gaz, memory, lex, 0, tokens.len());
    }

    /// Computes the features of tokens `from..to` (feature set `k` is token
    /// `from + k`), reading the whole sentence around them.
    pub fn compute_range(
        &mut self,
        tokens: &[Token],
        gaz: &[GazTag],
        memory: &[u8],
        lex: &Lexicon,
        from: usize,
        to: usize,
    ) {
        self.hashes.clear();
        self.ends.clear();
        self.edge_hashes.clear();
        self.edge_ends.clear();
        let n = tokens.len() as isize;
        // The lexicon entry of each token read: the word's own, or its bare
        // form's when the word (with its clitics) is unknown.
        let first = from.saturating_sub(1);
        let last = (to + 1).min(tokens.len());
        self.entries.clear();
        self.entries.extend(tokens[first..last].iter().map(|t| {
            let e = lex.get(&t.norm);
            let b = bare(&t.norm);
            let eb = if b.len() < t.norm.len() {
                lex.get(b)
            } else {
                e
            };
            Entry {
                coarse: if e.coarse > 0 { e.coarse } else { eb.coarse },
                fine: if e.fine > 0 { e.fine } else { eb.fine },
                article: eb.article,
                frequency: e.frequency,
                name: e.name || eb.name,
                first_slot: if e.coarse > 0 {
                    e.first_slot
                } else {
                    eb.first_slot
                },
                second_slot: if e.coarse > 0 {
                    e.second_slot
                } else {
                    eb.second_slot
                },
            }
        }));
        let entries = &self.entries;
        let lx = |i: isize| -> Entry {
            if i < 0 || i >= n {
                Entry {
                    coarse: u16::MAX,
                    fine: u16::MAX,
                    ..Entry::default()
                }
            } else {
                entries[i as usize - first]
            }
        };
        let word = |i: isize| -> &str {
            if i < 0 {
                BOS
            } else if i >= n {
                EOS
            } else {
                &tokens[i as usize].norm
            }
        };
        let g = |i: isize| -> u64 {
            if i < 0 || i >= n {
                255
            } else {
                gaz_code(gaz[i as usize])
            }
        };
        let out = &mut self.hashes;
        for i in from as isize..to as isize {
            let w0 = word(i);
            let (wm1, wp1, wm2, wp2) = (word(i - 1), word(i + 1), word(i - 2), word(i + 2));
            let b0 = bare(w0);
            let (bm1, bp1) = (bare(wm1), bare(wp1));
            // The word's identity first (LEXICAL features), then the rest.
            let g0 = g(i);
            out.push(Feature::new(1).s(w0).done());
            out.push(Feature::new(25).n(g(i + 1)).s(w0).done());
            out.push(Feature::new(28).n(g(i - 1)).s(b0).done());
            out.push(Feature::new(29).s(bm1).s(b0).done());
            out.push(Feature::new(6).s(wm1).s(w0).done());
            out.push(Feature::new(7).s(w0).s(wp1).done());
            out.push(Feature::new(8).s(b0).done());
            out.push(Feature::new(0).done());
            out.push(Feature::new(2).s(wm1).done());
            out.push(Feature::new(3).s(wp1).done());
            out.push(Feature::new(4).s(wm2).done());
            out.push(Feature::new(5).s(wp2).done());
            out.push(Feature::new(9).s(bm1).done());
            out.push(Feature::new(10).s(bp1).done());
            for k in 1..=3 {
                out.push(Feature::new(11).n(k).s(prefix(w0, k as usize)).done());
            }
            for k in 1..=4 {
                out.push(Feature::new(12).n(k).s(suffix(w0, k as usize)).done());
                out.push(Feature::new(13).n(k).s(suffix(b0, k as usize)).done());
            }
            out.push(Feature::new(14).s(prefix(b0, 2)).done());
            out.push(Feature::new(15).n(shape(&tokens[i as usize])).done());
            out.push(Feature::new(16).n(g0).done());
            out.push(Feature::new(17).n(g(i - 1)).done());
            out.push(Feature::new(18).n(g(i + 1)).done());
            out.push(Feature::new(19).n(g0).n(g(i - 1)).done());
            out.push(Feature::new(20).n(g0).n(g(i + 1)).done());
            out.push(Feature::new(26).n(g(i - 2)).done());
            out.push(Feature::new(27).n(g(i + 2)).done());
            out.push(Feature::new(30).s(wm2).s(wm1).done());
            out.push(Feature::new(31).s(wp1).s(wp2).done());
            out.push(Feature::new(32).n(shape(&tokens[i as usize])).s(wm1).done());
            out.push(
                Feature::new(33)
                    .n((i == 0) as u64)
                    .n(shape(&tokens[i as usize]))
                    .done(),
            );
            let (e0, em1, ep1) = (lx(i), lx(i - 1), lx(i + 1));
            out.push(Feature::new(40).n(e0.coarse as u64).done());
            out.push(Feature::new(41).n(e0.fine as u64).done());
            out.push(Feature::new(42).n(em1.coarse as u64).done());
            out.push(Feature::new(43).n(ep1.coarse as u64).done());
            out.push(Feature::new(44).n(em1.fine as u64).done());
            out.push(Feature::new(45).n(ep1.fine as u64).done());
            out.push(Feature::new(46).n(e0.article as u64).done());
            out.push(
                Feature::new(47)
                    .n(e0.name as u64)
                    .n(em1.name as u64)
                    .n(ep1.name as u64)
                    .done(),
            );
            out.push(Feature::new(48).n(e0.frequency as u64).done());
            out.push(Feature::new(49).n(e0.name as u64).n(g(i - 1)).done());
            out.push(Feature::new(50).n(e0.fine as u64).s(wm1).done());
            out.push(
                Feature::new(51)
                    .n(e0.coarse as u64)
                    .n(em1.coarse as u64)
                    .done(),
            );
            out.push(
                Feature::new(52)
                    .n(e0.coarse as u64)
                    .n(ep1.coarse as u64)
                    .done(),
            );
            out.push(
                Feature::new(53)
                    .n(e0.article as u64)
                    .n(e0.name as u64)
                    .n(e0.coarse as u64)
                    .done(),
            );
            // Letter trigrams inside the bare word: transliterated foreign
            // names share them (`غورباتشوف`, `شيفرنادزه`) where prefixes and
            // suffixes say little.
            let mut starts = [0usize; 24];
            let mut count = 0;
            for (k, _) in b0.char_indices() {
                if count == starts.len() {
                    break;
                }
                starts[count] = k;
                count += 1;
            }
            if (4..starts.len()).contains(&count) {
                for k in 0..count - 2 {
                    let end = if k + 3 < count {
                        starts[k + 3]
                    } else {
                        b0.len()
                    };
                    out.push(Feature::new(21).s(&b0[starts[k]..end]).done());
                }
            }
            // A word behind the conjunction و: in a list of names it starts
            // the next one (`محسن سعد وناصر مسعود`); 2 when the word without
            // و is the more frequent (a conjunction), 1 when not (`وليد`).
            let (conj, rest) = match w0.strip_prefix('و').filter(|r| at_least_chars(r, 2)) {
                None => (0u64, Entry::default()),
                Some(r) => {
                    let rest = lex.get(r);
                    (1 + (rest.frequency > e0.frequency) as u64, rest)
                }
            };
            out.push(Feature::new(22).n(conj).done());
            out.push(Feature::new(23).n(conj).n(rest.name as u64).done());
            out.push(
                Feature::new(24)
                    .n(conj)
                    .n(rest.first_slot as u64)
                    .n(em1.name as u64)
                    .done(),
            );
            let (f0, s0) = (e0.first_slot as u64, e0.second_slot as u64);
            out.push(Feature::new(54).n(f0).done());
            out.push(Feature::new(55).n(s0).done());
            out.push(Feature::new(56).n(f0).n(s0).done());
            out.push(Feature::new(57).n(em1.first_slot as u64).n(s0).done());
            out.push(Feature::new(58).n(f0).n(ep1.second_slot as u64).done());
            out.push(
                Feature::new(59)
                    .n(f0)
                    .n(e0.name as u64)
                    .n(e0.article as u64)
                    .done(),
            );
            if !memory.is_empty() {
                let mem = |i: isize| -> u64 {
                    if i < 0 || i >= n {
                        255
                    } else {
                        memory[i as usize] as u64
                    }
                };
                let other = |i: isize| -> u64 {
                    let m = mem(i);
                    if m == 255 {
                        m
                    } else {
                        m & 7
                    }
                };
                let own = |i: isize| -> u64 {
                    let m = mem(i);
                    if m == 255 {
                        m
                    } else {
                        m >> 3
                    }
                };
                let m0 = other(i);
                out.push(Feature::new(60).n(m0).done());
                out.push(Feature::new(61).n(other(i - 1)).done());
                out.push(Feature::new(62).n(other(i + 1)).done());
                out.push(Feature::new(63).n(m0).n(other(i + 1)).done());
                out.push(Feature::new(64).n(m0).n(g0).done());
                let o0 = own(i);
                out.push(Feature::new(65).n(o0).done());
                out.push(Feature::new(66).n(own(i - 1)).done());
                out.push(Feature::new(67).n(own(i + 1)).done());
                out.push(Feature::new(68).n(own(i - 1)).n(own(i + 1)).done());
                out.push(Feature::new(69).n(o0).n(m0).done());
                out.push(Feature::new(70).n(own(i - 1)).n(o0).n(own(i + 1)).done());
            }
            self.ends.push(out.len() as u32);
            let edges = &mut self.edge_hashes;
            edges.push(Feature::new(100).n(e0.coarse as u64).done());
            edges.push(Feature::new(103).s(b0).done());
            edges.push(Feature::new(104).s(bm1).done());
            edges.push(Feature::new(101).n(g0).n(g(i - 1)).done());
            edges.push(
                Feature::new(102)
                    .n(e0.name as u64)
                    .n(em1.name as u64)
                    .n(conj)
                    .done(),
            );
            self.edge_ends.push(edges.len() as u32);
        }
    }
}

/// One training sentence: tokens, gazetteer tags, gold labels.
pub struct Example {
    pub tokens: Vec<Token>,
    pub gaz: Vec<GazTag>,
    pub labels: Vec<usize>,
    /// What the rest of the document says of each word
    /// ([`super::memory::codes`]); empty when unknown.
    pub memory: Vec<u8>,
}

/// Trains a model with the averaged structured perceptron (Viterbi decoding
/// in training as in use), shuffling the examples deterministically before
/// each epoch.
pub fn train(examples: &[Example], epochs: usize) -> Model {
    let refs: Vec<&Example> = examples.iter().collect();
    train_refs(&refs, epochs, 0)
}

/// [`train`] over borrowed examples (the folds of a cross-validation);
/// `seed` picks the sentence orders (0 is the shipped model's), to tell a
/// real change of F1 from the noise of one order.
pub fn train_refs(examples: &[&Example], epochs: usize, seed: u64) -> Model {
    let gold: Vec<Vec<usize>> = examples.iter().map(|ex| bio_states(&ex.labels)).collect();
    let feats: Vec<Features> = examples
        .iter()
        .map(|ex| {
            let mut f = Features::default();
            f.compute(&ex.tokens, &ex.gaz, &ex.memory, Lexicon::builtin());
            f
        })
        .collect();
    let mut weights: FastMap<u64, [f32; S]> = FastMap::default();
    let mut transitions = [[0f32; S]; S + 1];
    let mut edges: FastMap<u64, Box<Trans>> = FastMap::default();
    let mut seed: u64 = 0x9e3779b97f4a7c15 ^ seed.wrapping_mul(0x94d049bb133111eb);
    for _ in 0..RUNS {
        run(
            examples,
            &gold,
            &feats,
            epochs,
            seed,
            1.0 / RUNS as f32,
            &mut weights,
            &mut transitions,
            &mut edges,
        );
        seed = seed.wrapping_mul(0xbf58476d1ce4e5b9).wrapping_add(1);
    }
    Model::from_weights(weights, transitions, edges)
}

/// Perceptron runs, each over its own shuffles, whose averaged weights are
/// averaged again: one run's weights depend much on the order it saw the
/// sentences in.
const RUNS: usize = 3;

/// The largest step of an update: the plain perceptron's.
const STEP_CAP: f32 = 1.0;

/// The margin asked of the gold labels over a wrong guess, per wrongly
/// labelled token (chosen by cross-validation over 50, 100, 200 and 400).
const STEP_MARGIN: f32 = 100.0;

/// The size of the update from `guess` to the gold `labels`, as a
/// passive-aggressive learner takes it: just large enough for the gold labels
/// to win by [`STEP_MARGIN`] per wrong token, and at most [`STEP_CAP`]. A
/// guess that almost won moves the weights less than a plain perceptron
/// would (cross-validated F1 a little higher: 0.796 against 0.794, means of
/// three shuffles).
#[allow(clippy::too_many_arguments)]
fn step_size<'a>(
    ex: &Example,
    labels: &[usize],
    guess: &[usize],
    emissions: &[[f32; S]],
    trans: &[Trans],
    of: impl Fn(usize) -> &'a [u64],
    edges_of: impl Fn(usize) -> &'a [u64],
    diff: &mut FastMap<(u64, u8), i32>,
) -> f32 {
    // The squared length of the difference of the two labelings' feature
    // vectors (transitions under keys of their own), and their scores.
    diff.clear();
    let (mut gold_score, mut guess_score, mut wrong) = (0f32, 0f32, 0f32);
    for i in 0..ex.tokens.len() {
        let (gold, got) = (labels[i], guess[i]);
        let gp = if i == 0 { S } else { labels[i - 1] };
        let pp = if i == 0 { S } else { guess[i - 1] };
        gold_score += emissions[i][gold] + trans[i][gp][gold];
        guess_score += emissions[i][got] + trans[i][pp][got];
        if gold != got {
            wrong += 1.0;
            for h in of(i) {
                *diff.entry((*h, gold as u8)).or_insert(0) += 1;
                *diff.entry((*h, got as u8)).or_insert(0) -= 1;
            }
        }
        if (gp, gold) != (pp, got) {
            *diff.entry((gp as u64 | 1 << 63, gold as u8)).or_insert(0) += 1;
            *diff.entry((pp as u64 | 1 << 63, got as u8)).or_insert(0) -= 1;
            for h in edges_of(i) {
                let key =
                    |p: usize| h.rotate_left(7) ^ (p as u64 + 1).wrapping_mul(0x9e3779b97f4a7c15);
                *diff.entry((key(gp), gold as u8)).or_insert(0) += 1;
                *diff.entry((key(pp), got as u8)).or_insert(0) -= 1;
            }
        }
    }
    let norm: f32 = diff.values().map(|x| (x * x) as f32).sum();
    if norm == 0.0 {
        return STEP_CAP;
    }
    ((guess_score - gold_score + STEP_MARGIN * wrong) / norm).clamp(0.0, STEP_CAP)
}

/// One run of the averaged perceptron; adds `share` of its weights to
/// `weights` and `transitions`.
#[allow(clippy::too_many_arguments)]
fn run(
    examples: &[&Example],
    gold: &[Vec<usize>],
    feats: &[Features],
    epochs: usize,
    seed: u64,
    share: f32,
    weights: &mut FastMap<u64, [f32; S]>,
    transitions: &mut Trans,
    edges: &mut FastMap<u64, Box<Trans>>,
) {
    let mut edge_acc: FastMap<u64, Box<TransAcc>> = FastMap::default();
    let mut trans_at: Vec<Trans> = Vec::new();
    /// Current weights and the step-weighted sum of their updates, for
    /// averaging (w − u/c).
    struct Acc {
        w: [f32; S],
        u: [f64; S],
    }
    let mut acc: FastMap<u64, Acc> = FastMap::default();
    let mut trans = TransAcc::default();
    let mut step: f64 = 1.0;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng: u64 = seed;
    let mut emissions: Vec<[f32; S]> = Vec::new();
    let mut guess = Vec::new();
    let mut drop: Vec<bool> = Vec::new();
    let mut diff: FastMap<(u64, u8), i32> = FastMap::default();
    for _ in 0..epochs {
        for k in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(k, (rng % (k as u64 + 1)) as usize);
        }
        for &e in &order {
            let ex = examples[e];
            let f = &feats[e];
            let labels = &gold[e];
            emissions.clear();
            drop.clear();
            for _ in 0..ex.tokens.len() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                drop.push(((rng >> 11) % 1000) < DROPOUT);
            }
            let of = |i: usize| -> &[u64] {
                let x = f.of(i);
                if drop[i] {
                    &x[LEXICAL..]
                } else {
                    x
                }
            };
            trans_at.clear();
            for i in 0..ex.tokens.len() {
                let mut scores = [0f32; S];
                for h in of(i) {
                    if let Some(a) = acc.get(h) {
                        add_into(&mut scores, &a.w);
                    }
                }
                emissions.push(scores);
                let mut t = trans.w;
                for h in f.edges_of(i) {
                    if let Some(a) = edge_acc.get(h) {
                        add_trans(&mut t, &a.w);
                    }
                }
                trans_at.push(t);
            }
            viterbi(&emissions, &trans_at, &mut guess);
            if guess != *labels {
                let edges_of = |i: usize| f.edges_of(i);
                let t = step_size(
                    ex, labels, &guess, &emissions, &trans_at, of, edges_of, &mut diff,
                );
                let ts = t as f64 * step;
                for i in 0..ex.tokens.len() {
                    let (gold, got) = (labels[i], guess[i]);
                    if gold != got {
                        for h in of(i) {
                            let a = acc.entry(*h).or_insert(Acc {
                                w: [0.0; S],
                                u: [0.0; S],
                            });
                            a.w[gold] += t;
                            a.u[gold] += ts;
                            a.w[got] -= t;
                            a.u[got] -= ts;
                        }
                    }
                    let gp = if i == 0 { S } else { labels[i - 1] };
                    let pp = if i == 0 { S } else { guess[i - 1] };
                    if (gp, gold) != (pp, got) {
                        trans.update((gp, gold), (pp, got), t, ts);
                        for h in f.edges_of(i) {
                            edge_acc
                                .entry(*h)
                                .or_default()
                                .update((gp, gold), (pp, got), t, ts);
                        }
                    }
                }
            }
            step += 1.0;
        }
    }
    for (h, a) in acc {
        let w = weights.entry(h).or_insert([0.0; S]);
        for (k, x) in w.iter_mut().enumerate() {
            *x += share * (a.w[k] as f64 - a.u[k] / step) as f32;
        }
    }
    trans.average_into(transitions, share, step);
    for (h, a) in edge_acc {
        let t = edges
            .entry(h)
            .or_insert_with(|| Box::new([[0.0; S]; S + 1]));
        a.average_into(t, share, step);
    }
}

/// A transition matrix being learnt: its current weights and the
/// step-weighted sum of their updates, for averaging (w − u/c).
struct TransAcc {
    w: Trans,
    u: [[f64; S]; S + 1],
}

impl Default for TransAcc {
    fn default() -> TransAcc {
        TransAcc {
            w: [[0.0; S]; S + 1],
            u: [[0.0; S]; S + 1],
        }
    }
}

impl TransAcc {
    /// Moves weight `t` (at step-weighted `ts`) from the guessed transition
    /// (from, to) to the gold one.
    fn update(&mut self, gold: (usize, usize), guess: (usize, usize), t: f32, ts: f64) {
        self.w[gold.0][gold.1] += t;
        self.u[gold.0][gold.1] += ts;
        self.w[guess.0][guess.1] -= t;
        self.u[guess.0][guess.1] -= ts;
    }

    /// Adds `share` of the averaged weights after `step` steps to `out`.
    fn average_into(&self, out: &mut Trans, share: f32, step: f64) {
        for (p, row) in out.iter_mut().enumerate() {
            for (k, x) in row.iter_mut().enumerate() {
                *x += share * (self.w[p][k] as f64 - self.u[p][k] / step) as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize;
    use crate::entities::matcher::conll_token;

    fn example(words: &[(&str, &str)]) -> Example {
        Example {
            tokens: words.iter().map(|(w, _)| conll_token(w)).collect(),
            gaz: vec![GazTag::default(); words.len()],
            labels: words.iter().map(|(_, l)| label_index(l)).collect(),
            memory: Vec::new(),
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
        assert!(!back.edges.is_empty());
        assert_eq!(back.to_bytes(), model.to_bytes());
        let mut again = Vec::new();
        back.predict(&data[0].tokens, &data[0].gaz, &mut again);
        assert_eq!(again, out);
    }

    #[test]
    fn the_seed_picks_the_sentence_orders() {
        let data: Vec<Example> = (0..12)
            .map(|k| {
                let name = ["سمير", "كريم", "نادر"][k % 3];
                let place = ["بيروت", "دمشق"][k % 2];
                example(&[
                    ("قال", "O"),
                    (name, "B-PERS"),
                    ("في", "O"),
                    (place, "B-LOC"),
                ])
            })
            .collect();
        let refs: Vec<&Example> = data.iter().collect();
        let bytes = |seed| train_refs(&refs, 2, seed).to_bytes();
        assert_eq!(bytes(0), train(&data, 2).to_bytes());
        assert_eq!(bytes(1), bytes(1));
        assert_ne!(bytes(0), bytes(1));
    }

    #[test]
    fn states_round_trip_bio_and_decoding_closes_names() {
        let l = |x: &str| label_index(x);
        let bio = [
            l("B-PERS"),
            l("I-PERS"),
            l("I-PERS"),
            l("O"),
            l("I-LOC"),
            l("B-ORG"),
        ];
        let states = bio_states(&bio);
        assert_eq!(states, [1, 2, 3, 0, 8, 9 + 3]);
        let back: Vec<usize> = states.iter().map(|&s| state_bio(s)).collect();
        assert_eq!(
            back,
            [
                l("B-PERS"),
                l("I-PERS"),
                l("I-PERS"),
                0,
                l("B-LOC"),
                l("B-ORG")
            ]
        );
        // An inner state is never first, and a name is never left open.
        let mut e = [[0f32; S]; 2];
        e[0][2] = 5.0;
        e[1][1] = 5.0;
        let mut out = Vec::new();
        viterbi(&e, &vec![[[0.0; S]; S + 1]; e.len()], &mut out);
        assert_eq!(out, [0, 0]);
        e[0][1] = 6.0;
        e[1][3] = 1.0;
        viterbi(&e, &vec![[[0.0; S]; S + 1]; e.len()], &mut out);
        assert_eq!(out, [1, 3]);
    }

    #[test]
    fn word_identity_features_come_first_and_context_after() {
        // Training hides the first LEXICAL features of some tokens: they must
        // name the word itself, and the context must lie after them.
        let feats = |name: &str| {
            let ex = example(&[("قال", "O"), (name, "B-PERS"), ("حداد", "I-PERS")]);
            let mut f = Features::default();
            f.compute(&ex.tokens, &ex.gaz, &[], Lexicon::builtin());
            f.of(1).to_vec()
        };
        let (a, b) = (feats("سمير"), feats("كريم"));
        assert!(a[..LEXICAL].iter().all(|h| !b.contains(h)));
        let before = Feature::new(2).s("قال").done();
        assert!(a[LEXICAL..].contains(&before) && b[LEXICAL..].contains(&before));
    }

    #[test]
    fn letter_trigrams_and_the_conjunction_are_features() {
        let feats = |words: &[&str], i: usize| {
            let ex = example(&words.iter().map(|w| (*w, "O")).collect::<Vec<_>>());
            let mut f = Features::default();
            f.compute(&ex.tokens, &ex.gaz, &[], Lexicon::builtin());
            f.of(i).to_vec()
        };
        // A trigram the two transliterations share, wherever it stands.
        let tri = Feature::new(21).s(&normalize("تشو")).done();
        assert!(feats(&["قال", "غورباتشوف"], 1).contains(&tri));
        assert!(feats(&["زار", "تشومسكي", "بيروت"], 1).contains(&tri));
        assert!(!feats(&["قال", "سمير"], 1).contains(&tri));
        // و before a word: 2 when the rest is the more frequent word.
        let conj = |n: u64| Feature::new(22).n(n).done();
        assert!(feats(&["الرئيس", "وناصر"], 1).contains(&conj(2)));
        assert!(feats(&["الرئيس", "ناصر"], 1).contains(&conj(0)));
    }

    #[test]
    fn affixes_and_bare_forms() {
        assert_eq!(suffix("كرملين", 2), "ين");
        assert_eq!(suffix("كرملين", 6), "كرملين");
        assert_eq!(suffix("كرملين", 9), "كرملين");
        assert_eq!(prefix("كرملين", 2), "كر");
        assert_eq!(bare("والكرملين"), "كرملين");
        assert_eq!(bare("وله"), "وله");
        assert!(at_least_chars("abc", 3) && !at_least_chars("ab", 3));
    }

    #[test]
    fn steps_are_just_large_enough_and_capped() {
        // One token whose gold state is U-PERS (4), guessed O.
        let ex = example(&[("سمير", "B-PERS")]);
        let feats: Vec<u64> = (0..200).collect();
        let trans = [[[0f32; S]; S + 1]];
        let step = |n: usize, edges: usize, emissions: &[[f32; S]]| {
            let of = |_: usize| &feats[..n];
            let edges_of = |_: usize| &feats[..edges];
            step_size(
                &ex,
                &[4],
                &[0],
                emissions,
                &trans,
                of,
                edges_of,
                &mut FastMap::default(),
            )
        };
        let mut emissions = [[0f32; S]];
        // Few features: the margin asks more than the cap allows.
        assert_eq!(step(3, 0, &emissions), STEP_CAP);
        // 200 features on two states, and two transitions: a norm of 402.
        assert!((step(200, 0, &emissions) - STEP_MARGIN / 402.0).abs() < 1e-6);
        // Each edge feature adds its two transitions.
        assert!((step(200, 2, &emissions) - STEP_MARGIN / 406.0).abs() < 1e-6);
        // A guess ahead by 50 needs a larger step.
        emissions[0][0] = 50.0;
        assert!((step(200, 0, &emissions) - (STEP_MARGIN + 50.0) / 402.0).abs() < 1e-6);
    }

    #[test]
    fn bad_model_bytes_are_an_error() {
        assert!(Model::from_bytes(b"nonsense").is_err());
        let mut bytes = Model::default().to_bytes();
        bytes.extend_from_slice(&[1, 2, 3]);
        assert!(Model::from_bytes(&bytes).is_err());
    }

    /// A word's edge features change the transitions into it, both in
    /// decoding and in the quick one-word check of where a name starts.
    #[test]
    fn edges_score_the_transitions_into_a_word() {
        let ex = example(&[("وصل", "O"), ("إلى", "O"), ("تويوتا", "O")]);
        let mut feats = Features::default();
        feats.compute(&ex.tokens, &ex.gaz, &[], Lexicon::builtin());
        assert!(!feats.edges_of(2).is_empty());
        assert_ne!(feats.edges_of(2), feats.edges_of(1));
        // A model that reads everything as O...
        let mut model = Model::default();
        model.transitions[0][0] = 10.0;
        model.transitions[S][0] = 10.0;
        let loc = first_state(type_of(label_index("B-LOC")));
        assert_eq!(model.starts_name(&ex.tokens, &ex.gaz, 2), None);
        // ... but from O into a one-word place at this word.
        let mut t = [[0f32; S]; S + 1];
        t[0][loc + 3] = 20.0;
        model.edges.insert(feats.edges_of(2)[0], Edge::quantize(&t));
        assert_eq!(
            model.starts_name(&ex.tokens, &ex.gaz, 2),
            Some(type_of(label_index("B-LOC")))
        );
        assert_eq!(model.starts_name(&ex.tokens, &ex.gaz, 1), None);
        let mut out = Vec::new();
        model.predict(&ex.tokens, &ex.gaz, &mut out);
        assert_eq!(out, [0, 0, label_index("B-LOC")]);
        // One row of the transitions is that row of the whole matrix, with
        // cells on several rows.
        t[S][2] = -4.0;
        t[3][loc] = 7.0;
        t[0][1] = 1.0;
        model.edges.insert(feats.edges_of(2)[1], Edge::quantize(&t));
        let model = Model::from_bytes(&model.to_bytes()).unwrap();
        let whole = model.transitions_into(feats.edges_of(2));
        for (from, row) in whole.iter().enumerate() {
            assert_eq!(&model.transitions_from(from, feats.edges_of(2)), row);
        }
        assert!(whole[0][loc + 3] > 20.0 && whole[3][loc] > 6.0);
    }

    #[test]
    fn rows_keep_only_the_states_they_score() {
        let mut model = Model::default();
        let mut w = [0f32; S];
        w[0] = -2.0;
        w[5] = 1.0;
        w[S - 1] = 0.5;
        model.push(7, Row::quantize(&w));
        model.transitions[S][3] = 1.5;
        let mut t = [[0f32; S]; S + 1];
        t[1][2] = 0.75;
        t[S][4] = -1.5;
        model.edges.insert(9, Edge::quantize(&t));
        let bytes = model.to_bytes();
        // Header, transitions, one row of key, scale, mask and 3 weights,
        // then the edge count and one edge of key, scale, count and 2 cells.
        let rows_end = 12 + (S + 1) * S * 4 + ROW_HEAD + 3 * 2;
        assert_eq!(bytes.len(), rows_end + 4 + 14 + 2 * 4);
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(
            back.rows.get(7).unwrap().weights,
            model.rows.get(7).unwrap().weights
        );
        assert_eq!(
            back.rows.get(7).unwrap().scale,
            model.rows.get(7).unwrap().scale
        );
        assert_eq!(back.transitions[S][3], 1.5);
        let mut scores = [[0f32; S]; S + 1];
        back.edges[&9].add_to(&mut scores);
        assert!((scores[1][2] - 0.75).abs() < 1e-4 && (scores[S][4] + 1.5).abs() < 1e-4);
        // A cut edge, a mask naming a state that does not exist, and an
        // edge naming a transition that does not.
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut bad = bytes.clone();
        let mask_at = 12 + (S + 1) * S * 4 + 12;
        bad[mask_at + 2] |= 0x80;
        let err = Model::from_bytes(&bad).err().unwrap().to_string();
        assert!(err.contains("beyond"), "{err}");
        let mut bad = bytes.clone();
        bad[rows_end + 4 + 14 + 1] = 0xff;
        let err = Model::from_bytes(&bad).err().unwrap().to_string();
        assert!(err.contains("beyond"), "{err}");
    }
}
