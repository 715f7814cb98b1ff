//! Drafting a codebook from an Excel workbook (a worksheet) or a Parquet file: their readers
//! give text records, streamed into the same column profiles as a CSV file's rows. Numbers
//! arrive written with a decimal point, so `[data]` needs nothing.

use super::profile::TableProfile;
use super::table::draft_profile;
use super::Draft;
use crate::error::Result;
use crate::input::lanes::TextChunk;
use crate::input::scan::RecordSource;
use crate::input::Kind;
use std::path::Path;

/// Records per chunk read.
const CHUNK: usize = 4096;

/// A draft of the Excel (`sheet`, or the first) or Parquet file at `path`.
pub fn draft_records(path: &Path, kind: Kind, sheet: Option<&str>) -> Result<Draft> {
    let source = crate::input::source::take(path)?;
    let title = path
        .file_stem()
        .map_or("Enquête".into(), |s| s.to_string_lossy().into_owned());
    let name = path.display().to_string();
    let mut draft = match kind {
        Kind::Xlsx => {
            crate::input::xlsx::with_rows(source, sheet, |rows| profile(rows, &title, &name))?
        }
        _ => {
            let mut rows = crate::input::parquet::ParquetRecords::open(source)?;
            let other = rows.read_all()?;
            let mut draft = profile(&mut rows, &title, &name)?;
            for c in other {
                draft.skipped.push((
                    c,
                    "values of a type other than numbers, text, booleans or dates".into(),
                ));
            }
            draft
        }
    };
    if let Some(s) = sheet {
        draft.notes.push(format!(
            "Drafted from the sheet '{s}': read it with --sheet {s}"
        ));
    }
    Ok(draft)
}

/// Every record into the column profiles, then the draft.
fn profile(
    rows: &mut dyn RecordSource,
    title: &str,
    source: &str,
) -> crate::input::error::Result<Draft> {
    let header = rows.header();
    let mut profile = TableProfile::for_header(&header);
    let mut chunk = TextChunk::default();
    loop {
        let n = rows.next_chunk(&mut chunk, CHUNK)?;
        if n == 0 {
            break;
        }
        for rec in &chunk.records[..n] {
            profile.add_row(rec.iter().map(|f| std::str::from_utf8(f).unwrap_or("")));
        }
    }
    let mut notes = Vec::new();
    rows.finish(&mut notes)?;
    if profile.rows == 0 {
        return Err(crate::input::error::Error::data_file(
            Path::new(source),
            "no data rows to draft a codebook from",
        ));
    }
    let (mut draft, _) = draft_profile(&header, &profile, title, source, Some(b'.'));
    draft
        .notes
        .extend(notes.into_iter().map(|n| format!("{n} (check)")));
    Ok(draft)
}
