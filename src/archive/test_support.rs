//! Running a reader on bytes in memory, for the readers' unit tests.

use std::path::Path;

use super::input::{from_bytes, ReadOptions};
use super::{FieldMap, Format, Record};

/// Reads `bytes` as `rel_path` with `format`.
pub fn read_with(format: &'static dyn Format, rel_path: &str, bytes: &[u8]) -> Vec<Record> {
    read_with_options(format, rel_path, bytes, ReadOptions::default())
}

/// Like [`read_with`], with a per-record cap of `cap` bytes.
pub fn read_with_cap(
    format: &'static dyn Format,
    rel_path: &str,
    bytes: &[u8],
    cap: usize,
) -> Vec<Record> {
    let options = ReadOptions {
        max_record_bytes: cap,
        ..ReadOptions::default()
    };
    read_with_options(format, rel_path, bytes, options)
}

/// Like [`read_with`], with field mappings.
pub fn read_with_fields(
    format: &'static dyn Format,
    rel_path: &str,
    bytes: &[u8],
    fields: FieldMap,
) -> Vec<Record> {
    let options = ReadOptions {
        fields,
        ..ReadOptions::default()
    };
    read_with_options(format, rel_path, bytes, options)
}

fn read_with_options(
    format: &'static dyn Format,
    rel_path: &str,
    bytes: &[u8],
    mut options: ReadOptions,
) -> Vec<Record> {
    options.format = Some(format);
    let (mut input, _) = match from_bytes(bytes.to_vec(), Path::new(rel_path), rel_path, &options) {
        Ok(opened) => opened,
        Err(e) => return vec![Err(super::RecordError::new(0, e.kind, e.reason))],
    };
    let mut records = Vec::new();
    format.read(&mut input, &mut |r| records.push(r));
    records
}
