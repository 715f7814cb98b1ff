//! Opening a data file once, whatever it is: a regular file, a pipe, a FIFO or `/dev/stdin`.
//!
//! The format is told from the first bytes (SPSS `$FL2`/`$FL3`, a ZIP archive for `.xlsx`,
//! `PAR1` for Parquet, else CSV text). Those bytes are kept and handed on, so nothing is lost on
//! a pipe. Readers that need to seek (SPSS, Excel, Parquet) get the file itself when it is a
//! regular file, and otherwise the whole stream read into memory (up to [`MAX_IN_MEMORY`]).
//!
//! Commands look at a data file more than once before its pass (the format, then an SPSS
//! dictionary for the codebook, then the rows). So that a pipe is read once and a file opened
//! once, an opened input is *parked* under its path between those steps and taken back by the
//! next; the pass takes it for good. A parked regular file is only reused while the path still
//! names the same file.

use crate::input::error::{Error, Result};
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The largest non-seekable input (a pipe) read into memory for a format that needs to seek.
pub const MAX_IN_MEMORY: u64 = 1 << 30;
/// Bytes looked at to tell the format.
const SNIFF: usize = 8;

/// What a data file is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Spss,
    Xlsx,
    Parquet,
}

impl Kind {
    fn of(head: &[u8]) -> Kind {
        if head.starts_with(b"$FL2") || head.starts_with(b"$FL3") {
            Kind::Spss
        } else if head.starts_with(b"PK\x03\x04") {
            Kind::Xlsx
        } else if head.starts_with(b"PAR1") {
            Kind::Parquet
        } else {
            Kind::Csv
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Csv => "CSV",
            Kind::Spss => "SPSS",
            Kind::Xlsx => "Excel (.xlsx)",
            Kind::Parquet => "Parquet",
        }
    }
}

/// A seekable view of an input: the file itself, or a stream's bytes in memory.
pub enum Body {
    File(File),
    Memory(Cursor<Vec<u8>>),
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Body::File(f) => f.read(buf),
            Body::Memory(m) => m.read(buf),
        }
    }
}

impl Seek for Body {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Body::File(f) => f.seek(pos),
            Body::Memory(m) => m.seek(pos),
        }
    }
}

impl Body {
    /// The number of bytes.
    pub fn size(&mut self) -> std::io::Result<u64> {
        match self {
            Body::File(f) => f.metadata().map(|m| m.len()),
            Body::Memory(m) => Ok(m.get_ref().len() as u64),
        }
    }
}

enum Content {
    /// Not read past the sniffed bytes (`head`).
    Stream { file: File, head: Vec<u8> },
    /// Made seekable for a reader that needs it.
    Seekable(Body),
}

/// An opened data file.
pub struct Source {
    pub path: PathBuf,
    pub kind: Kind,
    /// A regular file (seekable, reopenable); otherwise a pipe, FIFO or device, read once.
    pub regular: bool,
    /// The file's size when it is a regular file.
    pub len: Option<u64>,
    /// (device, inode) of a regular file, to tell whether the path still names it.
    identity: Option<(u64, u64)>,
    content: Content,
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::Read {
        path: path.to_path_buf(),
        source: e,
    }
}

fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Read into `buf` until it holds `want` bytes or the input ends. The bytes go straight into
/// the vector's spare room (`read_to_end` on a bounded reader), not zero-filled first: a
/// memset of every block read cost the reader thread a pass over the whole file.
pub(super) fn fill_to(r: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<()> {
    let more = want.saturating_sub(buf.len());
    if more > 0 {
        buf.reserve(more);
        r.take(more as u64).read_to_end(buf)?;
    }
    Ok(())
}

impl Source {
    /// Open `path` and tell its format from its first bytes (kept for the reader).
    pub fn open(path: &Path) -> Result<Source> {
        let mut file = File::open(path).map_err(|e| read_error(path, e))?;
        let meta = file.metadata().map_err(|e| read_error(path, e))?;
        if meta.is_dir() {
            return Err(Error::data_file(
                path,
                "this is a folder; expected a data file",
            ));
        }
        let regular = meta.is_file();
        let mut head = Vec::with_capacity(SNIFF);
        fill_to(&mut file, &mut head, SNIFF).map_err(|e| read_error(path, e))?;
        Ok(Source {
            path: path.to_path_buf(),
            kind: Kind::of(&head),
            regular,
            len: regular.then_some(meta.len()),
            identity: if regular { identity(&meta) } else { None },
            content: Content::Stream { file, head },
        })
    }

    /// The input as a stream from its first byte: the bytes already read, then the rest.
    pub fn into_stream(self) -> Result<(Vec<u8>, Box<dyn Read + Send>)> {
        let path = self.path;
        match self.content {
            Content::Stream { mut file, head } => {
                if self.regular {
                    // Start over on the file itself: it may have been parked a while.
                    file.seek(SeekFrom::Start(0))
                        .map_err(|e| read_error(&path, e))?;
                    Ok((Vec::new(), Box::new(file)))
                } else {
                    Ok((head, Box::new(file)))
                }
            }
            Content::Seekable(mut body) => {
                body.seek(SeekFrom::Start(0))
                    .map_err(|e| read_error(&path, e))?;
                Ok((Vec::new(), Box::new(body)))
            }
        }
    }

    /// The input as a seekable body, rewound. A stream is read into memory once (refused past
    /// [`MAX_IN_MEMORY`]); later calls give the same bytes.
    pub fn seekable(&mut self) -> Result<&mut Body> {
        if let Content::Stream { file, head } = &mut self.content {
            let body = if self.regular {
                let mut f = file.try_clone().map_err(|e| read_error(&self.path, e))?;
                f.seek(SeekFrom::Start(0))
                    .map_err(|e| read_error(&self.path, e))?;
                Body::File(f)
            } else {
                let mut bytes = std::mem::take(head);
                let mut limited = file.take(MAX_IN_MEMORY + 1 - bytes.len() as u64);
                limited
                    .read_to_end(&mut bytes)
                    .map_err(|e| read_error(&self.path, e))?;
                if bytes.len() as u64 > MAX_IN_MEMORY {
                    return Err(Error::data_file(
                        &self.path,
                        format!(
                            "a {} file read from a pipe is held in memory, and this one is larger \
                             than {} MiB; save it to a file first",
                            self.kind.name(),
                            MAX_IN_MEMORY >> 20
                        ),
                    ));
                }
                Body::Memory(Cursor::new(bytes))
            };
            self.content = Content::Seekable(body);
        }
        let Content::Seekable(body) = &mut self.content else {
            unreachable!("made seekable above")
        };
        body.seek(SeekFrom::Start(0))
            .map_err(|e| read_error(&self.path, e))?;
        Ok(body)
    }

    /// The input as a seekable body of its own, rewound (see [`Source::seekable`]).
    pub fn into_body(mut self) -> Result<Body> {
        self.seekable()?;
        match self.content {
            Content::Seekable(body) => Ok(body),
            Content::Stream { .. } => unreachable!("made seekable above"),
        }
    }

    /// Whether `path` still names the file this source has open.
    fn still_at_path(&self) -> bool {
        if !self.regular {
            return true;
        }
        match std::fs::metadata(&self.path) {
            Ok(meta) => meta.is_file() && identity(&meta) == self.identity,
            Err(_) => false,
        }
    }
}

/// Inputs opened by one step (telling the format, reading a dictionary) and not yet read.
static PARKED: Mutex<Vec<Source>> = Mutex::new(Vec::new());

fn parked() -> std::sync::MutexGuard<'static, Vec<Source>> {
    // A panic elsewhere while holding the lock leaves the list intact: keep using it.
    PARKED.lock().unwrap_or_else(|e| e.into_inner())
}

/// The input at `path`: the one parked there by an earlier step, or newly opened.
pub fn take(path: &Path) -> Result<Source> {
    let found = {
        let mut list = parked();
        list.iter()
            .position(|s| s.path == path)
            .map(|i| list.swap_remove(i))
    };
    match found {
        Some(s) if s.still_at_path() => Ok(s),
        _ => Source::open(path),
    }
}

/// Keep an opened input for the next step that reads `source.path`.
pub fn park(source: Source) {
    parked().push(source);
}

/// Run `f` on the input at `path` and park it again for the next step.
pub fn with_source<T>(path: &Path, f: impl FnOnce(&mut Source) -> Result<T>) -> Result<T> {
    let mut source = take(path)?;
    let out = f(&mut source);
    park(source);
    out
}

/// The format of the file at `path`, by content.
pub fn kind(path: &Path) -> Result<Kind> {
    with_source(path, |s| Ok(s.kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_first_bytes() {
        assert_eq!(Kind::of(b"$FL2@(#)"), Kind::Spss);
        assert_eq!(Kind::of(b"$FL3"), Kind::Spss);
        assert_eq!(Kind::of(b"PK\x03\x04\x14\0"), Kind::Xlsx);
        assert_eq!(Kind::of(b"PAR1\x15\x04"), Kind::Parquet);
        assert_eq!(Kind::of(b"id;x\n"), Kind::Csv);
        assert_eq!(Kind::of(b""), Kind::Csv);
    }

    #[test]
    fn a_parked_file_is_reused_and_a_replaced_one_reopened() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, "a\n1\n").unwrap();
        assert_eq!(kind(&p).unwrap(), Kind::Csv);
        let s = take(&p).unwrap();
        let (head, mut rest) = s.into_stream().unwrap();
        let mut all = head;
        rest.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"a\n1\n");
        // Parked, then the path is replaced by another file: the new one is read.
        assert_eq!(kind(&p).unwrap(), Kind::Csv);
        let q = dir.path().join("e.csv");
        std::fs::write(&q, "PAR1").unwrap();
        std::fs::rename(&q, &p).unwrap();
        assert_eq!(take(&p).unwrap().kind, Kind::Parquet);
    }
}
