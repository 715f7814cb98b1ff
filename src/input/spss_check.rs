//! Checking that an SPSS file was read to its last byte, record by record.
//!
//! `ambers` reads the data section until it runs out and drops an incomplete last case without
//! a word; a file whose header gives the case count (-1 means unknown) is checked against it,
//! but a truncated file with an unknown count would pass shorter. So the bytes `ambers` reads
//! pass through [`Tracked`], which notes where the dictionary ends and, for bytecode-compressed
//! files, follows the compression codes to count complete cases. At the end the data section
//! must hold whole cases and nothing else.

use std::io::{Read, Seek, SeekFrom};
use std::sync::{Arc, Mutex};

/// What the fixed 176-byte file header says.
#[derive(Debug, Clone, Copy)]
pub struct SavHeader {
    /// 8-byte slots per case.
    pub case_slots: i32,
    /// 0 none, 1 bytecode, 2 zlib (.zsav).
    pub compression: i32,
    /// The number of cases, or -1 when the writer did not know it.
    pub cases: i32,
}

impl SavHeader {
    /// Parse the header from the file's first bytes.
    pub fn parse(bytes: &[u8]) -> Option<SavHeader> {
        if bytes.len() < 84 {
            return None;
        }
        let le = |o: usize| i32::from_le_bytes(bytes[o..o + 4].try_into().expect("4 bytes"));
        let be = |o: usize| i32::from_be_bytes(bytes[o..o + 4].try_into().expect("4 bytes"));
        // The layout code is 2 or 3 in the writer's byte order.
        let get: &dyn Fn(usize) -> i32 = if matches!(le(64), 2 | 3) { &le } else { &be };
        Some(SavHeader {
            case_slots: get(68),
            compression: get(72),
            cases: get(80),
        })
    }
}

/// Follows bytecode compression: control blocks of 8 codes, code 253 followed by 8 raw bytes,
/// 252 the end of the data, 0 padding, the others one slot each.
#[derive(Debug, Default)]
pub struct BytecodeCount {
    /// Complete 8-byte slots seen.
    pub slots: u64,
    codes: [u8; 8],
    /// Bytes of the current control block still to come (0: a new block starts).
    codes_missing: usize,
    /// The next code to interpret (8: the block is used up).
    next_code: usize,
    /// Raw bytes still to come for a code 253.
    raw_missing: usize,
    /// Code 252 was seen: the rest is not data.
    pub ended: bool,
}

impl BytecodeCount {
    fn new() -> Self {
        BytecodeCount {
            next_code: 8,
            ..Default::default()
        }
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() && !self.ended {
            if self.raw_missing > 0 {
                let n = self.raw_missing.min(bytes.len());
                self.raw_missing -= n;
                bytes = &bytes[n..];
                if self.raw_missing == 0 {
                    self.slots += 1;
                    self.interpret();
                }
                continue;
            }
            // A new control block.
            if self.codes_missing == 0 {
                self.codes_missing = 8;
            }
            let at = 8 - self.codes_missing;
            let n = self.codes_missing.min(bytes.len());
            self.codes[at..at + n].copy_from_slice(&bytes[..n]);
            self.codes_missing -= n;
            bytes = &bytes[n..];
            if self.codes_missing == 0 {
                self.next_code = 0;
                self.interpret();
            }
        }
    }

    /// Interpret codes until one needs raw bytes or the block is used up.
    fn interpret(&mut self) {
        while self.next_code < 8 {
            let c = self.codes[self.next_code];
            self.next_code += 1;
            match c {
                0 => {}
                252 => {
                    self.ended = true;
                    return;
                }
                253 => {
                    self.raw_missing = 8;
                    return;
                }
                _ => self.slots += 1,
            }
        }
    }

    /// Whether the data stopped in the middle of a control block or a raw value.
    pub fn stopped_inside(&self) -> bool {
        !self.ended && (self.raw_missing > 0 || (self.codes_missing > 0 && self.codes_missing < 8))
    }
}

/// What [`Tracked`] saw.
#[derive(Debug, Default)]
pub struct Track {
    pos: u64,
    /// Where the dictionary ends: the first time the reader is asked its position.
    pub dict_end: Option<u64>,
    /// Compression codes followed after the dictionary (bytecode files only).
    pub bytecode: Option<BytecodeCount>,
}

/// A reader that notes what `ambers` reads from it (shared, since the scanner keeps its reader
/// to itself).
pub struct Tracked<R> {
    inner: R,
    track: Arc<Mutex<Track>>,
}

impl<R> Tracked<R> {
    pub fn new(inner: R, bytecode: bool) -> (Self, Arc<Mutex<Track>>) {
        let track = Arc::new(Mutex::new(Track {
            bytecode: bytecode.then(BytecodeCount::new),
            ..Default::default()
        }));
        (
            Tracked {
                inner,
                track: track.clone(),
            },
            track,
        )
    }

    fn track(&self) -> std::sync::MutexGuard<'_, Track> {
        self.track.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut t = self.track();
        let pos = t.pos;
        if let (Some(end), Some(count)) = (t.dict_end, t.bytecode.as_mut()) {
            let skip = end.saturating_sub(pos).min(n as u64) as usize;
            count.feed(&buf[skip..n]);
        }
        t.pos += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Tracked<R> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let p = self.inner.seek(to)?;
        let mut t = self.track();
        // ambers asks for its position once, right after the dictionary.
        if matches!(to, SeekFrom::Current(0)) && t.dict_end.is_none() && p > 0 {
            t.dict_end = Some(p);
        }
        t.pos = p;
        Ok(p)
    }
}

/// Whether the data section (`data_len` bytes after the dictionary) held whole cases; the
/// message otherwise.
pub fn incomplete_case(
    header: &SavHeader,
    data_len: Option<u64>,
    bytecode: Option<&BytecodeCount>,
    cases_read: u64,
) -> Option<String> {
    let slots = u64::try_from(header.case_slots).ok().filter(|&s| s > 0)?;
    let cut = |extra: String| {
        Some(format!(
            "the SPSS file ends inside case {}{extra} (the file is truncated)",
            cases_read + 1
        ))
    };
    match (header.compression, data_len, bytecode) {
        (0, Some(len), _) if len % (slots * 8) != 0 => cut(format!(
            ", after {} of its {} bytes",
            len % (slots * 8),
            slots * 8
        )),
        (1, _, Some(count)) if count.slots % slots != 0 || count.stopped_inside() => {
            match count.slots % slots {
                0 => cut(String::new()),
                v => cut(format!(", after {v} of its {slots} values")),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytecode_counts_slots_and_sees_a_cut() {
        let mut c = BytecodeCount::new();
        // 3 slots (two codes, one raw value), padding.
        let mut data = vec![101, 253, 102, 0, 0, 0, 0, 0];
        data.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        c.feed(&data[..5]);
        c.feed(&data[5..]);
        assert_eq!(c.slots, 3);
        assert!(!c.stopped_inside());
        let mut cut = BytecodeCount::new();
        cut.feed(&data[..12]);
        assert!(cut.stopped_inside());
        let mut end = BytecodeCount::new();
        end.feed(&[101, 252, 0, 0, 0, 0, 0, 0, 9, 9]);
        assert_eq!((end.slots, end.ended), (1, true));
    }
}
