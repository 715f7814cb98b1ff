//! Tidy JSON: an array with one object per estimate (NaN becomes null).

use crate::stats::Estimate;
use std::io::Write;

pub fn write<'a>(
    rows: impl IntoIterator<Item = &'a Estimate>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // One estimate at a time, as it is written (serde_json writes NaN as null).
    let values = rows
        .into_iter()
        .map(|e| serde_json::to_value(e).unwrap_or(serde_json::Value::Null));
    let mut s = serde_json::Serializer::pretty(&mut *out);
    serde::Serializer::collect_seq(&mut s, values)?;
    writeln!(out)
}
