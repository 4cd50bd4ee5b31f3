//! CoNLL files (`token TAG` a line, a blank line between sentences): reading,
//! tagging one-to-one, entity-level scoring, training and cross-validation of
//! the statistical model.

use std::fmt;

use anyhow::{bail, Result};

use super::matcher::{conll_token, Token};
use super::memory;
use super::ner::{self, Example, GazTag, Model};
use super::tagger::Tagger;

/// One sentence: tokens as written and their tags (O when the file has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
}

/// Reads CoNLL text. Each line is `token` or `token TAG`; files with more
/// columns (`token POS TAG`, as CoNLL-2003 writes them) give the first field
/// as the token and the last as the tag. Tags are BIO over any type; IOBES
/// and BILOU tags (`S-`/`U-` single, `E-`/`L-` last) are read as their BIO
/// equivalents, so a file in either scheme is scored the same way. `file`
/// names the input in errors.
pub fn read(text: &str, file: &str) -> Result<Vec<Sentence>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut current = Sentence {
        tokens: Vec::new(),
        tags: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.tokens.is_empty() {
                out.push(std::mem::replace(
                    &mut current,
                    Sentence {
                        tokens: Vec::new(),
                        tags: Vec::new(),
                    },
                ));
            }
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (token, tag) = match fields.as_slice() {
            [token] => (*token, "O"),
            [token, .., tag] => (*token, *tag),
            [] => unreachable!("blank lines end a sentence above"),
        };
        let Some(tag) = bio_tag(tag) else {
            bail!(
                "{file} line {}: tag `{tag}` is not O or a B-/I-/E-/S-/L-/U- tag with a type \
                 (expected `token TAG`, e.g. `بوتين B-PERS`)",
                n + 1
            );
        };
        current.tokens.push(token.to_string());
        current.tags.push(tag);
    }
    if !current.tokens.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// A tag in BIO form: O stays O, `S-X`/`U-X` become `B-X` and `E-X`/`L-X`
/// become `I-X`, and the type names other corpora use for ANERcorp's types
/// (PER, PERSON, LOCATION, ORGANIZATION) become PERS, LOC and ORG; None for
/// anything else.
fn bio_tag(tag: &str) -> Option<String> {
    if tag == "O" {
        return Some(tag.to_string());
    }
    let (prefix, ty) = tag.split_once('-')?;
    if ty.is_empty() {
        return None;
    }
    let bio = match prefix {
        "B" | "S" | "U" => "B",
        "I" | "E" | "L" => "I",
        _ => return None,
    };
    let ty = match ty {
        "PER" | "PERSON" => "PERS",
        "LOCATION" => "LOC",
        "ORGANIZATION" | "ORGANISATION" => "ORG",
        other => other,
    };
    Some(format!("{bio}-{ty}"))
}

/// The analyzed tokens of a sentence, one per CoNLL token.
pub fn tokens(sentence: &Sentence) -> Vec<Token> {
    sentence.tokens.iter().map(|t| conll_token(t)).collect()
}

/// Sentences around each one that document memory reads
/// ([`super::memory`]): a CoNLL file does not mark where articles end.
/// Chosen by cross-validation, as are the other settings of this file.
pub const MEMORY_WINDOW: usize = 4;

/// Sentences around each one whose first reading the second reads.
pub const CODE_WINDOW: usize = 10;

/// The predicted tags of every sentence: BIO over PERS, LOC, ORG (MISC → O),
/// read as one document ([`read_document`]).
pub fn tag_sentences(tagger: &Tagger, sentences: &[Sentence]) -> Vec<Vec<&'static str>> {
    let Some(model) = tagger.model() else {
        return sentences
            .iter()
            .map(|s| vec!["O"; s.tokens.len()])
            .collect();
    };
    let toks: Vec<Vec<Token>> = sentences.iter().map(tokens).collect();
    let gaz: Vec<Vec<GazTag>> = toks
        .iter()
        .map(|t| tagger.gaz_tags(t, &tagger.matcher().matches(t)))
        .collect();
    let doc: Vec<(&[Token], &[GazTag])> = toks
        .iter()
        .zip(&gaz)
        .map(|(t, g)| (&t[..], &g[..]))
        .collect();
    read_document(model, &doc)
        .iter()
        .map(|l| tag_names(l))
        .collect()
}

/// The labels of a document's sentences, in three steps: the model reads
/// each sentence; it reads each again knowing what the first reading found
/// in the sentences around ([`memory::codes`]); then names found once are
/// tagged where they come back untagged ([`memory::propagate`]).
pub fn read_document(model: &Model, sentences: &[(&[Token], &[GazTag])]) -> Vec<Vec<usize>> {
    let first: Vec<Vec<usize>> = sentences
        .iter()
        .map(|(t, g)| {
            let mut out = Vec::new();
            model.predict(t, g, &mut out);
            out
        })
        .collect();
    let toks: Vec<&[Token]> = sentences.iter().map(|(t, _)| *t).collect();
    let codes = memory::codes(&toks, &first, CODE_WINDOW);
    let mut second: Vec<Vec<usize>> = sentences
        .iter()
        .zip(&codes)
        .map(|((t, g), c)| {
            let mut out = Vec::new();
            model.predict_with_memory(t, g, c, &mut out);
            out
        })
        .collect();
    memory::propagate(&toks, &mut second, MEMORY_WINDOW);
    second
}

/// Inner folds that give the first reading of the training sentences.
const FIRST_READING_FOLDS: usize = 5;

/// Trains the model for both readings of [`read_document`]: on every
/// sentence alone, and again with the memory codes of a first reading by a
/// model that did not see it (so that the codes are as wrong as they will
/// be on new text). `seed` as in [`ner::train_refs`].
pub fn train_examples(examples: &[&Example], epochs: usize, seed: u64) -> Model {
    let n = examples.len();
    let mut first: Vec<Vec<usize>> = vec![Vec::new(); n];
    for k in 0..FIRST_READING_FOLDS {
        let (a, b) = (
            k * n / FIRST_READING_FOLDS,
            (k + 1) * n / FIRST_READING_FOLDS,
        );
        let rest: Vec<&Example> = examples[..a]
            .iter()
            .chain(&examples[b..])
            .copied()
            .collect();
        let model = ner::train_refs(&rest, epochs, seed);
        for i in a..b {
            model.predict(&examples[i].tokens, &examples[i].gaz, &mut first[i]);
        }
    }
    let toks: Vec<&[Token]> = examples.iter().map(|e| &e.tokens[..]).collect();
    let codes = memory::codes(&toks, &first, CODE_WINDOW);
    let with_memory: Vec<Example> = examples
        .iter()
        .zip(codes)
        .map(|(e, memory)| Example {
            tokens: e.tokens.clone(),
            gaz: e.gaz.clone(),
            labels: e.labels.clone(),
            memory,
        })
        .collect();
    let mut all: Vec<&Example> = examples.to_vec();
    all.extend(&with_memory);
    ner::train_refs(&all, epochs, seed)
}

/// Tag names of labels, MISC reported as O.
fn tag_names(labels: &[usize]) -> Vec<&'static str> {
    labels
        .iter()
        .map(|&l| match ner::LABELS[l] {
            "B-MISC" | "I-MISC" => "O",
            other => other,
        })
        .collect()
}

/// Entity types scored.
pub const TYPES: [&str; 3] = ["PERS", "LOC", "ORG"];

/// Entities of a tag sequence as (start, end, type), the way conlleval
/// reads them: an I- tag that does not continue an entity of its type starts
/// one.
pub fn chunks(tags: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (bio, ty) = match tag.split_once('-') {
            Some((b, t)) => (b, t),
            None => ("O", ""),
        };
        let continues = bio == "I" && open.is_some_and(|(_, t)| t == ty);
        if !continues {
            if let Some((s, t)) = open.take() {
                out.push((s, i, t.to_string()));
            }
            if bio == "B" || bio == "I" {
                open = Some((i, ty));
            }
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t.to_string()));
    }
    out
}

/// Counts per entity type.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: &Counts) {
        self.true_pos += other.true_pos;
        self.false_pos += other.false_pos;
        self.false_neg += other.false_neg;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Entity-level exact-match scores for PERS, LOC and ORG (MISC ignored).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub by_type: [Counts; 3],
}

impl Scores {
    /// Adds one sentence's gold and predicted tags.
    pub fn add(&mut self, gold: &[&str], predicted: &[&str]) {
        let g = chunks(gold);
        let p = chunks(predicted);
        for (k, ty) in TYPES.iter().enumerate() {
            let gs: Vec<_> = g.iter().filter(|c| c.2 == *ty).collect();
            let ps: Vec<_> = p.iter().filter(|c| c.2 == *ty).collect();
            let tp = ps.iter().filter(|c| gs.contains(c)).count();
            self.by_type[k].true_pos += tp;
            self.by_type[k].false_pos += ps.len() - tp;
            self.by_type[k].false_neg += gs.len() - tp;
        }
    }

    pub fn merge(&mut self, other: &Scores) {
        for k in 0..3 {
            self.by_type[k].add(&other.by_type[k]);
        }
    }

    /// Micro-averaged counts over the three types.
    pub fn micro(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.by_type {
            c.add(t);
        }
        c
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "type   precision  recall     F1   gold  predicted")?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &Counts| {
            writeln!(
                f,
                "{name:<6} {:>9.4} {:>7.4} {:>6.4} {:>6} {:>10}",
                c.precision(),
                c.recall(),
                c.f1(),
                c.true_pos + c.false_neg,
                c.true_pos + c.false_pos
            )
        };
        for (k, ty) in TYPES.iter().enumerate() {
            row(f, ty, &self.by_type[k])?;
        }
        row(f, "micro", &self.micro())
    }
}

/// Scores the tagger's predictions on annotated sentences.
pub fn evaluate(tagger: &Tagger, sentences: &[Sentence]) -> Scores {
    let mut scores = Scores::default();
    for (s, predicted) in sentences.iter().zip(tag_sentences(tagger, sentences)) {
        let gold: Vec<&str> = s.tags.iter().map(String::as_str).collect();
        scores.add(&gold, &predicted);
    }
    scores
}

/// Training examples, with the tagger's gazetteer features.
pub fn examples(tagger: &Tagger, sentences: &[Sentence]) -> Vec<Example> {
    sentences
        .iter()
        .map(|s| {
            let toks = tokens(s);
            let matches = tagger_matches(tagger, &toks);
            Example {
                gaz: tagger.gaz_tags(&toks, &matches),
                labels: s.tags.iter().map(|t| ner::label_index(t)).collect(),
                tokens: toks,
                memory: Vec::new(),
            }
        })
        .collect()
}

fn tagger_matches(tagger: &Tagger, toks: &[Token]) -> Vec<super::matcher::Match> {
    tagger.matcher().matches(toks)
}

/// Trains a model on all sentences.
pub fn train(tagger: &Tagger, sentences: &[Sentence], epochs: usize) -> Model {
    let all = examples(tagger, sentences);
    let refs: Vec<&Example> = all.iter().collect();
    train_examples(&refs, epochs, 0)
}

/// K-fold cross-validation over contiguous blocks of sentences (news
/// articles run over consecutive sentences, so random folds would leak
/// names between train and test). Returns the pooled scores, each fold's,
/// and every sentence's tags as predicted by the model that did not see it.
pub fn cross_validate(
    tagger: &Tagger,
    sentences: &[Sentence],
    folds: usize,
    epochs: usize,
    seed: u64,
) -> Result<CrossValidation> {
    if folds < 2 || folds > sentences.len() {
        bail!("cannot make {folds} folds of {} sentences", sentences.len());
    }
    let all = examples(tagger, sentences);
    let mut pooled = Scores::default();
    let mut each = Vec::new();
    let mut predicted = Vec::with_capacity(sentences.len());
    for k in 0..folds {
        let from = k * all.len() / folds;
        let to = (k + 1) * all.len() / folds;
        let train: Vec<&Example> = all[..from].iter().chain(&all[to..]).collect();
        let model = train_examples(&train, epochs, seed);
        let mut scores = Scores::default();
        let test: Vec<(&[Token], &[GazTag])> = all[from..to]
            .iter()
            .map(|ex| (&ex.tokens[..], &ex.gaz[..]))
            .collect();
        let labels = read_document(&model, &test);
        for (l, s) in labels.iter().zip(&sentences[from..to]) {
            let gold: Vec<&str> = s.tags.iter().map(String::as_str).collect();
            let tags = tag_names(l);
            scores.add(&gold, &tags);
            predicted.push(tags);
        }
        pooled.merge(&scores);
        each.push(scores);
    }
    Ok(CrossValidation {
        pooled,
        folds: each,
        predicted,
    })
}

/// What [`cross_validate`] measured.
pub struct CrossValidation {
    /// Scores over all folds.
    pub pooled: Scores,
    /// Each fold's scores.
    pub folds: Vec<Scores>,
    /// Each sentence's predicted tags, in input order.
    pub predicted: Vec<Vec<&'static str>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sentences_and_reports_bad_lines() {
        let s = read("قال O\nبوتين B-PERS\n\n\nفي O\n", "x").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags, ["O", "B-PERS"]);
        let err = read("a b NOTATAG\n", "f.conll").unwrap_err().to_string();
        assert!(err.contains("f.conll line 1"), "{err}");
        assert!(read("a X-Y\n", "f").is_err());
        assert!(read("a B-\n", "f").is_err());
        assert_eq!(read("كلمة\n", "f").unwrap()[0].tags, ["O"]);
    }

    #[test]
    fn reads_the_variants_conll_files_come_in() {
        // A byte-order mark, CRLF line ends, a POS column, IOBES tags.
        let s = read(
            "\u{feff}قال VBD O\r\nفلاديمير NNP B-PERS\r\nبوتين NNP E-PERS\r\nفي IN O\r\nموسكو NNP S-LOC\r\n",
            "f",
        )
        .unwrap();
        assert_eq!(s[0].tokens, ["قال", "فلاديمير", "بوتين", "في", "موسكو"]);
        assert_eq!(s[0].tags, ["O", "B-PERS", "I-PERS", "O", "B-LOC"]);
        let bilou = read("أ U-ORG\nب B-LOC\nج L-LOC\n", "f").unwrap();
        assert_eq!(bilou[0].tags, ["B-ORG", "B-LOC", "I-LOC"]);
        let named = read("أ B-PER\nب I-PER\nج B-LOCATION\nد B-MISC\n", "f").unwrap();
        assert_eq!(named[0].tags, ["B-PERS", "I-PERS", "B-LOC", "B-MISC"]);
    }

    #[test]
    fn two_readings_train_and_tag_a_document() {
        let tagger = Tagger::with_model(crate::entities::Gazetteer::builtin().unwrap(), None);
        let names = ["سمير", "كريم", "نادر", "فادي", "وليد", "رامي"];
        let mut text = String::new();
        for k in 0..30 {
            let name = names[k % names.len()];
            text.push_str(&format!(
                "قال O\n{name} B-PERS\nحداد I-PERS\nفي O\nبيروت B-LOC\n\n"
            ));
        }
        let sentences = read(&text, "test").unwrap();
        let model = train(&tagger, &sentences, 5);
        let all = examples(&tagger, &sentences);
        let doc: Vec<(&[Token], &[GazTag])> = all[..3]
            .iter()
            .map(|e| (&e.tokens[..], &e.gaz[..]))
            .collect();
        let labels = read_document(&model, &doc);
        for (l, e) in labels.iter().zip(&all) {
            assert_eq!(l, &e.labels);
        }
        // Cross-validation runs the same training and reading.
        let cv = cross_validate(&tagger, &sentences, 3, 5, 0).unwrap();
        assert!(cv.pooled.micro().f1() > 0.9, "{}", cv.pooled);
        assert_eq!(cv.predicted.len(), sentences.len());
        assert_eq!(cv.predicted[0].len(), sentences[0].tokens.len());
    }

    #[test]
    fn chunks_like_conlleval() {
        let c = chunks(&["B-PERS", "I-PERS", "O", "I-LOC", "I-LOC", "B-ORG", "I-LOC"]);
        assert_eq!(
            c,
            [
                (0, 2, "PERS".to_string()),
                (3, 5, "LOC".to_string()),
                (5, 6, "ORG".to_string()),
                (6, 7, "LOC".to_string())
            ]
        );
    }

    #[test]
    fn scores_exact_spans_and_ignore_misc() {
        let mut s = Scores::default();
        s.add(
            &["B-PERS", "I-PERS", "O", "B-LOC", "B-MISC"],
            &["B-PERS", "O", "O", "B-LOC", "O"],
        );
        assert_eq!(
            s.by_type[0],
            Counts {
                true_pos: 0,
                false_pos: 1,
                false_neg: 1
            }
        );
        assert_eq!(
            s.by_type[1],
            Counts {
                true_pos: 1,
                false_pos: 0,
                false_neg: 0
            }
        );
        assert_eq!(s.micro().true_pos, 1);
        assert!((s.by_type[1].f1() - 1.0).abs() < 1e-9);
    }
}
