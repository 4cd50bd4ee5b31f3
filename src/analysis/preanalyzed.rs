//! Analysis done once per text, ahead of the index writer.
//!
//! The derived fields (light stems, name skeletons, the lead, Snowball
//! stems) all start from the words of the same title or body. Each analyzer
//! of [`super`] tokenizes and normalizes that text again; here it is
//! tokenized once, and every form of a word comes from one entry of the
//! thread's cache ([`Forms`]). This runs on the threads that read and tag
//! articles. Each field's terms travel to the index writer as one string:
//! the terms in word order, each followed by [`SEP`], with an empty term
//! where the analyzer drops a word so positions stay aligned. The writer's
//! tokenizer for these analyzers ([`Replay`], see
//! [`super::register_for_writing`]) reads them back.
//!
//! A text that was tokenized already (for tagging) gives its terms
//! directly ([`Preanalyzer::analyze_terms`]).
//!
//! The analyzers of [`super`] remain the definition used for queries and
//! snippets; the tests check that both paths give the same terms and
//! positions.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::filter::Forms;
use super::stem::SnowballStem;
use super::{
    LightStem, NameSkeleton, WordTokenizer, ARABIC_LEAD, ARABIC_LIGHT, ARABIC_NAME, ARABIC_STEM,
    LEAD_WORDS,
};

/// Ends each term. A control character: UAX #29 never puts one inside a
/// word, so no term contains it.
pub const SEP: char = '\u{1F}';

/// The analyzers whose terms are computed ahead of the writer, in the order
/// of [`Analyzed`]'s strings.
pub const AHEAD: [&str; 4] = [ARABIC_LIGHT, ARABIC_NAME, ARABIC_LEAD, ARABIC_STEM];

/// Which of [`AHEAD`] an analyzer is.
pub fn ahead(analyzer: &str) -> Option<usize> {
    AHEAD.iter().position(|&a| a == analyzer)
}

/// The encoded terms of one text, one string per analyzer of [`AHEAD`].
#[derive(Debug, Default)]
pub struct Analyzed {
    pub terms: [String; 4],
}

impl Analyzed {
    /// The encoded terms of the analyzer at `slot` of [`AHEAD`].
    pub fn get(&self, slot: usize) -> &str {
        &self.terms[slot]
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.terms.iter().map(String::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Analyzes texts for the analyzers of [`AHEAD`] in one pass each.
#[derive(Clone)]
pub struct Preanalyzer {
    tokenizer: WordTokenizer,
    scratch: String,
}

impl Default for Preanalyzer {
    fn default() -> Preanalyzer {
        Preanalyzer {
            tokenizer: WordTokenizer::without_memo(),
            scratch: String::new(),
        }
    }
}

impl Preanalyzer {
    /// Writes the encoded terms of `text` into `out`, for the analyzers of
    /// [`AHEAD`] whose slot is set in `wanted` (the others are left empty).
    pub fn analyze(&mut self, text: &str, wanted: [bool; 4], out: &mut Analyzed) {
        let mut pass = Pass::new(wanted, out, &mut self.scratch);
        let mut stream = self.tokenizer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            debug_assert_eq!(token.position, pass.position, "positions are consecutive");
            pass.term(&token.text);
        }
    }

    /// As [`Preanalyzer::analyze`], from the terms [`WordTokenizer`] makes
    /// of a text, already at hand (a text tokenized once for tagging too).
    /// The cache lines of all the terms are requested first, so that their
    /// lookups need not each wait on memory in turn.
    pub fn analyze_terms<'t, I>(&mut self, terms: I, wanted: [bool; 4], out: &mut Analyzed)
    where
        I: IntoIterator<Item = &'t str>,
        I::IntoIter: Clone,
    {
        let terms = terms.into_iter();
        let mut pass = Pass::new(wanted, out, &mut self.scratch);
        for term in terms.clone() {
            pass.forms.prefetch(term);
        }
        for term in terms {
            pass.term(term);
        }
    }
}

/// One text's analysis: each term in turn goes to every wanted analyzer.
struct Pass<'a> {
    forms: Forms,
    wanted: [bool; 4],
    out: &'a mut Analyzed,
    scratch: &'a mut String,
    /// The position of the next term.
    position: usize,
}

impl<'a> Pass<'a> {
    fn new(wanted: [bool; 4], out: &'a mut Analyzed, scratch: &'a mut String) -> Pass<'a> {
        for terms in &mut out.terms {
            terms.clear();
        }
        Pass {
            forms: Forms::take(),
            wanted,
            out,
            scratch,
            position: 0,
        }
    }

    #[inline]
    fn term(&mut self, term: &str) {
        let [want_light, want_name, want_lead, want_stem] = self.wanted;
        let [light, name, lead, stem] = &mut self.out.terms;
        let mut entry = self.forms.entry(term);
        let in_lead = want_lead && self.position < LEAD_WORDS;
        if want_light || in_lead {
            let start = light.len();
            entry.push(&LightStem, light, self.scratch);
            if in_lead {
                lead.push_str(&light[start..]);
                lead.push(SEP);
            }
            if want_light {
                light.push(SEP);
            } else {
                light.truncate(start);
            }
        }
        if want_name {
            entry.push(&NameSkeleton, name, self.scratch);
            name.push(SEP);
        }
        if want_stem {
            entry.push(&SnowballStem, stem, self.scratch);
            stem.push(SEP);
        }
        self.position += 1;
    }
}

/// The index writer's tokenizer for an analyzer of [`AHEAD`]: reads back
/// the terms that [`Preanalyzer`] wrote.
#[derive(Clone, Default)]
pub struct Replay {
    token: Token,
}

impl Tokenizer for Replay {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayStream<'a> {
        self.token.reset();
        ReplayStream {
            rest: text,
            next: 0,
            token: &mut self.token,
        }
    }
}

/// The terms of one encoded text.
pub struct ReplayStream<'a> {
    rest: &'a str,
    /// The position of the next term.
    next: usize,
    token: &'a mut Token,
}

impl TokenStream for ReplayStream<'_> {
    fn advance(&mut self) -> bool {
        while !self.rest.is_empty() {
            let end = memchr::memchr(SEP as u8, self.rest.as_bytes()).unwrap_or(self.rest.len());
            let term = &self.rest[..end];
            self.rest = self.rest.get(end + 1..).unwrap_or("");
            let position = self.next;
            self.next += 1;
            if term.is_empty() {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(term);
            self.token.position = position;
            self.token.position_length = 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replayed(encoded: &str) -> Vec<(String, usize)> {
        let mut replay = Replay::default();
        let mut stream = replay.token_stream(encoded);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    fn analyzed(analyzer: &str, text: &str) -> Vec<(String, usize)> {
        let mut analyzer = super::super::by_name(analyzer).expect("known analyzer");
        super::super::tokens(&mut analyzer, text)
            .into_iter()
            .map(|t| (t.term, t.position))
            .collect()
    }

    /// Both paths agree, whatever else is wanted in the same pass.
    #[test]
    fn same_terms_and_positions_as_the_analyzers() {
        let text = "قال الرئيس الروسي فلاديمير بوتين على هامش القمة إن بطائرات «بايراكتار» \
                    التركية، ووزارة الدفاع. TB2 ١٢٫٥ "
            .repeat(8);
        let mut pre = Preanalyzer::default();
        for wanted in [
            [true; 4],
            [true, false, false, false],
            [false, true, true, false],
        ] {
            let mut out = Analyzed::default();
            pre.analyze(&text, wanted, &mut out);
            for (slot, name) in AHEAD.iter().enumerate() {
                if wanted[slot] {
                    assert_eq!(replayed(out.get(slot)), analyzed(name, &text), "{name}");
                } else {
                    assert!(out.get(slot).is_empty());
                }
            }
        }
    }

    #[test]
    fn terms_at_hand_are_analyzed_like_the_text() {
        let text = "قال الرئيس على هامش القمة إن «بايراكتار» التركية TB2 ".repeat(20);
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(&text);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(stream.token().text.clone());
        }
        let mut pre = Preanalyzer::default();
        let (mut from_text, mut from_terms) = (Analyzed::default(), Analyzed::default());
        pre.analyze(&text, [true; 4], &mut from_text);
        pre.analyze_terms(terms.iter().map(String::as_str), [true; 4], &mut from_terms);
        assert!(from_text.len() > text.len());
        assert_eq!(from_text.terms, from_terms.terms);
    }

    #[test]
    fn dropped_words_keep_their_positions() {
        assert_eq!(
            replayed("a\u{1F}\u{1F}\u{1F}b\u{1F}"),
            [("a".to_string(), 0), ("b".to_string(), 3)]
        );
        assert!(replayed("").is_empty());
    }
}
