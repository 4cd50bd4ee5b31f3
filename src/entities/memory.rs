//! Document memory: a name the model tags once keeps its type where the
//! same words come back untagged nearby (news repeat a name, often in a
//! shorter form: `جورج بوش` … `بوش`). The model reads one sentence at a time;
//! this pass reads the sentences around it.

use super::matcher::{FastMap, Token};
use super::ner::{self, bare};

/// Longest name, in words, that is looked for again.
const MAX_WORDS: usize = 4;

/// Entity spans of one sentence: (start, end, type), type 1 = PERS,
/// 2 = LOC, 3 = ORG, 4 = MISC (the label's `type_of`).
fn spans(labels: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        if labels[i] == 0 {
            i += 1;
            continue;
        }
        let ty = ner::type_of(labels[i]);
        let mut j = i + 1;
        while j < labels.len() && ner::is_inside(labels[j]) && ner::type_of(labels[j]) == ty {
            j += 1;
        }
        out.push((i, j, ty));
        i = j;
    }
    out
}

fn key(tokens: &[Token]) -> String {
    let mut k = String::new();
    for t in tokens {
        if !k.is_empty() {
            k.push(' ');
        }
        k.push_str(bare(&t.norm));
    }
    k
}

/// Tags again, in every sentence, untagged words that name what the model
/// tagged within `window` sentences before or after, when those tags agree
/// on one type. A person's last name alone counts as the person.
pub fn propagate(sentences: &[&[Token]], labels: &mut [Vec<usize>], window: usize) {
    // Names of each sentence: key → type.
    let names: Vec<Vec<(String, usize)>> = sentences
        .iter()
        .zip(labels.iter())
        .map(|(tokens, labels)| {
            let mut out = Vec::new();
            for (s, e, ty) in spans(labels) {
                if !tokens[s..e].iter().all(|t| t.word) || e - s > MAX_WORDS {
                    continue;
                }
                out.push((key(&tokens[s..e]), ty));
                if ty == 1 && e - s >= 2 && bare(&tokens[e - 1].norm).chars().count() >= 3 {
                    out.push((key(&tokens[e - 1..e]), ty));
                }
            }
            out
        })
        .collect();
    let mut additions: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (k, tokens) in sentences.iter().enumerate() {
        let from = k.saturating_sub(window);
        let to = (k + window + 1).min(sentences.len());
        let mut known: FastMap<&str, usize> = FastMap::default();
        let mut conflict: Vec<&str> = Vec::new();
        for (name, ty) in names[from..to].iter().flatten() {
            match known.get(name.as_str()) {
                Some(t) if t != ty => conflict.push(name),
                Some(_) => {}
                None => {
                    known.insert(name, *ty);
                }
            }
        }
        for c in conflict {
            known.remove(c);
        }
        if known.is_empty() {
            continue;
        }
        let l = &labels[k];
        let mut i = 0;
        while i < tokens.len() {
            let mut hit = None;
            for n in (1..=MAX_WORDS.min(tokens.len() - i)).rev() {
                let span = &tokens[i..i + n];
                if !span.iter().all(|t| t.word) || l[i..i + n].iter().any(|&x| x != 0) {
                    continue;
                }
                if let Some(&ty) = known.get(key(span).as_str()) {
                    hit = Some((n, ty));
                    break;
                }
            }
            match hit {
                Some((n, ty)) if ty != 4 => {
                    additions.push((k, i, i + n, ty));
                    i += n;
                }
                Some((n, _)) => i += n,
                None => i += 1,
            }
        }
    }
    for (k, s, e, ty) in additions {
        // B-X is 2·type − 1, I-X is 2·type.
        labels[k][s] = 2 * ty - 1;
        for x in &mut labels[k][s + 1..e] {
            *x = 2 * ty;
        }
    }
}

/// What a first reading says of each word of every sentence, from the
/// labels it gave: in the low three bits, what the other sentences within
/// `window` say (0 nothing, 1–4 the type, PERS, LOC, ORG, MISC, of every
/// name the word's bare form was part of, 5 names of several types); above
/// them, the word's own label in its sentence (its index in
/// [`ner::LABELS`]), so that the second reading sees the names found around
/// a word (`بوش وشارون وبلير واولمرت`). The model's second reading takes
/// these as features.
pub fn codes(sentences: &[&[Token]], labels: &[Vec<usize>], window: usize) -> Vec<Vec<u8>> {
    // Per sentence: (bare word, type) of every word of every name.
    let named: Vec<Vec<(&str, u8)>> = sentences
        .iter()
        .zip(labels)
        .map(|(tokens, labels)| {
            let mut out = Vec::new();
            for (s, e, ty) in spans(labels) {
                for t in &tokens[s..e] {
                    if t.word {
                        out.push((bare(&t.norm), ty as u8));
                    }
                }
            }
            out
        })
        .collect();
    sentences
        .iter()
        .enumerate()
        .map(|(k, tokens)| {
            let from = k.saturating_sub(window);
            let to = (k + window + 1).min(sentences.len());
            let mut seen: FastMap<&str, u8> = FastMap::default();
            for (j, names) in named[from..to].iter().enumerate() {
                if from + j == k {
                    continue;
                }
                for &(w, ty) in names {
                    seen.entry(w)
                        .and_modify(|t| {
                            if *t != ty {
                                *t = 5
                            }
                        })
                        .or_insert(ty);
                }
            }
            tokens
                .iter()
                .zip(&labels[k])
                .map(|(t, &own)| {
                    let other = if t.word {
                        seen.get(bare(&t.norm)).copied().unwrap_or(0)
                    } else {
                        0
                    };
                    other | (own as u8) << 3
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::matcher::conll_token;
    use crate::entities::ner::label_index;

    fn toks(words: &str) -> Vec<Token> {
        words.split(' ').map(conll_token).collect()
    }

    #[test]
    fn a_surname_and_a_place_keep_their_type() {
        let a = toks("قال جورج بوش إن العراق");
        let b = toks("واضاف بوش ان العراق");
        let c = toks("بوش في العراق");
        let l = |s: &str| label_index(s);
        let mut labels = vec![
            vec![0, l("B-PERS"), l("I-PERS"), 0, l("B-LOC")],
            vec![0, 0, 0, 0],
            vec![0, 0, 0],
        ];
        propagate(&[&a, &b, &c], &mut labels, 1);
        assert_eq!(labels[1], [0, l("B-PERS"), 0, l("B-LOC")]);
        // Sentence 2 is two sentences away from the name.
        assert_eq!(labels[2], [0, 0, 0]);
    }

    #[test]
    fn codes_say_what_other_sentences_named() {
        let a = toks("قال جورج بوش");
        let b = toks("بوش في عمان");
        let c = toks("عمان");
        let l = |s: &str| label_index(s);
        let labels = vec![
            vec![0, l("B-PERS"), l("I-PERS")],
            vec![l("B-LOC"), 0, l("B-LOC")],
            vec![l("B-PERS")],
        ];
        let codes = codes(&[&a, &b, &c], &labels, 1);
        let other = |c: &[u8]| c.iter().map(|x| x & 7).collect::<Vec<u8>>();
        let own = |c: &[u8]| c.iter().map(|x| (x >> 3) as usize).collect::<Vec<_>>();
        // Sentence 0 hears from sentence 1 only: بوش was a place there.
        assert_eq!(other(&codes[0]), [0, 0, 2]);
        // Sentence 1 hears from 0 and 2: بوش a person, عمان a person.
        assert_eq!(other(&codes[1]), [1, 0, 1]);
        assert_eq!(other(&codes[2]), [2]);
        // Each word also carries its own label.
        for (c, l) in codes.iter().zip(&labels) {
            assert_eq!(&own(c), l);
        }
    }

    #[test]
    fn conflicting_types_are_left_alone() {
        let a = toks("زار عمان");
        let b = toks("قال عمان");
        let c = toks("في عمان");
        let l = |s: &str| label_index(s);
        let mut labels = vec![vec![0, l("B-LOC")], vec![0, l("B-PERS")], vec![0, 0]];
        propagate(&[&a, &b, &c], &mut labels, 2);
        assert_eq!(labels[2], [0, 0]);
    }
}
