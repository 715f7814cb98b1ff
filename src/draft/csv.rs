//! Drafting a codebook from a CSV file: the delimiter sniffed outside quoted fields (or given),
//! then every row streamed as text cells into the column profiles (the whole file is read, so
//! every code that occurs is declared and the draft runs as it is).

use super::profile::TableProfile;
use super::sniff::{detect_delimiter, shown};
use super::table::draft_profile;
use super::{Draft, Setting};
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the start of the file the delimiter is sniffed from.
const HEAD: usize = 64 * 1024;

/// How the file is written, when the user says so (`--delimiter`, `--decimal`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    pub delimiter: Option<u8>,
    pub decimal: Option<u8>,
}

pub fn draft_csv(path: &Path, options: &CsvOptions) -> Result<Draft> {
    let (head, complete, bom) = read_head(path)?;
    let delimiter = match options.delimiter {
        Some(d) => Setting {
            value: d,
            why: "as given (--delimiter)".into(),
        },
        None => Setting {
            value: detect_delimiter(&String::from_utf8_lossy(&head), complete),
            why: "detected (counted outside quoted fields)".into(),
        },
    };
    // With `,` between fields, numbers cannot use `,` as their decimal mark.
    let decimal = match options.decimal {
        Some(d) if d == delimiter.value => {
            return Err(Error::Usage(format!(
            "{}: the decimal mark '{}' is also the delimiter; give the delimiter with --delimiter",
            path.display(),
            d as char
        )))
        }
        Some(d) => Some(d),
        None if delimiter.value == b',' => Some(b'.'),
        None => None,
    };
    let (header, profile) = profile_csv(path, bom, delimiter.value)?;
    if profile.rows == 0 {
        return Err(Error::data_file(
            path,
            "no data rows to draft a codebook from",
        ));
    }
    let title = path
        .file_stem()
        .map_or("Enquête".into(), |s| s.to_string_lossy().into_owned());
    let (mut draft, mark) = draft_profile(
        &header,
        &profile,
        &title,
        &path.display().to_string(),
        decimal,
    );
    if header.len() == 1 {
        draft.notes.push(format!(
            "The header has a single column with the delimiter '{}': if the file has more, give \
             it with --delimiter (check)",
            shown(delimiter.value)
        ));
    }
    draft.decimal = (mark != b'.').then(|| Setting {
        value: mark,
        why: if options.decimal.is_some() {
            "as given (--decimal)".into()
        } else {
            "detected".into()
        },
    });
    draft.delimiter = (delimiter.value != b',').then_some(delimiter);
    Ok(draft)
}

/// The start of the file (after a UTF-8 byte-order mark), whether that is the whole file, and
/// whether there was a mark. A NUL byte means a binary file: an error rather than a draft of
/// nonsense.
fn read_head(path: &Path) -> Result<(Vec<u8>, bool, bool)> {
    let read_error = |e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    };
    let file = File::open(path).map_err(read_error)?;
    let mut head = Vec::with_capacity(HEAD + 1);
    file.take(HEAD as u64 + 1)
        .read_to_end(&mut head)
        .map_err(read_error)?;
    let complete = head.len() <= HEAD;
    head.truncate(HEAD);
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    if bom {
        head.drain(..3);
    }
    if let Some(i) = memchr::memchr(0, &head) {
        return Err(Error::data_file(
            path,
            format!("not a CSV text file: a NUL byte at byte offset {i}"),
        ));
    }
    Ok((head, complete, bom))
}

/// The raw header cells and the profile of every column, reading the file once.
fn profile_csv(path: &Path, bom: bool, delimiter: u8) -> Result<(Vec<String>, TableProfile)> {
    let read_error = |e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    };
    let mut file = File::open(path).map_err(read_error)?;
    if bom {
        file.seek(SeekFrom::Start(3)).map_err(read_error)?;
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::new(file));
    let mut record = ::csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut profile = TableProfile::new(0);
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| Error::data_file(path, format!("cannot read: {e}")))?
    {
        let line = record.position().map_or(0, |p| p.line());
        let cells = record
            .iter()
            .map(std::str::from_utf8)
            .collect::<std::result::Result<Vec<&str>, _>>()
            .map_err(|_| {
                Error::data_file(
                    path,
                    format!("line {line} is not UTF-8 text; save the file as UTF-8"),
                )
            })?;
        match &header {
            None => {
                header = Some(cells.iter().map(|c| c.to_string()).collect());
                profile = TableProfile::new(cells.len());
            }
            Some(_) => profile.add_row(cells.iter().copied()),
        }
    }
    let header = header.ok_or_else(|| Error::data_file(path, "the file is empty (no header)"))?;
    Ok((header, profile))
}
