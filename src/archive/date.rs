//! Article dates: metadata strings and Arabic dates written in the text.
//!
//! Archives write dates in every way there is: RFC 2822 in feeds, ISO 8601
//! in exports, `DD/MM/YYYY` in spreadsheets, and Arabic prose such as
//! `الثلاثاء 13 سبتمبر/أيلول 2022` in the article itself, with either set of
//! month names (Egyptian/Gulf يناير…ديسمبر, Levantine كانون الثاني…كانون الأول,
//! Maghrebi جانفي…ديسمبر) and any digits. All come out as UTC [`DateTime`]s.

use tantivy::time::format_description::well_known::{Rfc2822, Rfc3339};
use tantivy::time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use tantivy::DateTime;

use super::{Problem, Warning};
use crate::analysis::{normalize, WordTokenizer};
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// Parses a metadata date string; `None` if no known form fits. A time or
/// zone that is there but not understood (`25:00`, `GMT+x`) makes the
/// whole value not understood, rather than a date at midnight.
pub fn parse(value: &str) -> Option<DateTime> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(dt) = OffsetDateTime::parse(value, &Rfc3339) {
        return Some(DateTime::from_utc(dt));
    }
    if let Ok(dt) = OffsetDateTime::parse(value, &Rfc2822) {
        return Some(DateTime::from_utc(dt));
    }
    if let Some(dt) = rfc2822_with_offset_zone(value) {
        return Some(DateTime::from_utc(dt));
    }
    parse_numeric(value)
        .or_else(|| parse_compact(value))
        .or_else(|| parse_epoch(value))
        .or_else(|| find_arabic(value))
        .or_else(|| month_day_year(value))
}

/// A record's date: its metadata `value` when that is understood, else the
/// first date in the opening of its `body`. A value that is there but not
/// understood comes back with a warning for the report.
pub fn of_record(value: Option<&str>, body: &str) -> (Option<DateTime>, Option<Warning>) {
    match value.map(|v| (v, parse(v))) {
        Some((_, Some(date))) => (Some(date), None),
        Some((value, None)) => {
            let date = find_in_text(body);
            (date, Some(not_understood(value, date.is_some())))
        }
        None => (find_in_text(body), None),
    }
}

/// The warning for a date `value` that was not understood; `replaced` says
/// whether the record got a date from elsewhere.
pub fn not_understood(value: &str, replaced: bool) -> Warning {
    let mut shown: String = value.trim().chars().take(80).collect();
    if shown.len() < value.trim().len() {
        shown.push('…');
    }
    let outcome = if replaced {
        "a date found elsewhere in the record was used"
    } else {
        "the record is indexed without a date"
    };
    Warning {
        kind: Problem::Date,
        reason: format!("date not understood: `{shown}`; {outcome}"),
    }
}

/// RFC 2822 with a zone written as an offset from GMT or UTC (`GMT+3`,
/// `UTC+03:00`, `GMT -5`), as some feeds write it.
fn rfc2822_with_offset_zone(value: &str) -> Option<OffsetDateTime> {
    let lower = value.to_ascii_lowercase();
    let at = lower.rfind(['+', '-'])?;
    let head = lower[..at].trim_end();
    let head = head
        .strip_suffix("gmt")
        .or_else(|| head.strip_suffix("utc"))
        .unwrap_or(head)
        .trim_end();
    let offset = parse_zone(&lower[at..])?;
    let (hours, minutes, _) = offset.as_hms();
    let fixed = format!(
        "{} {}{:02}{:02}",
        &value[..head.len()],
        if offset.is_negative() { '-' } else { '+' },
        hours.unsigned_abs(),
        minutes.unsigned_abs()
    );
    OffsetDateTime::parse(&fixed, &Rfc2822).ok()
}

/// `YYYYMMDD`, as some exports write dates.
fn parse_compact(value: &str) -> Option<DateTime> {
    let value = normalize(value);
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| value[range].parse::<i32>().ok();
    let date = make_date(number(0..4)?, number(4..6)?, number(6..8)?)?;
    Some(DateTime::from_primitive(PrimitiveDateTime::new(
        date,
        Time::MIDNIGHT,
    )))
}

/// Unix time in seconds (10 digits) or milliseconds (13 digits), as JSON
/// exports write it.
fn parse_epoch(value: &str) -> Option<DateTime> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = value.parse().ok()?;
    let seconds = match value.len() {
        10 => n,
        13 => n / 1000,
        _ => return None,
    };
    let dt = OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    (1990..=2200)
        .contains(&dt.year())
        .then(|| DateTime::from_utc(dt))
}

/// The date of a line that is a date and nothing else, as a dateline at
/// the top of a text file (`4 مارس 2019`, `الثلاثاء 13 سبتمبر/أيلول 2022`,
/// `2019-03-04`); `None` for a line that merely holds a date.
pub fn line_date(line: &str) -> Option<DateTime> {
    let line = line.trim();
    // A bare number is a figure (or a Unix time no one writes as a line).
    if line.chars().count() > 60 || line.chars().all(|c| c.is_numeric()) {
        return None;
    }
    let date = parse(line)?;
    // The structured forms (ISO 8601, RFC 2822, `DD/MM/YYYY`) parse the
    // whole line; a date in words is found anywhere, so the line may have
    // only a weekday beside it.
    if find_arabic(line).is_none() {
        return Some(date);
    }
    let tokens = words(line);
    let (mut i, mut other) = (0, 0);
    while i < tokens.len() {
        if let Some((_, len)) = month_at(&tokens, i) {
            i += len;
            continue;
        }
        if !tokens[i].bytes().all(|b| b.is_ascii_digit()) {
            other += 1;
        }
        i += 1;
    }
    (other <= 1).then_some(date)
}

/// Finds the first date written in an article's opening (its first 600
/// bytes): an Arabic date line (`الثلاثاء 13 سبتمبر/أيلول 2022`), or a
/// numeric one (`13/09/2022`, `2022-09-13`), whichever comes first.
pub fn find_in_text(text: &str) -> Option<DateTime> {
    let mut end = text.len().min(600);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let opening = &text[..end];
    let numeric = find_numeric(opening);
    let worded = find_arabic(opening);
    match (numeric, worded) {
        (Some((at_n, n)), Some(w)) => {
            // Prefer the one that starts first.
            let at_w = first_month_offset(opening).unwrap_or(usize::MAX);
            Some(if at_n < at_w { n } else { w })
        }
        (Some((_, n)), None) => Some(n),
        (None, w) => w,
    }
}

/// A numeric date in running text, with its byte offset.
fn find_numeric(text: &str) -> Option<(usize, DateTime)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = text[i..].chars().next()?;
        if c.is_numeric()
            && (i == 0 || !text[..i].chars().next_back().is_some_and(char::is_numeric))
        {
            // Take the run of digits and date separators from here.
            let run: String = text[i..]
                .chars()
                .take_while(|c| c.is_numeric() || matches!(c, '/' | '-' | '.'))
                .collect();
            let run = run.trim_end_matches(['/', '-', '.']);
            if run.chars().filter(|c| matches!(c, '/' | '-' | '.')).count() == 2 {
                if let Some(date) = parse_numeric(run) {
                    return Some((i, date));
                }
            }
            i += run.len().max(c.len_utf8());
        } else {
            i += c.len_utf8();
        }
    }
    None
}

/// Byte offset of the first month name in `text`, if any.
fn first_month_offset(text: &str) -> Option<usize> {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    while let Some(t) = stream.next() {
        if MONTHS.iter().any(|(name, _)| t.text == normalize(name))
            || TWO_WORD_MONTHS
                .iter()
                .any(|(first, _, _)| t.text == normalize(first))
        {
            return Some(t.offset_from);
        }
    }
    None
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS][zone]]` (without a zone taken as UTC),
/// `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`, `YYYY/MM/DD`, `YYYY-MM` (the
/// first of the month), with any decimal digits. A time that is there must
/// be understood.
fn parse_numeric(value: &str) -> Option<DateTime> {
    let value = normalize(value);
    let (date_part, time_part) = match value.find(['t', ' ']) {
        Some(i) => (&value[..i], Some(value[i + 1..].trim())),
        None => (value.as_str(), None),
    };
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<i32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, d) = match parts.len() {
        2 if parts[0].len() == 4 && parts[1].len() <= 2 => (nums[0], nums[1], 1),
        3 if parts[0].len() == 4 => (nums[0], nums[1], nums[2]),
        3 if parts[2].len() == 4 => (nums[2], nums[1], nums[0]),
        _ => return None,
    };
    let date = make_date(y, m, d)?;
    let (time, offset) = match time_part {
        Some(text) => parse_time(text)?,
        None => (Time::MIDNIGHT, UtcOffset::UTC),
    };
    let at = PrimitiveDateTime::new(date, time).assume_offset(offset);
    Some(DateTime::from_utc(at))
}

/// `HH:MM[:SS[.fff]]`, then optionally `am`/`pm` (`ص`/`م`) and a zone
/// (lowercased text).
fn parse_time(text: &str) -> Option<(Time, UtcOffset)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(text.len());
    let (clock, rest) = text.split_at(end);
    let mut parts = clock.split(':');
    let mut h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let s: u8 = match parts.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let mut rest = rest.trim_start();
    for (marker, pm) in [("am", false), ("pm", true), ("ص", false), ("م", true)] {
        if let Some(after) = rest.strip_prefix(marker) {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = h % 12 + if pm { 12 } else { 0 };
            rest = after;
            break;
        }
    }
    Some((Time::from_hms(h, m, s).ok()?, parse_zone(rest)?))
}

/// Zone abbreviations news sites and feeds print, with their offsets in
/// minutes. `ast` is Arabia Standard Time (the Gulf's and Iraq's), as in
/// Arabic news, not the Atlantic's; `ist` is left out (India, Israel and
/// Ireland all use it).
const ZONES: &[(&str, i16)] = &[
    ("ast", 180),
    ("arabia standard time", 180),
    ("gst", 240),
    ("eet", 120),
    ("eest", 180),
    ("msk", 180),
    ("trt", 180),
    ("irst", 210),
    ("pkt", 300),
    ("wet", 0),
    ("west", 60),
    ("bst", 60),
    ("cet", 60),
    ("cest", 120),
    ("est", -300),
    ("edt", -240),
    ("cst", -360),
    ("cdt", -300),
    ("mst", -420),
    ("mdt", -360),
    ("pst", -480),
    ("pdt", -420),
];

/// A zone: nothing, `z`, `utc`, `gmt` (UTC), an offset (`+03:00`, `+0300`,
/// `+3`), possibly after `utc` or `gmt` (`gmt+3`), or an abbreviation of
/// [`ZONES`]; lowercased.
fn parse_zone(text: &str) -> Option<UtcOffset> {
    let text = text.trim();
    if let Some(&(_, minutes)) = ZONES.iter().find(|(name, _)| *name == text) {
        return UtcOffset::from_whole_seconds(i32::from(minutes) * 60).ok();
    }
    let rest = text
        .strip_prefix("utc")
        .or_else(|| text.strip_prefix("gmt"))
        .unwrap_or(text)
        .trim_start();
    if rest.is_empty() || (rest == "z" && text == "z") {
        return Some(UtcOffset::UTC);
    }
    let (sign, digits) = match rest.as_bytes()[0] {
        b'+' => (1, rest[1..].trim_start()),
        b'-' => (-1, rest[1..].trim_start()),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some(split) => split,
        None if digits.len() == 4 => digits.split_at(2),
        None if (1..=2).contains(&digits.len()) => (digits, "0"),
        None => return None,
    };
    let number = |t: &str| -> Option<i8> {
        (!t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())?
    };
    let (h, m) = (number(h)?, number(m)?);
    if h > 14 || m > 59 {
        return None;
    }
    UtcOffset::from_hms(sign * h, sign * m, 0).ok()
}

fn make_date(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1800..=2200).contains(&y) {
        return None;
    }
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
}

/// Month names, written as in news; matched after normalization.
const MONTHS: &[(&str, u8)] = &[
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
    ("جانفي", 1),
    ("فيفري", 2),
    ("أفريل", 4),
    ("ماي", 5),
    ("جوان", 6),
    ("جويلية", 7),
    ("أوت", 8),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Two-word Levantine months: `كانون الثاني` (January) … `كانون الأول` (December).
const TWO_WORD_MONTHS: &[(&str, &str, u8)] = &[
    ("كانون", "الثاني", 1),
    ("تشرين", "الأول", 10),
    ("تشرين", "الثاني", 11),
    ("كانون", "الأول", 12),
];

/// Month number of the name starting at `tokens[i]`, with the tokens it spans.
fn month_at(tokens: &[String], i: usize) -> Option<(u8, usize)> {
    let word = tokens.get(i)?;
    for (first, second, m) in TWO_WORD_MONTHS {
        if *word == normalize(first) && tokens.get(i + 1).is_some_and(|t| *t == normalize(second)) {
            return Some((*m, 2));
        }
    }
    MONTHS
        .iter()
        .find(|(name, _)| *word == normalize(name))
        .map(|(_, m)| (*m, 1))
}

/// `13 سبتمبر 2022`, `13 سبتمبر/أيلول 2022`, `1 تشرين الثاني 2020`.
fn find_arabic(text: &str) -> Option<DateTime> {
    let tokens = words(text);
    for i in 0..tokens.len() {
        let Some(day) = small_number(&tokens[i], 31) else {
            continue;
        };
        let Some((month, mut len)) = month_at(&tokens, i + 1) else {
            continue;
        };
        // An alternative name for the same month may follow (سبتمبر/أيلول).
        if let Some((other, other_len)) = month_at(&tokens, i + 1 + len) {
            if other == month {
                len += other_len;
            }
        }
        let Some(year) = tokens.get(i + 1 + len).and_then(|t| t.parse::<i32>().ok()) else {
            continue;
        };
        if let Some(date) = make_date(year, i32::from(month), day as i32) {
            return Some(DateTime::from_primitive(PrimitiveDateTime::new(
                date,
                Time::MIDNIGHT,
            )));
        }
    }
    None
}

/// A metadata value written month first, as English-language exports do
/// (`Sep 13, 2022`, `September 13, 2022 10:00 AM`); the time, if any, is
/// not read. Only whole values: in running text a month name before two
/// numbers is seldom a date.
fn month_day_year(value: &str) -> Option<DateTime> {
    let tokens = words(value);
    // A weekday may come first.
    let start = usize::from(month_at(&tokens, 0).is_none());
    let (month, len) = month_at(&tokens, start)?;
    let day = small_number(tokens.get(start + len)?, 31)?;
    let year = tokens.get(start + len + 1)?.parse::<i32>().ok()?;
    let date = make_date(year, i32::from(month), day as i32)?;
    Some(DateTime::from_primitive(PrimitiveDateTime::new(
        date,
        Time::MIDNIGHT,
    )))
}

/// The normalized words of `text` (digits of any script as ASCII).
fn words(text: &str) -> Vec<String> {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(t) = stream.next() {
        tokens.push(t.text.clone());
    }
    tokens
}

fn small_number(token: &str, max: u32) -> Option<u32> {
    let n: u32 = token.parse().ok()?;
    (1..=max).contains(&n).then_some(n)
}

/// Formats a date as RFC 3339 in UTC (`2022-09-13T00:00:00Z`).
pub fn format(date: DateTime) -> String {
    date.into_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| String::from("invalid-date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(value: Option<DateTime>) -> String {
        value.map(format).unwrap_or_default()
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            iso(parse("Sun, 18 Feb 2018 21:35:43 +0400")),
            "2018-02-18T17:35:43Z"
        );
    }

    #[test]
    fn iso8601() {
        assert_eq!(
            iso(parse("2022-09-13T10:00:00+03:00")),
            "2022-09-13T07:00:00Z"
        );
        assert_eq!(iso(parse("2022-09-13")), "2022-09-13T00:00:00Z");
        assert_eq!(iso(parse("2022-09-13 08:30:00")), "2022-09-13T08:30:00Z");
    }

    #[test]
    fn day_month_year() {
        assert_eq!(iso(parse("13/09/2022")), "2022-09-13T00:00:00Z");
        assert_eq!(iso(parse("١٣/٠٩/٢٠٢٢")), "2022-09-13T00:00:00Z");
        assert_eq!(parse("31/02/2022"), None);
    }

    #[test]
    fn arabic_dates_in_text() {
        let text = "قال الرئيس الروسي، الثلاثاء 13 سبتمبر/أيلول 2022، إنه";
        assert_eq!(iso(find_in_text(text)), "2022-09-13T00:00:00Z");
        assert_eq!(
            iso(find_in_text("في ١ تشرين الثاني ٢٠٢٠ وقع")),
            "2020-11-01T00:00:00Z"
        );
        assert_eq!(iso(find_in_text("قتلت 49 جندياً")), "");
    }

    #[test]
    fn both_month_name_sets_and_indic_digits() {
        let cases = [
            ("القاهرة - الثلاثاء ١٣ سبتمبر/أيلول ٢٠٢٢", "2022-09-13"),
            ("بيروت في 1 كانون الثاني 2021 أعلن", "2021-01-01"),
            ("دمشق، 31 كانون الأول 2019", "2019-12-31"),
            ("في 5 تشرين الأول 2018", "2018-10-05"),
            ("في 7 يناير 2020", "2020-01-07"),
            ("في 20 شباط 2018", "2018-02-20"),
            ("London, 13 September 2022 -", "2022-09-13"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                iso(find_in_text(text)),
                format!("{expected}T00:00:00Z"),
                "{text}"
            );
        }
    }

    #[test]
    fn numeric_date_lines_in_the_opening() {
        assert_eq!(
            iso(find_in_text("نشر بتاريخ 13/09/2022 - قال الرئيس")),
            "2022-09-13T00:00:00Z"
        );
        assert_eq!(
            iso(find_in_text("(٢٠٢٠-١١-٠١) بيان")),
            "2020-11-01T00:00:00Z"
        );
        // The first date wins.
        assert_eq!(
            iso(find_in_text("في 7 يناير 2020 وأيضا 13/09/2022")),
            "2020-01-07T00:00:00Z"
        );
        assert_eq!(iso(find_in_text("قتل 49 جنديا و3/4 المصابين")), "");
        // Only the opening is searched.
        let late = format!("{} 13/09/2022", "كلام ".repeat(200));
        assert_eq!(find_in_text(&late), None);
    }

    #[test]
    fn unix_times() {
        assert_eq!(iso(parse("1663063200")), "2022-09-13T10:00:00Z");
        assert_eq!(iso(parse("1663063200000")), "2022-09-13T10:00:00Z");
        assert_eq!(parse("12345"), None);
    }

    #[test]
    fn months_and_compact_dates() {
        assert_eq!(iso(parse("2022-09")), "2022-09-01T00:00:00Z");
        assert_eq!(iso(parse("20220913")), "2022-09-13T00:00:00Z");
        assert_eq!(parse("20221313"), None);
        assert_eq!(parse("2022-13"), None);
        assert_eq!(parse("22-09"), None);
    }

    #[test]
    fn impossible_times_are_not_midnight() {
        assert_eq!(parse("2020-01-02T25:00:00Z"), None);
        assert_eq!(parse("2020-01-02 10:61"), None);
        assert_eq!(parse("2020-01-02 10:00 tomorrow"), None);
        assert_eq!(iso(parse("2020-01-02 10:00:05")), "2020-01-02T10:00:05Z");
        assert_eq!(
            iso(parse("2020-01-02 10:00:05.250")),
            "2020-01-02T10:00:05Z"
        );
    }

    #[test]
    fn offsets_from_gmt_are_honoured() {
        for value in [
            "2020-01-02 10:00 GMT+3",
            "2020-01-02 10:00 gmt +03:00",
            "2020-01-02T10:00:00 UTC+0300",
            "2020-01-02 10:00+03",
            "Thu, 02 Jan 2020 10:00:00 GMT+3",
            "Thu, 02 Jan 2020 10:00:00 GMT +3",
            "Thu, 02 Jan 2020 10:00:00 UTC+03:00",
        ] {
            assert_eq!(iso(parse(value)), "2020-01-02T07:00:00Z", "{value}");
        }
        assert_eq!(iso(parse("2020-01-02 10:00 GMT")), "2020-01-02T10:00:00Z");
        assert_eq!(iso(parse("2020-01-02 10:00 UTC-5")), "2020-01-02T15:00:00Z");
        assert_eq!(iso(parse("02/01/2020 10:00 م")), "2020-01-02T22:00:00Z");
        assert_eq!(iso(parse("02/01/2020 12:30 am")), "2020-01-02T00:30:00Z");
        // Zone abbreviations; AST is Arabia's.
        assert_eq!(
            iso(parse("2015-07-21 02:51:32 AST")),
            "2015-07-20T23:51:32Z"
        );
        assert_eq!(iso(parse("2020-01-02 10:00 EST")), "2020-01-02T15:00:00Z");
        assert_eq!(iso(parse("2020-01-02 10:00 cest")), "2020-01-02T08:00:00Z");
        assert_eq!(parse("2020-01-02 10:00 XYZ"), None);
        assert_eq!(parse("2020-01-02 10:00 GMT+x"), None);
        assert_eq!(parse("2020-01-02 10:00 GMT+25"), None);
    }

    #[test]
    fn a_value_not_understood_is_a_warning() {
        let (date, warning) = of_record(Some("2020-01-02T25:00:00Z"), "في 7 يناير 2020 وقع");
        assert_eq!(iso(date), "2020-01-07T00:00:00Z");
        let warning = warning.unwrap();
        assert_eq!(warning.kind, Problem::Date);
        assert!(
            warning
                .reason
                .starts_with("date not understood: `2020-01-02T25:00:00Z`"),
            "{}",
            warning.reason
        );
        let (date, warning) = of_record(Some("قريبا"), "نص");
        assert_eq!(date, None);
        assert!(warning.unwrap().reason.contains("without a date"));
        assert_eq!(of_record(Some("2022-09-13"), "").1, None);
        assert_eq!(of_record(None, "نص").1, None);
    }

    #[test]
    fn english_month_names_either_order() {
        for value in [
            "13 Sep 2022",
            "13 September 2022",
            "Sep 13, 2022",
            "September 13, 2022 10:00 AM",
            "Tuesday, September 13, 2022",
            "Sept. 13, 2022",
        ] {
            assert_eq!(iso(parse(value)), "2022-09-13T00:00:00Z", "{value}");
        }
        assert_eq!(parse("Sep 31, 2022"), None);
        assert_eq!(parse("March"), None);
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse(""), None);
    }
}
