//! Plain text: the whole file is one article.

use std::path::Path;

use super::{date, extension, Article, Format, RecordError, Records, SourceFile};

/// Reader for `.txt` files that are not TREC documents.
pub struct PlainText;

/// A first line at most this long, followed by more text, is taken as the title.
const MAX_TITLE_CHARS: usize = 150;

impl Format for PlainText {
    fn name(&self) -> &'static str {
        "text"
    }

    fn accepts(&self, path: &Path, _head: &str) -> bool {
        extension(path) == "txt"
    }

    fn read(&self, file: &SourceFile) -> Records {
        let text = file.text.trim();
        if text.is_empty() {
            return vec![Err(RecordError {
                record: 1,
                reason: "empty file (no text)".into(),
            })];
        }
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let title = (!rest.trim().is_empty()
            && first.chars().count() <= MAX_TITLE_CHARS
            && !first.trim_end().ends_with(['.', '،', ':', '؛']))
        .then(|| first.trim().to_string());
        let body = match &title {
            Some(_) => rest.trim(),
            None => text,
        };
        vec![Ok(Article {
            id: file.rel_path.to_string(),
            title,
            body: body.to_string(),
            date: date::find_in_text(body),
            path: file.rel_path.to_string(),
            ..Article::default()
        })]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Records {
        PlainText.read(&SourceFile {
            rel_path: "seed/a.txt",
            text,
        })
    }

    #[test]
    fn whole_file_is_the_body_and_id_is_the_path() {
        let text = "قال الرئيس الروسي فلاديمير بوتين، الثلاثاء 13 سبتمبر/أيلول 2022، إنه يسعى إلى إنهاء القتال بين أرمينيا وأذربيجان بعد اشتباكات حدودية قتلت جنوداً من الطرفين في ليلة طويلة.\nفقرة ثانية.";
        let a = read(text).remove(0).unwrap();
        assert_eq!(a.id, "seed/a.txt");
        assert_eq!(a.title, None);
        assert_eq!(a.body, text);
        assert_eq!(date::format(a.date.unwrap()), "2022-09-13T00:00:00Z");
    }

    #[test]
    fn short_first_line_is_a_title() {
        let a = read("عنوان قصير\nالنص هنا.").remove(0).unwrap();
        assert_eq!(a.title.as_deref(), Some("عنوان قصير"));
        assert_eq!(a.body, "النص هنا.");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(read("  \n").remove(0).is_err());
    }
}
