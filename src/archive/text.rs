//! Plain text: the whole file is one article.

use std::path::Path;

use super::input::{too_long, ReadOutcome};
use super::{date, extension, Article, Format, Input, Problem, Record, RecordError};

/// Reader for `.txt` files that are not TREC documents.
pub struct PlainText;

/// A first line at most this long, followed by more text, is taken as the title.
const MAX_TITLE_CHARS: usize = 150;

impl Format for PlainText {
    fn name(&self) -> &'static str {
        "text"
    }

    fn accepts(&self, path: &Path, _head: &str) -> bool {
        matches!(extension(path).as_str(), "txt" | "text")
    }

    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record)) {
        let mut text = String::new();
        match input.read_all(&mut text) {
            Err(e) => {
                return emit(Err(RecordError::new(
                    1,
                    Problem::Truncated,
                    format!("cannot read the file: {e}"),
                )))
            }
            Ok(ReadOutcome::TooLong(bytes)) => {
                return emit(Err(RecordError::new(
                    1,
                    Problem::TooLarge,
                    too_long("text file", bytes, input.max_record()),
                )))
            }
            Ok(_) => {}
        }
        emit(article_from_text(&text, input.rel_path));
    }
}

fn article_from_text(text: &str, rel_path: &str) -> Record {
    let text = text.trim();
    if text.is_empty() {
        return Err(RecordError::new(1, Problem::Empty, "empty file (no text)"));
    }
    // A dateline first (`4 مارس 2019`, `2019-03-04`) is the date, not the
    // title: the title is the short line after it.
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let (dateline, text) = match date::line_date(first) {
        Some(date) if !rest.trim().is_empty() => (Some(date), rest.trim()),
        _ => (None, text),
    };
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let title = (!rest.trim().is_empty()
        && first.chars().count() <= MAX_TITLE_CHARS
        && !first.trim_end().ends_with(['.', '،', ':', '؛']))
    .then(|| first.trim().to_string());
    let body = match &title {
        Some(_) => rest.trim(),
        None => text,
    };
    Ok(Article {
        id: rel_path.to_string(),
        title,
        body: body.to_string(),
        date: dateline.or_else(|| date::find_in_text(body)),
        path: rel_path.to_string(),
        record: 1,
        ..Article::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::test_support::{read_with, read_with_cap};

    fn read(text: &str) -> Vec<Record> {
        read_with(&PlainText, "seed/a.txt", text.as_bytes())
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
    fn a_dateline_first_is_the_date_and_the_next_line_the_title() {
        for (dateline, expected) in [
            ("4 مارس 2019", "2019-03-04T00:00:00Z"),
            ("2019-03-04", "2019-03-04T00:00:00Z"),
            ("الثلاثاء 13 سبتمبر/أيلول 2022", "2022-09-13T00:00:00Z"),
        ] {
            let text = format!("{dateline}\nعنوان الخبر\nنص الخبر، وفيه تاريخ آخر 1 يناير 2020.");
            let a = read(&text).remove(0).unwrap();
            assert_eq!(a.title.as_deref(), Some("عنوان الخبر"), "{dateline}");
            assert_eq!(date::format(a.date.unwrap()), expected, "{dateline}");
            assert_eq!(a.body, "نص الخبر، وفيه تاريخ آخر 1 يناير 2020.");
        }
        // A title that holds a date is still the title.
        let a = read("قمة الرياض في 4 مارس 2019 تبحث الأزمة\nنص الخبر.")
            .remove(0)
            .unwrap();
        assert_eq!(
            a.title.as_deref(),
            Some("قمة الرياض في 4 مارس 2019 تبحث الأزمة")
        );
        // A dateline and a single line: the line is the body.
        let a = read("4 مارس 2019\nنص الخبر وحده.").remove(0).unwrap();
        assert_eq!(a.title, None);
        assert_eq!(a.body, "نص الخبر وحده.");
        assert_eq!(date::format(a.date.unwrap()), "2019-03-04T00:00:00Z");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(read("  \n").remove(0).is_err());
    }

    #[test]
    fn a_file_over_the_cap_is_skipped() {
        let records = read_with_cap(&PlainText, "big.txt", "نص ".repeat(1000).as_bytes(), 100);
        assert_eq!(records[0].as_ref().unwrap_err().kind, Problem::TooLarge);
    }
}
