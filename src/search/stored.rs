//! The stored fields a hit shows, read in place from the document store.
//!
//! tantivy decodes a stored document into owned values: every text is read
//! through `std::io`, checked as UTF-8 by the standard library's validator
//! and copied twice, the fields no hit shows included. Every hit of every
//! search is read (its body above all, for the snippet), and that decoding
//! was a sixth of a search's time. Here a document's bytes are read where
//! the store's block cache holds them, in the store's binary layout (a
//! count, then per value its field id, type code and value), texts checked
//! by a SIMD validator and borrowed. The layout is tantivy's, not a public
//! interface: each segment's first documents (up to one with a date) are
//! read both ways when the segment is opened, and a segment that does not
//! read the same, or a document holding a kind of value not read here, is
//! read by tantivy.

use tantivy::schema::Value;
use tantivy::store::StoreReader;
use tantivy::{DateTime, DocAddress, TantivyDocument};

use super::segments::PerSegment;
use crate::index::schema::Fields;

/// The stored fields of an article that a hit shows.
#[derive(Debug, Default, PartialEq)]
pub struct StoredHit<'a> {
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub body: Option<&'a str>,
    pub date: Option<DateTime>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub countries: Vec<&'a str>,
    pub places: Vec<&'a str>,
    pub actors: Vec<&'a str>,
}

impl<'a> StoredHit<'a> {
    /// The fields of a document decoded by tantivy: the first value of each
    /// single field, all values of the lists.
    pub fn of_document(doc: &'a TantivyDocument, f: &Fields) -> StoredHit<'a> {
        let text = |field| doc.get_first(field).and_then(|v| v.as_str());
        let texts = |field| doc.get_all(field).filter_map(|v| v.as_str()).collect();
        StoredHit {
            id: text(f.id),
            title: text(f.title),
            body: text(f.body),
            date: doc.get_first(f.date).and_then(|v| v.as_datetime()),
            source: text(f.source),
            url: text(f.url),
            countries: texts(f.countries),
            places: texts(f.places),
            actors: texts(f.actors),
        }
    }

    /// The fields of a document's stored bytes, as [`Self::of_document`]
    /// gives them; `None` when the bytes hold anything but texts and dates,
    /// or are not what tantivy writes.
    pub fn parse(bytes: &'a [u8], f: &Fields) -> Option<StoredHit<'a>> {
        let mut reader = Reader { bytes, at: 0 };
        let mut hit = StoredHit::default();
        for _ in 0..reader.vint()? {
            let field = reader.u32()?;
            match reader.byte()? {
                TEXT_CODE => {
                    let len = usize::try_from(reader.vint()?).ok()?;
                    let text = simdutf8::basic::from_utf8(reader.take(len)?).ok()?;
                    let first = |slot: &mut Option<&'a str>| {
                        slot.get_or_insert(text);
                    };
                    match field {
                        _ if field == f.id.field_id() => first(&mut hit.id),
                        _ if field == f.title.field_id() => first(&mut hit.title),
                        _ if field == f.body.field_id() => first(&mut hit.body),
                        _ if field == f.source.field_id() => first(&mut hit.source),
                        _ if field == f.url.field_id() => first(&mut hit.url),
                        _ if field == f.countries.field_id() => hit.countries.push(text),
                        _ if field == f.places.field_id() => hit.places.push(text),
                        _ if field == f.actors.field_id() => hit.actors.push(text),
                        _ => {}
                    }
                }
                DATE_CODE => {
                    let nanos = i64::from_le_bytes(reader.take(8)?.try_into().ok()?);
                    if field == f.date.field_id() && hit.date.is_none() {
                        hit.date = Some(DateTime::from_timestamp_nanos(nanos));
                    }
                }
                _ => return None,
            }
        }
        (reader.at == bytes.len()).then_some(hit)
    }
}

/// The type codes of the store's layout read here.
const TEXT_CODE: u8 = 0;
const DATE_CODE: u8 = 5;

/// Reads the store's layout from a byte slice; `None` past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    /// Seven bits a byte, low bits first; the last byte has its top bit set.
    fn vint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7F) << shift;
            if b & 0x80 != 0 {
                return Some(value);
            }
        }
        None
    }
}

/// Documents of a segment read both ways at most, looking for one with a
/// date.
const DOCS_CHECKED: u32 = 100;

/// One segment's document store, and whether its layout reads as tantivy
/// reads it.
struct SegmentStore {
    reader: StoreReader,
    in_place: bool,
}

/// The document stores of the segments searched, each with its cache of
/// decompressed blocks.
pub struct Stores {
    fields: Fields,
    cache_blocks: usize,
    segments: PerSegment<SegmentStore>,
}

impl Stores {
    /// Stores keeping `cache_blocks` decompressed blocks per segment.
    pub fn new(fields: Fields, cache_blocks: usize) -> Stores {
        Stores {
            fields,
            cache_blocks,
            segments: PerSegment::default(),
        }
    }

    /// Calls `f` with the shown fields of the article at `address`.
    pub fn with_hit<R>(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        f: impl FnOnce(StoredHit<'_>) -> R,
    ) -> tantivy::Result<R> {
        let store = self
            .segments
            .get(searcher, address.segment_ord, |segment| {
                let reader = segment.get_store_reader(self.cache_blocks)?;
                let in_place = self.reads_alike(&reader, segment.max_doc())?;
                Ok(SegmentStore { reader, in_place })
            })?;
        if store.in_place {
            let bytes = store.reader.get_document_bytes(address.doc_id)?;
            if let Some(hit) = StoredHit::parse(&bytes, &self.fields) {
                return Ok(f(hit));
            }
        }
        let doc: TantivyDocument = store.reader.get(address.doc_id)?;
        Ok(f(StoredHit::of_document(&doc, &self.fields)))
    }

    /// Whether the first document of a segment of `max_doc` documents, and
    /// the first with a date among the next ones, read the same in place
    /// and through tantivy.
    fn reads_alike(&self, reader: &StoreReader, max_doc: u32) -> tantivy::Result<bool> {
        for doc in 0..max_doc.min(DOCS_CHECKED) {
            let bytes = reader.get_document_bytes(doc)?;
            let decoded: TantivyDocument = reader.get(doc)?;
            let expected = StoredHit::of_document(&decoded, &self.fields);
            if StoredHit::parse(&bytes, &self.fields).as_ref() != Some(&expected) {
                return Ok(false);
            }
            if expected.date.is_some() {
                break;
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{date, Article};
    use crate::entities::Entities;
    use crate::index::document::to_document;
    use crate::index::NewsIndex;

    fn article(i: usize) -> Article {
        Article {
            id: format!("seed/{i}.txt"),
            title: (!i.is_multiple_of(3)).then(|| format!("عنوان الخبر {i} «بيرقدار»")),
            body: "نص الخبر، مع علامات: ٢٠٢٢ TB2 \u{200F}روسيا\u{200F}. ".repeat(i % 40 + 1),
            date: (i % 4 != 1).then(|| date::parse("2021-03-04T05:06:07.123456789Z").unwrap()),
            source: Some(format!("مصدر {}", i % 5)),
            category: Some("سياسة".into()),
            url: i
                .is_multiple_of(2)
                .then(|| format!("https://example.org/{i}")),
            author: None,
            path: format!("seed/{i}.txt"),
            ..Article::default()
        }
    }

    fn entities(i: usize) -> Entities {
        let mut entities = Entities::default();
        for k in 0..i % 4 {
            entities.countries.push(["TR", "RU", "SY"][k % 3].into());
            entities.places.push(format!("مكان {k}"));
            entities.actors.push(format!("شخص {k}"));
        }
        entities
    }

    /// Every document reads in place as tantivy decodes it, so no segment
    /// of an index this binary writes falls back to tantivy's decoding.
    #[test]
    fn documents_read_in_place_as_tantivy_decodes_them() {
        let index = NewsIndex::in_memory().unwrap();
        let f = &index.schema.fields;
        let mut writer = index
            .index
            .writer_with_num_threads::<TantivyDocument>(1, 50_000_000)
            .unwrap();
        for i in 0..300 {
            let doc = to_document(&index.schema, &article(i), &entities(i));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let reader = segment.get_store_reader(10).unwrap();
        let (mut dated, mut listed) = (0, 0);
        for doc in 0..segment.max_doc() {
            let bytes = reader.get_document_bytes(doc).unwrap();
            let decoded: TantivyDocument = reader.get(doc).unwrap();
            let expected = StoredHit::of_document(&decoded, f);
            assert_eq!(StoredHit::parse(&bytes, f).as_ref(), Some(&expected));
            assert!(expected.id.is_some() && expected.body.is_some());
            dated += usize::from(expected.date.is_some());
            listed += usize::from(expected.countries.len() > 1);
        }
        assert!(dated > 100 && listed > 50, "{dated} dated, {listed} listed");
        let stores = Stores::new(*f, 10);
        let address = DocAddress::new(0, 7);
        let title = stores.with_hit(&searcher, address, |hit| hit.title.map(String::from));
        assert_eq!(title.unwrap().as_deref(), Some("عنوان الخبر 7 «بيرقدار»"));
        let store = stores
            .segments
            .get(&searcher, 0, |_| unreachable!())
            .unwrap();
        assert!(store.in_place);
    }

    /// Bytes that are not the layout, or hold other kinds of values, are
    /// left to tantivy rather than misread.
    #[test]
    fn bytes_of_another_shape_are_not_read() {
        let index = NewsIndex::in_memory().unwrap();
        let f = &index.schema.fields;
        let body = f.body.field_id().to_le_bytes();
        let mut good = vec![0x81, body[0], body[1], body[2], body[3], TEXT_CODE, 0x82];
        good.extend_from_slice("نص".as_bytes()[..2].as_ref());
        assert_eq!(StoredHit::parse(&good, f).unwrap().body, Some("ن"));
        // a u64 value, a cut text, invalid UTF-8, bytes left over
        let mut other = good.clone();
        other[5] = 1;
        assert_eq!(StoredHit::parse(&other, f), None);
        assert_eq!(StoredHit::parse(&good[..good.len() - 1], f), None);
        let mut invalid = good.clone();
        invalid[7] = 0xFF;
        assert_eq!(StoredHit::parse(&invalid, f), None);
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(StoredHit::parse(&longer, f), None);
    }
}
