//! A look through an .xlsx archive before the cell reader opens it. The reader keeps every
//! shared string in memory and buffers each cell's text whole, so a 2 MB workbook whose one cell
//! unpacks to 2 GiB, or whose shared strings unpack to 4 GiB, made it abort; and a formula
//! without a cached value (a workbook written by a script, never opened in Excel) reads as an
//! empty cell without a word.
//!
//! Every part of the archive is unpacked once, as a stream through a small buffer: no run of
//! text between two tags may exceed [`MAX_RECORD`] (the limit on a CSV record: a cell of that
//! size is no survey answer), and no part other than a worksheet may unpack to more than
//! [`MAX_PART`] (shared strings of that size are no survey's; a worksheet's size follows its
//! rows and is read as a stream). In the worksheet that will be read, cells that hold a formula
//! without a value are counted, to be named in a warning.

use super::csv::MAX_RECORD;
use super::error::{Error, Result};
use std::io::{Read, Seek};
use std::path::Path;

/// The most a part other than a worksheet may unpack to.
pub const MAX_PART: u64 = 256 << 20;

/// What the look found that the reader should say.
#[derive(Debug, Default)]
pub(super) struct Findings {
    /// Cells of the sheet read that hold a formula without a cached value.
    pub uncached: usize,
    /// The first few of them, as Excel names them (`E5`).
    pub uncached_cells: Vec<String>,
}

/// Look through the archive in `body` (then rewound); `sheet` is the sheet asked for (else the
/// first). An archive the zip reader cannot open is left to the cell reader, which says so.
pub(super) fn look<R: Read + Seek>(
    body: &mut R,
    path: &Path,
    sheet: Option<&str>,
) -> Result<Findings> {
    let read_err = |e: std::io::Error| Error::Read {
        path: path.to_path_buf(),
        source: e,
    };
    let mut findings = Findings::default();
    {
        let Ok(mut zip) = zip::ZipArchive::new(&mut *body) else {
            body.rewind().map_err(read_err)?;
            return Ok(findings);
        };
        let target = sheet_part(&mut zip, sheet);
        for i in 0..zip.len() {
            let Ok(part) = zip.by_index(i) else { continue };
            let Ok(name) = part.name().map(|n| n.into_owned()) else {
                continue;
            };
            let worksheet = name.contains("worksheets/");
            let limit = (!worksheet).then_some(MAX_PART);
            let mut scan = Scan::new(target.as_deref() == Some(name.as_str()), limit);
            scan.run(part).map_err(|e| match e {
                Stop::Io(e) => read_err(e),
                Stop::Long { row } => Error::data_file(
                    path,
                    format!(
                        "{}: a cell or text of more than {} MiB{}; no survey answer is that long \
                         (the limit for a CSV record too): check the workbook",
                        part_name(&name),
                        MAX_RECORD >> 20,
                        row.map_or(String::new(), |r| format!(" in row {r}"))
                    ),
                ),
                Stop::Large => Error::data_file(
                    path,
                    format!(
                        "{} unpacks to more than {} MiB, more than a survey workbook's holds \
                         (a damaged or hostile archive?); save the data again as .xlsx or CSV",
                        part_name(&name),
                        MAX_PART >> 20
                    ),
                ),
            })?;
            if scan.formulas {
                findings.uncached = scan.uncached;
                findings.uncached_cells = scan.uncached_cells;
            }
        }
    }
    body.rewind().map_err(read_err)?;
    Ok(findings)
}

fn part_name(name: &str) -> String {
    if name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
        "the workbook's shared strings".into()
    } else {
        format!("the workbook part {}", crate::text::escape::terminal(name))
    }
}

enum Stop {
    Io(std::io::Error),
    /// A run of text too long, in this row of the sheet read (rows are tracked there only).
    Long {
        row: Option<u64>,
    },
    /// A part that unpacks to more than its limit.
    Large,
}

/// A byte scan of one part: runs between tags, its size, and (for the sheet read) the cells
/// with a formula and no value.
struct Scan {
    bytes: u64,
    limit: Option<u64>,
    run: usize,
    /// The tag being read (its first bytes), while inside `<...>`.
    tag: Option<Vec<u8>>,
    formulas: bool,
    row: Option<u64>,
    cell: Option<Cell>,
    uncached: usize,
    uncached_cells: Vec<String>,
}

struct Cell {
    reference: String,
    formula: bool,
    value: bool,
}

/// Enough of a tag to know its name and its `r` attribute.
const TAG_BYTES: usize = 256;

impl Scan {
    fn new(formulas: bool, limit: Option<u64>) -> Scan {
        Scan {
            bytes: 0,
            limit,
            run: 0,
            tag: None,
            formulas,
            row: None,
            cell: None,
            uncached: 0,
            uncached_cells: Vec::new(),
        }
    }

    fn run(&mut self, mut part: impl Read) -> std::result::Result<(), Stop> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Stop::Io(e)),
            };
            self.bytes += n as u64;
            if self.limit.is_some_and(|l| self.bytes > l) {
                return Err(Stop::Large);
            }
            for &b in &buf[..n] {
                self.byte(b)?;
            }
        }
    }

    #[inline]
    fn byte(&mut self, b: u8) -> std::result::Result<(), Stop> {
        match b {
            b'<' => {
                self.run = 0;
                self.tag = Some(Vec::new());
            }
            b'>' => {
                self.run = 0;
                if let Some(tag) = self.tag.take() {
                    if self.formulas {
                        self.tag(&tag);
                    }
                }
            }
            _ => {
                self.run += 1;
                if self.run > MAX_RECORD {
                    return Err(Stop::Long { row: self.row });
                }
                if let Some(tag) = &mut self.tag {
                    if tag.len() < TAG_BYTES {
                        tag.push(b);
                    }
                }
            }
        }
        Ok(())
    }

    /// A whole tag (without its brackets), in the sheet read.
    fn tag(&mut self, tag: &[u8]) {
        let closing = tag.first() == Some(&b'/');
        let body = if closing { &tag[1..] } else { tag };
        let end = body
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/')
            .unwrap_or(body.len());
        let qualified = &body[..end];
        let name = qualified
            .iter()
            .rposition(|&c| c == b':')
            .map_or(qualified, |i| &qualified[i + 1..]);
        let empty = tag.last() == Some(&b'/');
        match (name, closing) {
            (b"row", false) => self.row = attribute(body, b"r").and_then(|r| r.parse().ok()),
            (b"c", false) => {
                let cell = Cell {
                    reference: attribute(body, b"r").unwrap_or_default(),
                    formula: false,
                    value: false,
                };
                if empty {
                    self.end_cell(cell);
                } else {
                    self.cell = Some(cell);
                }
            }
            (b"c", true) => {
                if let Some(cell) = self.cell.take() {
                    self.end_cell(cell);
                }
            }
            (b"f", false) => {
                if let Some(c) = &mut self.cell {
                    c.formula = true;
                }
            }
            (b"v" | b"is", false) => {
                if let Some(c) = &mut self.cell {
                    c.value = true;
                }
            }
            _ => {}
        }
    }

    fn end_cell(&mut self, cell: Cell) {
        if cell.formula && !cell.value {
            self.uncached += 1;
            if self.uncached_cells.len() < 5 {
                self.uncached_cells.push(cell.reference);
            }
        }
    }
}

/// The value of attribute `key` in a tag's text (name and attributes), unescaped enough for a
/// cell reference or a row number.
fn attribute(tag: &[u8], key: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(tag).ok()?;
    let mut rest = text;
    while let Some(i) = rest.find('=') {
        let before = rest[..i].trim_end();
        let name = before
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let after = rest[i + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let close = after[1..].find(quote)?;
        if name.as_bytes() == key {
            return Some(after[1..1 + close].to_string());
        }
        rest = &after[1 + close + 1..];
    }
    None
}

/// The archive path of the worksheet that will be read: the one named, or the first, as the
/// workbook lists them (`xl/workbook.xml` and its relationships).
fn sheet_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, sheet: Option<&str>) -> Option<String> {
    let root = small_part(zip, "_rels/.rels")?;
    let workbook = relationships(&root)
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))?
        .target;
    let workbook = workbook.trim_start_matches('/').to_string();
    let (dir, file) = workbook.rsplit_once('/').unwrap_or(("", &workbook));
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let rels = relationships(&small_part(zip, &format!("{dir}_rels/{file}.rels"))?);
    let book = small_part(zip, &workbook)?;
    let mut reader = quick_xml::Reader::from_reader(book.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            quick_xml::events::Event::Eof => return None,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.local_name().as_ref() == "sheet" =>
            {
                let mut name = None;
                let mut id = None;
                for a in e.attributes().flatten() {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()?
                        .into_owned();
                    match a.key.local_name().as_ref() {
                        "name" => name = Some(value),
                        "id" => id = Some(value),
                        _ => {}
                    }
                }
                if sheet.is_none() || sheet == name.as_deref() {
                    let target = rels
                        .into_iter()
                        .find(|r| Some(&r.id) == id.as_ref())?
                        .target;
                    return Some(match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_string(),
                        None => format!("{dir}{target}"),
                    });
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

struct Relationship {
    id: String,
    kind: String,
    target: String,
}

fn relationships(xml: &[u8]) -> Vec<Relationship> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.local_name().as_ref() == "Relationship" =>
            {
                let mut r = Relationship {
                    id: String::new(),
                    kind: String::new(),
                    target: String::new(),
                };
                for a in e.attributes().flatten() {
                    let Ok(value) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) else {
                        continue;
                    };
                    match a.key.local_name().as_ref() {
                        "Id" => r.id = value.into_owned(),
                        "Type" => r.kind = value.into_owned(),
                        "Target" => r.target = value.into_owned(),
                        _ => {}
                    }
                }
                out.push(r);
            }
            _ => {}
        }
        buf.clear();
    }
    out
}

/// A small part's bytes (at most 16 MiB: the workbook's list of sheets and its relationships),
/// found by name as the cell reader finds it (case ignored).
fn small_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let actual = zip
        .file_names()
        .filter_map(|n| n.ok())
        .find(|n| n.eq_ignore_ascii_case(name))?
        .into_owned();
    let mut out = Vec::new();
    zip.by_name(&actual)
        .ok()?
        .take(16 << 20)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_without_values_are_counted_with_their_cells() {
        let mut s = Scan::new(true, None);
        let xml = br#"<sheetData><row r="2"><c r="A2"><v>1</v></c><c r="E2"><f>1+1</f></c><c r="F2"><f>2</f><v>2</v></c><c r="G2" t="inlineStr"><f>x</f><is><t>a</t></is></c></row><row r="3"><x:c r="E3"><x:f t="shared" si="0"/></x:c><c r="H3"/></row></sheetData>"#;
        s.run(&xml[..]).ok().unwrap();
        assert_eq!(s.uncached, 2);
        assert_eq!(s.uncached_cells, vec!["E2", "E3"]);
    }

    #[test]
    fn a_text_longer_than_a_record_stops_the_scan_with_its_row() {
        let mut s = Scan::new(false, None);
        let mut xml = b"<row r=\"7\"><c><is><t>".to_vec();
        xml.extend(std::iter::repeat_n(b'x', MAX_RECORD + 1));
        match s.run(xml.as_slice()) {
            Err(Stop::Long { row }) => {
                assert_eq!(row, None, "rows are tracked in the sheet read only")
            }
            _ => panic!("a long text must stop the scan"),
        }
    }

    #[test]
    fn attributes_are_read_whatever_their_quotes() {
        assert_eq!(attribute(b"c r=\"E5\" s='1'", b"r").as_deref(), Some("E5"));
        assert_eq!(attribute(b"c s='1' r='B2'", b"r").as_deref(), Some("B2"));
        assert_eq!(attribute(b"c s=\"1\"", b"r"), None);
    }
}
