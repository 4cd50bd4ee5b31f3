//! Markup inside the fields of SGML documents.
//!
//! Gigaword, TREC-2001 and CLEF wrap each paragraph of a `<TEXT>` in `<P>`,
//! and scraped collections leave HTML in it; indexed as it is, the tags
//! show in snippets and match searches for `p`. Only what looks like a tag
//! is taken out (`<` and a Latin letter, or `</` and one), so the angle
//! brackets of running text (`<ب>`, `a < b`) stay.

use std::borrow::Cow;

/// Tags longer than this are taken for text.
const MAX_TAG_BYTES: usize = 512;

/// Stands for a paragraph break between the tags' removal and the tidying
/// of the paragraphs.
const BREAK: char = '\u{2029}';

/// `text` without its tags, as it would read: inline elements (`<b>`,
/// `<a href>`, …) and comments vanish; any other tag (`<P>`, `<BR>`,
/// `<DIV>`) ends a paragraph, and then each paragraph comes out on one
/// line, its hard line breaks and runs of spaces made one space. Text
/// without tags comes back as it is.
pub fn strip_tags(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut last = 0;
    let mut found = false;
    let mut blocks = false;
    for (at, _) in text.match_indices('<') {
        if at < last {
            continue;
        }
        let Some((len, inline)) = tag_at(&text[at..]) else {
            continue;
        };
        found = true;
        out.push_str(&text[last..at]);
        if !inline {
            out.push(BREAK);
            blocks = true;
        }
        last = at + len;
    }
    if !found {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    if !blocks {
        return Cow::Owned(out);
    }
    let paragraphs: Vec<String> = out
        .split(BREAK)
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    Cow::Owned(paragraphs.join("\n"))
}

/// The length of the tag or comment `text` starts with, and whether it is
/// inline (removed without a break).
fn tag_at(text: &str) -> Option<(usize, bool)> {
    if let Some(comment) = text.strip_prefix("<!--") {
        return comment.find("-->").map(|end| (4 + end + 3, true));
    }
    let bytes = text.as_bytes();
    let start = if bytes.get(1) == Some(&b'/') { 2 } else { 1 };
    if !bytes.get(start)?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = bytes[start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.')))?;
    let name = &text[start..start + name_len];
    let after = start + name_len;
    if !matches!(bytes[after], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') {
        return None;
    }
    let window = &bytes[after..bytes.len().min(after + MAX_TAG_BYTES)];
    let end = window.iter().position(|&b| b == b'>' || b == b'<')?;
    (window[end] == b'>').then(|| (after + end + 1, is_inline(name)))
}

/// HTML elements that sit inside a line of text.
fn is_inline(name: &str) -> bool {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "mark", "nobr", "q", "s",
        "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "wbr",
    ];
    INLINE.iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// The value of attribute `name` in an opening tag (`<DOC id="X" type=…>`),
/// quoted or not.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let inner = tag.strip_prefix('<')?;
    let inner = inner
        .strip_suffix('>')
        .unwrap_or(inner)
        .trim_end_matches('/');
    // Past the element's name.
    let mut rest = inner.trim_start();
    rest = &rest[rest.find(char::is_whitespace)?..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let after = after.trim_start();
                let (value, next) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                        (&after[1..close], &after[(close + 1).min(after.len())..])
                    }
                    _ => {
                        let end = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                rest = next;
                value
            }
            None => "",
        };
        if key.eq_ignore_ascii_case(name) {
            return super::non_empty(value);
        }
    }
}

/// A text field's reading text: tags stripped, entities decoded, trimmed;
/// borrowed when the text has neither (most article text).
pub fn text_of(markup: &str) -> Cow<'_, str> {
    match strip_tags(markup) {
        Cow::Borrowed(text) => unescape(text.trim()),
        Cow::Owned(text) => Cow::Owned(unescape(text.trim()).into_owned()),
    }
}

/// Decodes the XML character entities that appear in news collections
/// (and the HTML ones scraped text keeps).
pub fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity_end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = entity_end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                // HTML's, left in collections scraped from the web.
                "hellip" => Some('…'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "zwnj" => Some('\u{200C}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_tags_become_line_breaks() {
        let text = "\n<P>\nفقرة أولى\nتكملة السطر\n</P>\n<P>\nفقرة <b>ثانية</b><br/>سطر\n</P>\n";
        assert_eq!(strip_tags(text), "فقرة أولى تكملة السطر\nفقرة ثانية\nسطر");
    }

    #[test]
    fn text_without_tags_is_untouched() {
        let text = "نص\n\nمع أسطر  فارغة و <ب> و a < b و x<3";
        assert!(matches!(strip_tags(text), Cow::Borrowed(t) if t == text));
        assert_eq!(strip_tags("نص <i>مائل</i> هنا"), "نص مائل هنا");
        assert_eq!(strip_tags("أ<!-- تعليق -->ب"), "أب");
        // An unclosed `<` is text.
        assert_eq!(strip_tags("a <p class= b"), "a <p class= b");
    }

    #[test]
    fn attributes_quoted_or_not() {
        let tag = "<DOC id=\"AFP_ARB_20010101.0001\" type=\"story\" >";
        assert_eq!(
            attribute(tag, "id").as_deref(),
            Some("AFP_ARB_20010101.0001")
        );
        assert_eq!(attribute(tag, "TYPE").as_deref(), Some("story"));
        assert_eq!(
            attribute("<DOC ID=x7 lang='ar'>", "id").as_deref(),
            Some("x7")
        );
        assert_eq!(attribute("<DOC lang='ar'>", "lang").as_deref(), Some("ar"));
        assert_eq!(attribute("<DOC>", "id"), None);
        assert_eq!(attribute("<DOC data-id=\"1\">", "id"), None);
        assert_eq!(attribute("<DOC id=\"\">", "id"), None);
    }
}
