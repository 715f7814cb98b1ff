//! Tidy JSON: an array with one object per estimate (NaN becomes null).

use crate::stats::Estimate;
use std::io::Write;

pub fn write(rows: &[Estimate], out: &mut dyn Write) -> std::io::Result<()> {
    let value: Vec<serde_json::Value> = rows
        .iter()
        // serde_json writes NaN as null.
        .map(|e| serde_json::to_value(e).unwrap_or(serde_json::Value::Null))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
