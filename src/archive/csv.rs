//! CSV and TSV with a header row: each row is an article, its columns named
//! by the header and mapped to article fields like JSON keys.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::path::Path;

use super::{extension, Field, FieldMap, Format, Input, Problem, Record, RecordError, Warning};

/// Reader for `.csv`, `.tsv` and `.tab` files.
pub struct Csv;

impl Format for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn accepts(&self, path: &Path, head: &str) -> bool {
        match extension(path).as_str() {
            "csv" | "tsv" | "tab" => true,
            "" | "txt" => looks_like_header(head),
            _ => false,
        }
    }

    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record)) {
        let cap = input.max_record() as u64;
        let rel_path = input.rel_path;
        let fields = input.options.fields.clone();
        let tsv_name = matches!(extension(Path::new(rel_path)).as_str(), "tsv" | "tab");
        // Peek at the header line to choose the delimiter.
        let delimiter = match input.raw().fill_buf() {
            Ok(buf) => {
                let end = memchr::memchr(b'\n', buf).unwrap_or(buf.len());
                delimiter_of(&String::from_utf8_lossy(&buf[..end]), tsv_name)
            }
            Err(e) => {
                return emit(Err(RecordError::new(
                    1,
                    Problem::Truncated,
                    format!("cannot read the header row: {e}"),
                )))
            }
        };
        let since_record = Cell::new(0u64);
        let capped = Capped {
            inner: input.raw(),
            since_record: &since_record,
            cap,
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(capped);
        let header: Vec<String> = match reader.byte_headers() {
            Ok(h) => h
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect(),
            Err(e) => {
                return emit(Err(RecordError::new(
                    1,
                    Problem::Malformed,
                    format!("cannot read the header row: {e}"),
                )))
            }
        };
        let columns = Columns::new(&header, &fields);
        if columns.text.is_empty() {
            return emit(Err(RecordError::new(
                1,
                Problem::NoText,
                format!(
                    "the header row ({}) names no text or title column; {}",
                    header.join(", "),
                    fields.describe_text_fields()
                ),
            )));
        }
        let mut row = csv::ByteRecord::new();
        let mut number = 0;
        loop {
            number += 1;
            since_record.set(0);
            match reader.read_byte_record(&mut row) {
                Ok(false) => {
                    if number == 1 {
                        emit(Err(RecordError::new(
                            1,
                            Problem::Empty,
                            "no records: the file has a header row only",
                        )));
                    }
                    break;
                }
                Ok(true) => {
                    let mut record = columns.article(&row, number, rel_path);
                    if let Ok(article) = &mut record {
                        article
                            .warnings
                            .extend(row_warnings(&row, header.len(), delimiter));
                    }
                    emit(record)
                }
                Err(e) => {
                    let (kind, reason) = match e.kind() {
                        csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::OutOfMemory => (
                            Problem::TooLarge,
                            format!(
                                "row over the {} limit for one record; the rest of the file was skipped (a larger --memory-mb raises the limit)",
                                super::input::human_bytes(cap)
                            ),
                        ),
                        csv::ErrorKind::Io(io) => (
                            Problem::Truncated,
                            format!("cannot read past row {}: {io}", number - 1),
                        ),
                        _ => (Problem::Malformed, format!("bad row: {e}")),
                    };
                    let fatal = kind != Problem::Malformed;
                    emit(Err(RecordError::new(number, kind, reason)));
                    if fatal {
                        return;
                    }
                }
            }
        }
    }
}

/// Column indexes of each article field.
struct Columns<'f> {
    header: Vec<String>,
    fields: &'f FieldMap,
    /// Indexes of the columns that can hold text or title.
    text: Vec<usize>,
}

impl<'f> Columns<'f> {
    fn new(header: &[String], fields: &'f FieldMap) -> Columns<'f> {
        let position = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
        };
        let text = [Field::Body, Field::Title]
            .into_iter()
            .flat_map(|f| fields.names(f))
            .filter_map(position)
            .collect();
        Columns {
            header: header.to_vec(),
            fields,
            text,
        }
    }

    fn article(&self, row: &csv::ByteRecord, number: usize, rel_path: &str) -> Record {
        let column = |name: &str| {
            let i = self.header.iter().position(|h| h == name).or_else(|| {
                self.header
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case(name))
            })?;
            row.get(i).map(|v| String::from_utf8_lossy(v).into_owned())
        };
        let all = || {
            self.header
                .iter()
                .zip(row.iter())
                .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
                .collect()
        };
        self.fields.article(
            column,
            number,
            rel_path,
            || "row has an empty text and title".to_string(),
            all,
        )
    }
}

/// Lines of a field that look like rows of the file make a runaway quote
/// likely from this many on.
const SWALLOWED_ROWS: usize = 2;

/// What is wrong with a row that is still indexed: columns beyond the
/// header's (dropped), or a field that holds lines looking like rows of
/// the file, as when a quote is never closed and swallows the rows after
/// it (the csv reader then returns them as one row, without an error).
fn row_warnings(row: &csv::ByteRecord, columns: usize, delimiter: u8) -> Vec<Warning> {
    let mut warnings = Vec::new();
    // A row cut short (a line break where a quote was missing, a lost
    // delimiter) fills its first columns only: the rest are empty.
    if row.len() < columns {
        warnings.push(Warning {
            kind: Problem::Malformed,
            reason: format!(
                "row has {} field(s) but the header names {columns}: the last {} are empty",
                row.len(),
                columns - row.len()
            ),
        });
    }
    if row.len() > columns {
        warnings.push(Warning {
            kind: Problem::Malformed,
            reason: format!(
                "row has {} fields but the header names {columns}: the last {} were dropped",
                row.len(),
                row.len() - columns
            ),
        });
    }
    let swallowed: usize = row
        .iter()
        .map(|field| rows_within(field, columns, delimiter))
        .sum();
    if swallowed >= SWALLOWED_ROWS {
        let line = row.position().map_or(0, |p| p.line());
        warnings.push(Warning {
            kind: Problem::Malformed,
            reason: format!(
                "a quoted field of the row starting on line {line} holds {swallowed} lines that look like rows: \
probably a quote that is never closed, which made the rows after it part of this one; close the quote and index the file again"
            ),
        });
    }
    warnings
}

/// Lines of `field` after its first that look like rows of a file with
/// `columns` columns: as many delimiters as a row has, and for two columns
/// a short first cell (a line of prose may hold one comma).
fn rows_within(field: &[u8], columns: usize, delimiter: u8) -> usize {
    if columns < 2 {
        return 0;
    }
    field
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|line| {
            let cells = memchr::memchr_iter(delimiter, line).count();
            let first = memchr::memchr(delimiter, line).unwrap_or(line.len());
            cells + 1 >= columns && (columns > 2 || first <= 64)
        })
        .count()
}

/// Tab for `.tsv` files or a header with more tabs than commas, else the
/// most frequent of comma and semicolon.
fn delimiter_of(header: &str, tsv_name: bool) -> u8 {
    let count = |c| header.matches(c).count();
    if tsv_name || count('\t') > count(',') {
        b'\t'
    } else if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// A first line that names article columns, like `id,title,text`.
fn looks_like_header(head: &str) -> bool {
    let first = head.lines().next().unwrap_or("");
    let delimiter = delimiter_of(first, false) as char;
    let names: Vec<String> = first
        .split(delimiter)
        .map(|n| n.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    names.len() >= 2
        && names
            .iter()
            .any(|n| ["text", "body", "content", "article"].contains(&n.as_str()))
}

/// Fails a read once one record has taken more than `cap` bytes, so a
/// runaway quoted field costs a bounded buffer.
struct Capped<'a> {
    inner: &'a mut dyn BufRead,
    since_record: &'a Cell<u64>,
    cap: u64,
}

impl Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.since_record.get() > self.cap {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                "record over the size limit",
            ));
        }
        let n = self.inner.read(buf)?;
        self.since_record.set(self.since_record.get() + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::date;
    use crate::archive::test_support::{read_with, read_with_cap, read_with_fields};

    #[test]
    fn reads_csv_with_quoted_fields() {
        let text = "id,title,text,date,source\n1,عنوان,\"نص، مع \"\"اقتباس\"\"\nوسطر ثان\",13/09/2022,BBC\n2,,,,\n3,عنوان ثالث,نص,,\n";
        let records = read_with(&Csv, "a.csv", text.as_bytes());
        assert_eq!(records.len(), 3);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "1");
        assert_eq!(a.body, "نص، مع \"اقتباس\"\nوسطر ثان");
        assert_eq!(a.source.as_deref(), Some("BBC"));
        assert_eq!(date::format(a.date.unwrap()), "2022-09-13T00:00:00Z");
        assert_eq!(records[1].as_ref().unwrap_err().kind, Problem::NoText);
        assert_eq!(records[2].as_ref().unwrap().id, "3");
    }

    #[test]
    fn reads_tsv_and_maps_fields() {
        let text = "headline\tarticle_body\tlink\nعنوان\tنص الخبر\thttp://x/1\n";
        let fields = FieldMap::new(&["body=article_body".parse().unwrap()]);
        let records = read_with_fields(&Csv, "a.tsv", text.as_bytes(), fields);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.body, "نص الخبر");
        assert_eq!(a.title.as_deref(), Some("عنوان"));
        assert_eq!(a.id, "http://x/1");
    }

    #[test]
    fn a_text_column_under_another_name_is_pointed_out() {
        let text =
            "ID,Headline,Article Text\nZ1,عنوان,نص الخبر عن العراق\nZ2,عنوان آخر طويل جدا,نص\n";
        let records = read_with(&Csv, "a.csv", text.as_bytes());
        let a = records[0].as_ref().unwrap();
        assert_eq!((a.title.as_deref(), a.body.as_str()), (Some("عنوان"), ""));
        assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
        assert_eq!(a.warnings[0].kind, Problem::NoText);
        assert!(
            a.warnings[0].reason.contains("--field body=Article Text"),
            "{}",
            a.warnings[0].reason
        );
        // A value no longer than the title is no sign of a text column.
        assert!(records[1].as_ref().unwrap().warnings.is_empty());
        // Read as the text, the column raises nothing.
        let fields = FieldMap::new(&["body=Article Text".parse().unwrap()]);
        let records = read_with_fields(&Csv, "a.csv", text.as_bytes(), fields);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.body, "نص الخبر عن العراق");
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn short_rows_are_indexed_with_a_warning() {
        let text = "id;title;text;date\nQ1;عنوان;نص;2022-01-01\nQ3;عنوان آخر\n";
        let records = read_with(&Csv, "a.csv", text.as_bytes());
        assert!(records[0].as_ref().unwrap().warnings.is_empty());
        let b = records[1].as_ref().unwrap();
        assert_eq!(b.title.as_deref(), Some("عنوان آخر"));
        assert_eq!(b.warnings.len(), 1);
        assert_eq!(b.warnings[0].kind, Problem::Malformed);
        assert!(
            b.warnings[0]
                .reason
                .contains("2 field(s) but the header names 4"),
            "{}",
            b.warnings[0].reason
        );
    }

    #[test]
    fn a_header_without_text_columns_is_reported() {
        let records = read_with(&Csv, "a.csv", b"x,y\n1,2\n");
        assert_eq!(records[0].as_ref().unwrap_err().kind, Problem::NoText);
    }

    #[test]
    fn a_runaway_field_is_capped() {
        let text = format!("id,text\n1,\"{}", "ب".repeat(5000));
        let records = read_with_cap(&Csv, "a.csv", text.as_bytes(), 1000);
        assert_eq!(records[0].as_ref().unwrap_err().kind, Problem::TooLarge);
    }

    #[test]
    fn a_header_without_rows_is_reported() {
        for text in ["id,title,text\n", "id,title,text"] {
            let records = read_with(&Csv, "a.csv", text.as_bytes());
            assert_eq!(records.len(), 1);
            let e = records[0].as_ref().unwrap_err();
            assert_eq!(e.kind, Problem::Empty);
            assert!(e.reason.contains("header row only"), "{}", e.reason);
        }
    }

    #[test]
    fn extra_fields_are_dropped_with_a_warning() {
        let text = "id,text\n1,نص,زائد,آخر\n2,نص ثان\n";
        let records = read_with(&Csv, "a.csv", text.as_bytes());
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.body, "نص");
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].kind, Problem::Malformed);
        assert!(
            a.warnings[0].reason.contains("4 fields")
                && a.warnings[0].reason.contains("the last 2 were dropped"),
            "{}",
            a.warnings[0].reason
        );
        assert!(records[1].as_ref().unwrap().warnings.is_empty());
    }

    #[test]
    fn rows_swallowed_by_an_unclosed_quote_are_reported() {
        let mut text = "id,title,text\n1,عنوان,\"نص بلا نهاية\n".to_string();
        for i in 2..10 {
            text.push_str(&format!("{i},عنوان {i},نص {i}\n"));
        }
        let records = read_with(&Csv, "a.csv", text.as_bytes());
        assert_eq!(records.len(), 1, "{records:?}");
        let a = records[0].as_ref().unwrap();
        let reason = &a.warnings[0].reason;
        assert!(
            reason.contains("8 lines that look like rows") && reason.contains("line 2"),
            "{reason}"
        );
        // A quoted text of several lines is not a runaway quote.
        let text = "id,text\n1,\"سطر أول، فيه فاصلة\nسطر ثان, with a comma far from the start of its line\nوثالث\"\n";
        let records = read_with(&Csv, "a.csv", text.as_bytes());
        assert!(records[0].as_ref().unwrap().warnings.is_empty());
    }

    #[test]
    fn header_detection() {
        assert!(looks_like_header("id,title,text\n"));
        assert!(looks_like_header("\"title\"\t\"content\"\n"));
        assert!(!looks_like_header("قال الرئيس, اليوم"));
    }
}
