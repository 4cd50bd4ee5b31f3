//! Questions: interrogatives, and the words that frame a question.
//!
//! The lists live in `data/analysis/questions.txt` (which also says why) and
//! are normalized when loaded, so they agree with
//! [`normalize`](super::normalize()) whatever spelling a query uses.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::normalize::normalize;

const QUESTIONS_TXT: &str = include_str!("../../data/analysis/questions.txt");

struct Questions {
    interrogatives: FxHashSet<String>,
    frames: FxHashSet<String>,
}

static QUESTIONS: LazyLock<Questions> = LazyLock::new(|| {
    let mut lists = Questions {
        interrogatives: FxHashSet::default(),
        frames: FxHashSet::default(),
    };
    let mut section = None;
    for line in QUESTIONS_TXT.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line {
            "[interrogatives]" => section = Some(&mut lists.interrogatives),
            "[frames]" => section = Some(&mut lists.frames),
            word => {
                if let Some(set) = section.as_deref_mut() {
                    set.insert(normalize(word));
                }
            }
        }
    }
    lists
});

/// True when `term` (a word as any analyzer emits it) asks a question.
pub fn is_interrogative(term: &str) -> bool {
    QUESTIONS.interrogatives.contains(&normalize(term))
}

/// True when `term` only frames a question (ما **اسم**، أين **تقع**).
pub fn is_question_frame(term: &str) -> bool {
    QUESTIONS.frames.contains(&normalize(term))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_loaded_and_normalized() {
        for w in ["ما", "متى", "متي", "اين", "أين", "بأي", "باي"] {
            assert!(is_interrogative(w), "{w}");
        }
        for w in ["اسم", "عدد", "نسبة", "نسبه", "تسمى", "تسمي", "يقع"] {
            assert!(is_question_frame(w), "{w}");
        }
        for w in ["بلجيكا", "عاصمة", "الحدود"] {
            assert!(!is_interrogative(w) && !is_question_frame(w), "{w}");
        }
        assert!(!is_question_frame("ما"));
    }
}
