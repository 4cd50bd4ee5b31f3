//! A quick no for most words a set does not hold.
//!
//! The tagger looks every word of a text up in a few sets (the first words
//! of gazetteer names, with and without a proclitic; titles), and nearly all
//! of those lookups fail. A bit per fingerprint of the set's words (length,
//! first and last bytes) answers most of them from a few kilobytes, without
//! hashing the whole word; only a word whose fingerprint is set goes on to
//! the set itself. A fingerprint never says no to a word the set holds.

/// The fingerprints of a set of words.
#[derive(Debug, Clone)]
pub struct Fingerprints {
    bits: Box<[u64]>,
    /// Fingerprints are taken modulo `bits.len() * 64`, a power of two.
    mask: usize,
}

impl Fingerprints {
    /// Room for about `words` words, with most bits left clear.
    pub fn with_capacity(words: usize) -> Fingerprints {
        let slots = (words.max(64) * 32).next_power_of_two();
        Fingerprints {
            bits: vec![0; slots / 64].into_boxed_slice(),
            mask: slots - 1,
        }
    }

    pub fn insert(&mut self, word: &str) {
        let f = self.fingerprint("", word);
        self.bits[f / 64] |= 1 << (f % 64);
    }

    /// False when the set surely does not hold `word`.
    #[inline]
    pub fn may_contain(&self, word: &str) -> bool {
        self.may_contain_joined("", word)
    }

    /// False when the set surely does not hold `prefix` followed by `rest`
    /// (asked without joining them).
    #[inline]
    pub fn may_contain_joined(&self, prefix: &str, rest: &str) -> bool {
        let f = self.fingerprint(prefix, rest);
        self.bits[f / 64] & (1 << (f % 64)) != 0
    }

    /// Of `prefix` + `rest`: its length and its first and last eight bytes
    /// (or all of it, when shorter): most words a set is asked for have the
    /// length and the outer letters of one of its words, rarely all of them.
    #[inline]
    fn fingerprint(&self, prefix: &str, rest: &str) -> usize {
        let (p, r) = (prefix.as_bytes(), rest.as_bytes());
        let len = p.len() + r.len();
        let eight = |b: &[u8]| u64::from_le_bytes(b[..8].try_into().unwrap());
        let four = |b: &[u8]| u32::from_le_bytes(b[..4].try_into().unwrap()) as u64;
        let (first, last) = match (p.len(), r.len()) {
            // The usual cases: a word, or `ال` and a word.
            (0, n) if n >= 8 => (eight(r), eight(&r[n - 8..])),
            (4, n) if n >= 8 => (four(p) | four(r) << 32, eight(&r[n - 8..])),
            _ => {
                let byte = |j: usize| (if j < p.len() { p[j] } else { r[j - p.len()] }) as u64;
                let n = len.min(8);
                let (mut first, mut last) = (0, 0);
                for j in 0..n {
                    first |= byte(j) << (8 * j);
                    last |= byte(len - n + j) << (8 * j);
                }
                (first, last)
            }
        };
        let mixed = (first.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ last)
            .wrapping_add(len as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> 32) as usize & self.mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_says_no_to_a_word_it_holds() {
        let words = ["الولايات", "روسيا", "و", "a", "ab", "abcdefgh", "الرئيس"];
        let mut f = Fingerprints::with_capacity(words.len());
        for w in words {
            f.insert(w);
        }
        for w in words {
            assert!(f.may_contain(w), "{w}");
        }
        assert!(f.may_contain_joined("ال", "ولايات"));
        assert!(f.may_contain_joined("", "روسيا"));
        assert!(f.may_contain_joined("ab", "cdefgh"));
        assert!(f.may_contain_joined("abcd", "efgh"));
        assert!(f.may_contain_joined("abcdef", "gh"));
        assert!(f.may_contain_joined("a", "b"));
    }

    #[test]
    fn says_no_to_most_other_words() {
        let mut f = Fingerprints::with_capacity(1000);
        for k in 0..1000 {
            f.insert(&format!("كلمة{k}"));
        }
        let maybe = (0..10_000)
            .filter(|k| f.may_contain(&format!("غيرها{k}")))
            .count();
        assert!(maybe < 2_000, "{maybe} of 10000");
    }
}
