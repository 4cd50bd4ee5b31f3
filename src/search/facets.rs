//! Facet counts over every matching document.
//!
//! Keyword facets count the fast (columnar) term ordinals of their field, so
//! counting costs one array increment per value of each match and reads no
//! stored document; ordinals become strings once per segment, only for
//! values that occurred. Date facets (`year`, `month`) bucket the fast date
//! column the same way. A [`FacetTerms`] keeps each segment's values of a
//! field once read, so that a search service reads a dictionary once per
//! segment rather than once per search.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use super::segments::PerSegment;

/// What one facet counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacetSource {
    /// Values of a keyword fast field.
    Terms { field: String },
    /// Years (`2018`) or months (`2018-03`) of a date fast field.
    Dates { field: String, by: DateBucket },
}

/// Granularity of a date facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBucket {
    Year,
    Month,
}

/// Fields with more values than this are not kept by [`FacetTerms`]: their
/// values are looked up in the dictionary for each search, only those that
/// occurred.
const MAX_KEPT_TERMS: usize = 1 << 16;

/// The values of a segment's keyword columns, by ordinal, per field.
type SegmentTerms = RwLock<HashMap<String, Option<Arc<[Box<str>]>>>>;

/// The values of the keyword facet columns of the segments searched.
#[derive(Default)]
pub struct FacetTerms {
    segments: PerSegment<SegmentTerms>,
}

impl FacetTerms {
    /// The values of `column` (the field `field` of segment `ord` of
    /// `searcher`) by ordinal, read on first use; `None` for a field with
    /// too many values to keep.
    fn get(
        &self,
        searcher: &tantivy::Searcher,
        ord: SegmentOrdinal,
        field: &str,
        column: &StrColumn,
    ) -> tantivy::Result<Option<Arc<[Box<str>]>>> {
        let segment = self
            .segments
            .get(searcher, ord, |_| Ok(SegmentTerms::default()))?;
        if let Some(terms) = segment.read().unwrap_or_else(|e| e.into_inner()).get(field) {
            return Ok(terms.clone());
        }
        let terms = if column.num_terms() <= MAX_KEPT_TERMS {
            let mut terms = Vec::with_capacity(column.num_terms());
            let mut stream = column.dictionary().stream()?;
            while stream.advance() {
                terms.push(String::from_utf8_lossy(stream.key()).into());
            }
            Some(Arc::from(terms))
        } else {
            None
        };
        segment
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(field.to_string(), terms.clone());
        Ok(terms)
    }
}

/// Counts several facets over all matches.
pub struct FacetCounter<'a> {
    sources: Vec<FacetSource>,
    /// Kept values, and the searcher whose segments are counted.
    terms: Option<(&'a FacetTerms, &'a tantivy::Searcher)>,
}

impl FacetCounter<'static> {
    pub fn new(sources: Vec<FacetSource>) -> FacetCounter<'static> {
        FacetCounter {
            sources,
            terms: None,
        }
    }
}

impl<'a> FacetCounter<'a> {
    /// A counter of the segments of `searcher` that takes their values from
    /// `terms`.
    pub fn with_terms(
        sources: Vec<FacetSource>,
        terms: &'a FacetTerms,
        searcher: &'a tantivy::Searcher,
    ) -> FacetCounter<'a> {
        FacetCounter {
            sources,
            terms: Some((terms, searcher)),
        }
    }
}

/// Per-facet value counts, in the order the facets were given.
pub type FacetFruit = Vec<HashMap<String, u64>>;

enum SegmentFacet {
    /// The column, the count of each ordinal, and the values by ordinal
    /// when they are kept.
    Terms(StrColumn, Vec<u32>, Option<Arc<[Box<str>]>>),
    Dates(Column<DateTime>, DateBucket, HashMap<i32, u32>),
    Missing,
}

/// The per-segment state of [`FacetCounter`].
pub struct SegmentFacetCounter {
    facets: Vec<SegmentFacet>,
}

impl Collector for FacetCounter<'_> {
    type Fruit = FacetFruit;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let facets = self
            .sources
            .iter()
            .map(|source| {
                Ok(match source {
                    FacetSource::Terms { field } => match segment.fast_fields().str(field)? {
                        Some(column) => {
                            let terms = match self.terms {
                                Some((terms, searcher)) => {
                                    terms.get(searcher, segment_local_id, field, &column)?
                                }
                                None => None,
                            };
                            let n = column.num_terms();
                            SegmentFacet::Terms(column, vec![0; n], terms)
                        }
                        None => SegmentFacet::Missing,
                    },
                    FacetSource::Dates { field, by } => {
                        SegmentFacet::Dates(segment.fast_fields().date(field)?, *by, HashMap::new())
                    }
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentFacetCounter { facets })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut merged: FacetFruit = vec![HashMap::new(); self.sources.len()];
        for fruit in segments {
            for (total, counts) in merged.iter_mut().zip(fruit) {
                for (value, n) in counts {
                    *total.entry(value).or_default() += n;
                }
            }
        }
        Ok(merged)
    }
}

/// Bucket key of a date: the year, or year × 12 + month index.
fn bucket(date: DateTime, by: DateBucket) -> i32 {
    let d = date.into_utc();
    match by {
        DateBucket::Year => d.year(),
        DateBucket::Month => d.year() * 12 + i32::from(u8::from(d.month())) - 1,
    }
}

fn bucket_label(key: i32, by: DateBucket) -> String {
    match by {
        DateBucket::Year => format!("{key:04}"),
        DateBucket::Month => format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1),
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for facet in &mut self.facets {
            match facet {
                SegmentFacet::Terms(column, counts, _) => {
                    for ord in column.ords().values_for_doc(doc) {
                        counts[ord as usize] += 1;
                    }
                }
                SegmentFacet::Dates(column, by, counts) => {
                    if let Some(date) = column.first(doc) {
                        *counts.entry(bucket(date, *by)).or_default() += 1;
                    }
                }
                SegmentFacet::Missing => {}
            }
        }
    }

    fn harvest(self) -> FacetFruit {
        self.facets
            .into_iter()
            .map(|facet| match facet {
                SegmentFacet::Terms(_, counts, Some(terms)) => {
                    let mut values = HashMap::with_capacity(64);
                    for (&n, value) in counts.iter().zip(terms.iter()) {
                        if n > 0 {
                            values.insert(String::from(&**value), u64::from(n));
                        }
                    }
                    values
                }
                SegmentFacet::Terms(column, counts, None) => {
                    // One pass over the dictionary for all the ordinals that
                    // occurred, rather than one lookup from its block's start
                    // for each.
                    let ords: Vec<u64> = (0..counts.len() as u64)
                        .filter(|&ord| counts[ord as usize] > 0)
                        .collect();
                    let mut values = Vec::with_capacity(ords.len());
                    let found = column
                        .dictionary()
                        .sorted_ords_to_term_cb(&ords, |bytes| {
                            values.push(String::from_utf8_lossy(bytes).into_owned());
                        })
                        .unwrap_or(false);
                    if !found || values.len() != ords.len() {
                        return HashMap::new();
                    }
                    ords.iter()
                        .zip(values)
                        .map(|(&ord, value)| (value, u64::from(counts[ord as usize])))
                        .collect()
                }
                SegmentFacet::Dates(_, by, counts) => counts
                    .into_iter()
                    .map(|(key, n)| (bucket_label(key, by), u64::from(n)))
                    .collect(),
                SegmentFacet::Missing => HashMap::new(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::AllQuery;
    use tantivy::time::macros::datetime;
    use tantivy::TantivyDocument;

    use crate::archive::Article;
    use crate::entities::Entities;
    use crate::index::document::to_document;
    use crate::index::NewsIndex;

    /// Values kept per segment count as the dictionary read for each search
    /// does, over several segments, and again from what was kept.
    #[test]
    fn kept_values_count_as_the_dictionary_does() {
        let index = NewsIndex::in_memory().unwrap();
        let mut writer = index
            .index
            .writer_with_num_threads::<TantivyDocument>(1, 50_000_000)
            .unwrap();
        for i in 0..120 {
            let article = Article {
                id: format!("d{i}"),
                body: "نص".into(),
                ..Article::default()
            };
            let entities = Entities {
                countries: ["TR", "RU", "SY", "EG", "IQ"][..i % 4]
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
                actors: vec![format!("شخص {}", i / 10)],
                ..Entities::default()
            };
            writer
                .add_document(to_document(&index.schema, &article, &entities))
                .unwrap();
            if i % 50 == 49 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2);
        let sources = vec![
            FacetSource::Terms {
                field: "countries".into(),
            },
            FacetSource::Terms {
                field: "actors".into(),
            },
        ];
        let read = searcher
            .search(&AllQuery, &FacetCounter::new(sources.clone()))
            .unwrap();
        assert_eq!(read[0].get("RU"), Some(&60));
        assert_eq!(read[1].len(), 12);
        let terms = FacetTerms::default();
        for _ in 0..2 {
            let kept = FacetCounter::with_terms(sources.clone(), &terms, &searcher);
            assert_eq!(searcher.search(&AllQuery, &kept).unwrap(), read);
        }
    }

    #[test]
    fn month_buckets_round_trip() {
        let d = DateTime::from_utc(datetime!(2018-03-05 10:00 UTC));
        assert_eq!(
            bucket_label(bucket(d, DateBucket::Month), DateBucket::Month),
            "2018-03"
        );
        assert_eq!(
            bucket_label(bucket(d, DateBucket::Year), DateBucket::Year),
            "2018"
        );
        let d = DateTime::from_utc(datetime!(2018-12-31 23:59 UTC));
        assert_eq!(
            bucket_label(bucket(d, DateBucket::Month), DateBucket::Month),
            "2018-12"
        );
    }
}
