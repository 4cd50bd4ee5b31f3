//! HTML pages: one article per page.
//!
//! Saved pages carry the article inside navigation, menus, share buttons,
//! related links and scripts. The title comes from `og:title` (else
//! `<title>`, without the site's name), the date from
//! `article:published_time` and similar meta tags, a `<time>` in the
//! article, JSON-LD, or a `<time>` outside boilerplate, and the text from
//! the article's container: `itemprop=articleBody`, else `<article>`, else
//! the element holding most paragraph text, with boilerplate elements left
//! out.

use std::path::Path;

use scraper::{ElementRef, Html as Page, Node, Selector};
use serde_json::Value;
use tantivy::DateTime;

use super::input::{too_long, ReadOutcome};
use super::{date, extension, non_empty, Article, Format, Input, Problem, Record, RecordError};

/// Reader for `.html` pages (and any file that starts like one).
pub struct Html;

impl Format for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn accepts(&self, path: &Path, head: &str) -> bool {
        if matches!(
            extension(path).as_str(),
            "html" | "htm" | "xhtml" | "shtml" | "php" | "asp" | "aspx" | "jsp"
        ) {
            return true;
        }
        let start = head.trim_start_matches('\u{FEFF}').trim_start();
        let start = &start.as_bytes()[..start.len().min(1024)];
        let lower = start.to_ascii_lowercase();
        lower.starts_with(b"<!doctype html")
            || lower.starts_with(b"<html")
            || (lower.starts_with(b"<") && memchr::memmem::find(&lower, b"<html").is_some())
    }

    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record)) {
        let mut text = String::new();
        let cap = max_page_bytes(input.max_record());
        match input.read_all_within(&mut text, cap) {
            Err(e) => emit(Err(RecordError::new(
                1,
                Problem::Truncated,
                format!("cannot read the page: {e}"),
            ))),
            Ok(ReadOutcome::TooLong(bytes)) => emit(Err(RecordError::new(
                1,
                Problem::TooLarge,
                too_long("HTML page", bytes, cap),
            ))),
            Ok(_) => emit(extract(&text, input.rel_path, None, None, 1)),
        }
    }
}

/// The largest page parsed: a parsed page takes several times its size in
/// memory, so pages get a quarter of the record cap.
pub fn max_page_bytes(max_record: usize) -> usize {
    max_record / 4
}

/// The article in an HTML page. `url` (a crawl's target URI) becomes the id;
/// `fallback_date` (a crawl date) is used when the page shows none.
pub fn extract(
    html: &str,
    rel_path: &str,
    url: Option<&str>,
    fallback_date: Option<DateTime>,
    number: usize,
) -> Record {
    let page = Page::parse_document(html);
    let meta = Meta::of(&page);
    let ld = json_ld(&page);
    let source = meta.get(&["og:site_name", "application-name"]);
    let title = meta
        .get(&["og:title", "twitter:title"])
        .or_else(|| {
            first_text(&page, "title").map(|t| match &source {
                Some(site) => without_site_name(&t, site),
                None => t,
            })
        })
        .or_else(|| ld_text(&ld, "headline"))
        .or_else(|| first_text(&page, "h1"));
    let article = container(&page);
    let body = main_text(article);
    if body.is_empty() && title.is_none() {
        return Err(RecordError::new(
            number,
            Problem::NoText,
            "HTML page without article text or title",
        ));
    }
    let meta_date = meta.get(&[
        "article:published_time",
        "og:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "dc.date.issued",
        "dc.date",
        "dcterms.created",
        "sailthru.date",
        "parsely-pub-date",
    ]);
    let parsed = meta_date.as_deref().and_then(date::parse);
    let date = parsed
        .or_else(|| time_element(article))
        .or_else(|| ld_text(&ld, "datePublished").and_then(|d| date::parse(&d)))
        .or_else(|| time_element_outside(&page))
        .or_else(|| date::find_in_text(&body))
        .or(fallback_date);
    let date_warning = match (&meta_date, parsed) {
        (Some(value), None) => Some(date::not_understood(value, date.is_some())),
        _ => None,
    };
    let canonical = select_attr(&page, "link[rel=canonical]", "href")
        .or_else(|| meta.get(&["og:url"]))
        .filter(|u| u.starts_with("http") && !is_site_root(u));
    let url = url.map(str::to_string).or(canonical);
    let author = meta
        .get(&[
            "author",
            "article:author",
            "byl",
            "sailthru.author",
            "parsely-author",
            "dc.creator",
        ])
        .filter(|a| !a.starts_with("http"))
        .or_else(|| ld_text(&ld, "author"))
        .or_else(|| first_text(&page, "[rel=author], [itemprop=author]"));
    Ok(Article {
        id: url.clone().unwrap_or_else(|| rel_path.to_string()),
        title,
        body,
        date,
        source,
        category: meta.get(&["article:section"]),
        url,
        author,
        path: rel_path.to_string(),
        record: number,
        warnings: date_warning.into_iter().collect(),
    })
}

/// Whether `url` is a site's home page (`https://site.example/`): what
/// some sites give as every page's canonical URL. As an id it would make
/// all their articles one, every page after the first dropped as a
/// duplicate.
fn is_site_root(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_matches('/').is_empty()
}

/// A page's `<title>` without the site's name that pages put before or
/// after the headline (`اشتباكات في الخرطوم - الجزيرة نت`), which is the
/// article's source, not its title.
fn without_site_name(title: &str, site: &str) -> String {
    const SEPARATORS: &[char] = &['-', '|', '–', '—', ':', '•', '·'];
    let separator = |c: char| c.is_whitespace() || SEPARATORS.contains(&c);
    let stripped = title
        .strip_suffix(site)
        .filter(|rest| rest.trim_end().ends_with(SEPARATORS))
        .map(|rest| rest.trim_end_matches(separator))
        .or_else(|| {
            title
                .strip_prefix(site)
                .filter(|rest| rest.trim_start().starts_with(SEPARATORS))
                .map(|rest| rest.trim_start_matches(separator))
        });
    match stripped {
        Some(headline) if !headline.is_empty() => headline.to_string(),
        _ => title.to_string(),
    }
}

/// `<meta>` values by lowercased `property`, `name` or `itemprop`.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn of(page: &Page) -> Meta {
        let selector = Selector::parse("meta[content]").expect("valid selector");
        let mut pairs = Vec::new();
        for m in page.select(&selector) {
            let el = m.value();
            let content = el.attr("content").unwrap_or_default();
            for key in ["property", "name", "itemprop"] {
                if let Some(name) = el.attr(key) {
                    pairs.push((name.trim().to_ascii_lowercase(), content.to_string()));
                }
            }
        }
        Meta(pairs)
    }

    /// The first non-empty value among `names`, in the order of `names`.
    fn get(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| {
            self.0
                .iter()
                .find(|(k, v)| k == name && !v.trim().is_empty())
                .and_then(|(_, v)| non_empty(&collapse(v)))
        })
    }
}

fn first_text(page: &Page, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .find_map(|e| non_empty(&collapse(&e.text().collect::<String>())))
}

fn select_attr(page: &Page, selector: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .find_map(|e| e.value().attr(attr).and_then(non_empty))
}

/// The date of the first `<time>` in the article's container.
fn time_element(article: ElementRef) -> Option<DateTime> {
    let selector = Selector::parse("time").expect("valid selector");
    article.select(&selector).find_map(time_of)
}

/// The date of the first `<time>` outside the article's container and
/// outside boilerplate: a site's header or a list of related stories
/// shows today's date or other articles' dates, not this one's.
fn time_element_outside(page: &Page) -> Option<DateTime> {
    let selector = Selector::parse("time").expect("valid selector");
    page.select(&selector)
        .filter(|t| !ancestors_or_self_boilerplate(*t))
        .find_map(time_of)
}

fn time_of(time: ElementRef) -> Option<DateTime> {
    time.value()
        .attr("datetime")
        .and_then(date::parse)
        .or_else(|| date::parse(&time.text().collect::<String>()))
}

/// The page's JSON-LD blocks.
fn json_ld(page: &Page) -> Vec<Value> {
    let selector = Selector::parse("script[type='application/ld+json']").expect("valid selector");
    page.select(&selector)
        .filter_map(|s| serde_json::from_str(&s.text().collect::<String>()).ok())
        .collect()
}

/// The first value of `key` anywhere in the JSON-LD, as text (an author
/// object gives its name).
fn ld_text(blocks: &[Value], key: &str) -> Option<String> {
    fn find<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
        match value {
            Value::Object(map) => map
                .get(key)
                .or_else(|| map.values().find_map(|v| find(v, key))),
            Value::Array(items) => items.iter().find_map(|v| find(v, key)),
            _ => None,
        }
    }
    fn text(value: &Value) -> Option<String> {
        match value {
            Value::String(s) => non_empty(s),
            Value::Object(map) => map.get("name").and_then(text),
            Value::Array(items) => items.iter().find_map(text),
            _ => None,
        }
    }
    blocks.iter().find_map(|b| find(b, key).and_then(text))
}

/// Elements that never hold article text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "svg", "select", "object", "embed", "canvas", "menu", "dialog",
];

/// Words in a class or id that mark boilerplate.
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "share",
    "sharing",
    "social",
    "related",
    "comment",
    "comments",
    "breadcrumb",
    "breadcrumbs",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "newsletter",
    "subscribe",
    "promo",
    "sidebar",
    "cookie",
    "cookies",
    "popup",
    "modal",
    "tags",
    "more-stories",
    "recommended",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "table",
    "dd",
    "dt",
    "figcaption",
    "hr",
];

fn is_boilerplate(el: ElementRef) -> bool {
    let e = el.value();
    if SKIPPED_TAGS.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
    {
        return true;
    }
    let marked = |value: &str| {
        value
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| BOILERPLATE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
    };
    e.attr("class").is_some_and(marked)
        || e.id().is_some_and(marked)
        || e.attr("role")
            .is_some_and(|r| r == "navigation" || r == "complementary")
}

/// The article's text, paragraphs separated by newlines.
fn main_text(article: ElementRef) -> String {
    let mut out = String::new();
    collect_text(article, &mut out);
    out.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The element holding the article.
fn container(page: &Page) -> ElementRef<'_> {
    let select = |s: &str| {
        let selector = Selector::parse(s).expect("valid selector");
        page.select(&selector).collect::<Vec<_>>()
    };
    if let Some(body) = select("[itemprop=articleBody]").into_iter().next() {
        return body;
    }
    let paragraph_chars = |e: &ElementRef| -> usize {
        let p = Selector::parse("p").expect("valid selector");
        e.select(&p)
            .map(|p| p.text().map(str::len).sum::<usize>())
            .sum()
    };
    if let Some(article) = select("article").into_iter().max_by_key(paragraph_chars) {
        if paragraph_chars(&article) > 0 {
            return article;
        }
    }
    // The parent of the most paragraph text.
    let mut best: Option<(usize, ElementRef)> = None;
    let mut scores = Vec::new();
    for p in select("p") {
        let Some(parent) = p.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        if ancestors_or_self_boilerplate(parent) {
            continue;
        }
        let chars: usize = p.text().map(str::len).sum();
        let id = parent.id();
        let score = match scores.iter_mut().find(|(i, _)| *i == id) {
            Some((_, s)) => {
                *s += chars;
                *s
            }
            None => {
                scores.push((id, chars));
                chars
            }
        };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, parent));
        }
    }
    if let Some((_, parent)) = best {
        return parent;
    }
    select("main")
        .into_iter()
        .next()
        .or_else(|| select("body").into_iter().next())
        .unwrap_or_else(|| page.root_element())
}

fn ancestors_or_self_boilerplate(el: ElementRef) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(is_boilerplate)
}

fn collect_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) => {
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if is_boilerplate(child_el) {
                    continue;
                }
                let block = BLOCK_TAGS.contains(&e.name());
                if block {
                    out.push('\n');
                }
                collect_text(child_el, out);
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

/// Collapses runs of whitespace to one space and trims.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::test_support::read_with;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta charset="utf-8">
<title>اشتباكات على الحدود | موقع الأخبار</title>
<meta property="og:title" content="اشتباكات على حدود أرمينيا وأذربيجان">
<meta property="og:site_name" content="موقع الأخبار">
<meta property="article:published_time" content="2022-09-13T10:00:00+03:00">
<meta name="author" content="مراسل الموقع">
<link rel="canonical" href="https://news.example/2022/09/13/clashes">
<script>var tracking = "لا تفهرس هذا";</script>
<style>.x { color: red }</style>
</head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/world">العالم</a></nav></header>
<div class="share-buttons">شارك على فيسبوك</div>
<article>
  <h1>اشتباكات على حدود أرمينيا وأذربيجان</h1>
  <p>قال الرئيس الروسي إنه يسعى إلى إنهاء القتال.</p>
  <div class="ad">إعلان</div>
  <p>وأعلنت أذربيجان   استخدام طائرات بيرقدار.</p>
  <aside class="related">أخبار ذات صلة</aside>
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>"#;

    #[test]
    fn extracts_metadata_and_main_text() {
        let a = read_with(&Html, "pages/clashes.html", PAGE.as_bytes())
            .remove(0)
            .unwrap();
        assert_eq!(
            a.title.as_deref(),
            Some("اشتباكات على حدود أرمينيا وأذربيجان")
        );
        assert_eq!(a.id, "https://news.example/2022/09/13/clashes");
        assert_eq!(
            a.url.as_deref(),
            Some("https://news.example/2022/09/13/clashes")
        );
        assert_eq!(a.source.as_deref(), Some("موقع الأخبار"));
        assert_eq!(a.author.as_deref(), Some("مراسل الموقع"));
        assert_eq!(date::format(a.date.unwrap()), "2022-09-13T07:00:00Z");
        assert!(
            a.body
                .contains("قال الرئيس الروسي إنه يسعى إلى إنهاء القتال."),
            "{}",
            a.body
        );
        assert!(
            a.body.contains("وأعلنت أذربيجان استخدام طائرات بيرقدار."),
            "{}",
            a.body
        );
        for junk in [
            "الرئيسية",
            "شارك",
            "إعلان",
            "ذات صلة",
            "الحقوق",
            "tracking",
            "color",
        ] {
            assert!(!a.body.contains(junk), "{junk} in {}", a.body);
        }
    }

    #[test]
    fn the_date_of_a_site_header_or_related_stories_is_not_the_article_date() {
        let page = |article: &str| {
            format!(
                "<html><head><title>خبر</title></head><body>\
                 <header class=site><time datetime=\"2024-06-01\">اليوم</time></header>\
                 <aside><ul><li><time datetime=\"2019-01-01\">خبر قديم</time></li></ul></aside>\
                 {article}</body></html>"
            )
        };
        let date_of = |html: String| {
            let a = read_with(&Html, "x.html", html.as_bytes())
                .remove(0)
                .unwrap();
            a.date.map(date::format)
        };
        // The article's own <time>, in its header.
        let own = "<article><header><time datetime=\"2022-09-13\">13 سبتمبر</time></header><p>نص الخبر.</p></article>";
        assert_eq!(date_of(page(own)).as_deref(), Some("2022-09-13T00:00:00Z"));
        // None of its own: JSON-LD, else none at all.
        let ld =
            "<script type=\"application/ld+json\">{\"datePublished\": \"2021-03-04\"}</script>\
                  <article><p>نص الخبر.</p></article>";
        assert_eq!(date_of(page(ld)).as_deref(), Some("2021-03-04T00:00:00Z"));
        assert_eq!(date_of(page("<article><p>نص الخبر.</p></article>")), None);
    }

    #[test]
    fn a_home_page_canonical_url_is_not_the_article_id() {
        let page = |canonical: &str| {
            format!(
                "<html><head><link rel=canonical href=\"{canonical}\"></head>\
                 <body><article><p>نص الخبر.</p></article></body></html>"
            )
        };
        for root in [
            "https://www.example.com/",
            "https://www.example.com",
            "https://www.example.com/?utm=x",
        ] {
            let a = read_with(&Html, "news/p1.html", page(root).as_bytes())
                .remove(0)
                .unwrap();
            assert_eq!(
                (a.id.as_str(), a.url.as_deref()),
                ("news/p1.html", None),
                "{root}"
            );
        }
        let story = "https://www.example.com/2022/09/13/story";
        let a = read_with(&Html, "news/p1.html", page(story).as_bytes())
            .remove(0)
            .unwrap();
        assert_eq!(a.id, story);
    }

    #[test]
    fn the_site_name_is_not_part_of_a_title() {
        let page = |title: &str| {
            format!(
                "<html><head><title>{title}</title><meta property=\"og:site_name\" content=\"الجزيرة نت\"></head>\
                 <body><article><p>نص الخبر عن السودان.</p></article></body></html>"
            )
        };
        for (title, expected) in [
            ("اشتباكات في الخرطوم - الجزيرة نت", "اشتباكات في الخرطوم"),
            ("قالوا «هدنة» | الجزيرة نت", "قالوا «هدنة»"),
            ("الجزيرة نت: اشتباكات في الخرطوم", "اشتباكات في الخرطوم"),
            ("الجزيرة نت", "الجزيرة نت"),
            ("تقرير الجزيرة نت", "تقرير الجزيرة نت"),
        ] {
            let a = read_with(&Html, "x.html", page(title).as_bytes())
                .remove(0)
                .unwrap();
            assert_eq!(a.title.as_deref(), Some(expected), "{title}");
            assert_eq!(a.source.as_deref(), Some("الجزيرة نت"));
        }
    }

    #[test]
    fn pages_without_article_element_use_the_densest_paragraphs() {
        let page = "<html><head><title>عنوان</title></head><body>\
            <div id=menu><p>قائمة</p></div>\
            <div class=content><p>الفقرة الأولى من الخبر الطويل.</p><p>الفقرة الثانية.</p></div>\
            <time datetime=\"2018-02-20\">20 فبراير</time></body></html>";
        let a = read_with(&Html, "x.htm", page.as_bytes())
            .remove(0)
            .unwrap();
        assert_eq!(a.title.as_deref(), Some("عنوان"));
        assert_eq!(a.body, "الفقرة الأولى من الخبر الطويل.\nالفقرة الثانية.");
        assert_eq!(date::format(a.date.unwrap()), "2018-02-20T00:00:00Z");
        assert_eq!(a.id, "x.htm");
    }

    #[test]
    fn json_ld_dates_and_authors() {
        let page = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@type":"NewsArticle","headline":"خبر",
             "datePublished":"2020-11-01T08:00:00Z","author":{"@type":"Person","name":"كاتب"}}
            </script></head><body><p>نص.</p></body></html>"#;
        let a = read_with(&Html, "x.html", page.as_bytes())
            .remove(0)
            .unwrap();
        assert_eq!(a.title.as_deref(), Some("خبر"));
        assert_eq!(a.author.as_deref(), Some("كاتب"));
        assert_eq!(date::format(a.date.unwrap()), "2020-11-01T08:00:00Z");
    }

    #[test]
    fn detection_by_content() {
        assert!(Html.accepts(Path::new("page"), "<!DOCTYPE html><html>"));
        assert!(Html.accepts(Path::new("a.txt"), "  <HTML><body>"));
        assert!(!Html.accepts(Path::new("a.txt"), "<DOC><DOCNO>1</DOCNO>"));
    }
}
