//! Facet counts over every matching document.
//!
//! Keyword facets count the fast (columnar) term ordinals of their field, so
//! counting costs one array increment per value of each match and reads no
//! stored document; ordinals become strings once per segment, only for
//! values that occurred. Date facets (`year`, `month`) bucket the fast date
//! column the same way.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

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

/// Counts several facets over all matches.
pub struct FacetCounter {
    sources: Vec<FacetSource>,
}

impl FacetCounter {
    pub fn new(sources: Vec<FacetSource>) -> FacetCounter {
        FacetCounter { sources }
    }
}

/// Per-facet value counts, in the order the facets were given.
pub type FacetFruit = Vec<HashMap<String, u64>>;

enum SegmentFacet {
    Terms(StrColumn, Vec<u32>),
    Dates(Column<DateTime>, DateBucket, HashMap<i32, u32>),
    Missing,
}

/// The per-segment state of [`FacetCounter`].
pub struct SegmentFacetCounter {
    facets: Vec<SegmentFacet>,
}

impl Collector for FacetCounter {
    type Fruit = FacetFruit;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let facets = self
            .sources
            .iter()
            .map(|source| {
                Ok(match source {
                    FacetSource::Terms { field } => match segment.fast_fields().str(field)? {
                        Some(column) => {
                            let n = column.num_terms();
                            SegmentFacet::Terms(column, vec![0; n])
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
                SegmentFacet::Terms(column, counts) => {
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
                SegmentFacet::Terms(column, counts) => {
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
    use tantivy::time::macros::datetime;

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
