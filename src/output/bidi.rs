//! Bidirectional text for terminals and editors.
//!
//! Text is always printed in logical order. Inside right-to-left (Arabic)
//! text, each left-to-right run (a Latin name, `TB2`, a URL) is wrapped in
//! Unicode directional isolates (LRI … PDI), and the whole line in a
//! first-strong isolate (FSI … PDI), so that a bidi-aware terminal or editor
//! neither reorders the runs across each other nor lets them leak into the
//! neighbouring fields of the line.

const LRI: char = '\u{2066}';
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, and their
/// presentation forms.
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_strong_ltr(c: char) -> bool {
    c.is_alphabetic() && !is_rtl(c)
}

/// Characters that may sit inside a left-to-right run without ending it.
fn continues_ltr(c: char) -> bool {
    is_strong_ltr(c)
        || c.is_ascii_digit()
        || matches!(
            c,
            ' ' | '-' | '.' | ',' | ':' | '/' | '\'' | '&' | '_' | '+'
        )
}

/// `text` with left-to-right runs isolated, the whole in an FSI; unchanged
/// when it has no right-to-left letters.
pub fn isolate(text: &str) -> String {
    if !text.chars().any(is_rtl) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    out.push(FSI);
    let mut i = 0;
    while i < chars.len() {
        if !is_strong_ltr(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i; // exclusive end of the run, after its last strong/digit char
        while i < chars.len() && continues_ltr(chars[i]) {
            if is_strong_ltr(chars[i]) || chars[i].is_ascii_digit() {
                end = i + 1;
            }
            i += 1;
        }
        out.push(LRI);
        out.extend(&chars[start..end]);
        out.push(PDI);
        out.extend(&chars[end..i]);
    }
    out.push(PDI);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_runs_inside_arabic_are_isolated() {
        assert_eq!(
            isolate("طائرات Bayraktar TB2 المسيرة"),
            "\u{2068}طائرات \u{2066}Bayraktar TB2\u{2069} المسيرة\u{2069}"
        );
    }

    #[test]
    fn pure_latin_is_unchanged() {
        assert_eq!(isolate("score 4.69"), "score 4.69");
    }

    #[test]
    fn logical_order_is_kept() {
        let text = "قال CNN إن";
        let out: String = isolate(text)
            .chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect();
        assert_eq!(out, text);
    }
}
