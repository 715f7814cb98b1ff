//! CSV and JSON for any tidy rows that serialise to flat objects (comparisons, tests). Column
//! order is the struct's field order; numbers use the shortest round-trip form; NaN is empty
//! in CSV and null in JSON. Text values are CSV-escaped against formula injection
//! ([`crate::text::escape::csv_text`]); numbers, booleans and empty values are not.

use crate::text::num;
use serde::Serialize;
use std::io::Write;

/// A row as a flat JSON object (an error for anything else). Rows are converted one at a time,
/// as they are written: a report's thousands of comparisons never sit in memory twice.
fn object<T: Serialize>(row: &T) -> std::io::Result<serde_json::Map<String, serde_json::Value>> {
    match serde_json::to_value(row)? {
        serde_json::Value::Object(m) => Ok(m),
        _ => Err(std::io::Error::other("a tidy row must be an object")),
    }
}

/// Serialises as its row's object ([`object`]).
struct AsObject<'a, T>(&'a T);

impl<T: Serialize> Serialize for AsObject<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object(self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

fn field(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.to_string(),
            (_, Some(i), _) => i.to_string(),
            (_, _, Some(f)) => num(f),
            _ => n.to_string(),
        },
        serde_json::Value::String(s) => crate::text::escape::csv_text(s).into_owned(),
        other => other.to_string(),
    }
}

/// Write rows as CSV with a header (the field names); `header` gives it when there are no rows.
pub fn write_csv<T: Serialize>(
    rows: &[T],
    header: &[&str],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if rows.is_empty() {
        w.write_record(header)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let o = object(row)?;
        if i == 0 {
            w.write_record(o.keys())?;
        }
        w.write_record(o.values().map(field))?;
    }
    w.flush()
}

pub fn write_json<T: Serialize>(rows: &[T], out: &mut dyn Write) -> std::io::Result<()> {
    let mut s = serde_json::Serializer::pretty(&mut *out);
    serde::Serializer::collect_seq(&mut s, rows.iter().map(AsObject))?;
    writeln!(out)
}
