//! The codebook: what the columns of a survey file mean, how the sample was drawn, and which
//! tables to make. Parsed from TOML, validated as a whole (every reference resolved) before any
//! data is read, so that a typo is reported against the codebook and not as a data problem.
//!
//! The schema is a contract with users; see `docs/codebook.md`.

mod battery;
mod benchmark;
mod error;
pub mod filter;
pub mod label;
mod limits;
mod model;
mod raw;
mod response;
mod scale;
mod settings;
mod sidefile;
pub mod sizes;
mod statistics;
mod validate;
mod variables;
pub mod weighting;

pub use crate::text::encoding::Encoding;
pub use benchmark::Benchmark;
pub use error::{CodebookError, LoadError};
pub use filter::Filter;
pub use limits::MAX_TEXT;
pub use model::{
    Bin, Category, Code, ImpliedKind, ImpliedVariable, Item, Net, Scale, ScaleItem, Table,
    Variable, VariableKind,
};
pub use response::{Invited, Response};
pub use scale::code_value as scale_code_value;
pub use settings::{Against, Language, DEFAULT_MIN_BASE};
pub use sizes::{MAX_CATEGORIES, MAX_CROSSED_GROUPS, MAX_TABLE_FIGURES};
pub use weighting::Weighting;

use std::path::Path;

/// A validated codebook.
#[derive(Debug, Clone, Default)]
pub struct Codebook {
    pub title: String,
    /// The language of the report's words (`language = "nl" | "en"`); `--language` overrides it.
    pub language: Option<crate::codebook::Language>,
    /// No significance test where either side has fewer respondents (default 30).
    pub min_base_test: u64,
    /// The subpopulation of every table (`filter = "..."`), with its text.
    pub filter: Option<(Filter, String)>,
    /// The respondent id column (`id = "respnr"`).
    pub id: Option<String>,
    /// Calibration to population figures (`[weighting]`).
    pub weighting: Option<Weighting>,
    pub design: Option<DesignSpec>,
    pub format: DataFormat,
    pub variables: Vec<Variable>,
    pub tables: Vec<Table>,
    /// Which groups `report` compares, from the optional `[compare]` section.
    pub compare: Option<CompareSettings>,
    /// The language the labels are in now (the codebook's, until [`Codebook::localize`]).
    pub label_language: Language,
    /// Labels written per language, for [`Codebook::localize`].
    pub translations: Vec<(label::LabelSlot, label::Label)>,
    /// External figures the tables are tested against (`benchmark = "FILE"`), and the file.
    pub benchmarks: Vec<Benchmark>,
    pub benchmark_file: Option<std::path::PathBuf>,
    /// The gross sample, for response rates (`[response]`).
    pub response: Option<Response>,
}

/// The `[compare]` section: compare the groups of `between` in every table that breaks down by
/// it, crude and (optionally) standardised over `standardize`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSettings {
    pub between: usize,
    pub standardize: Option<usize>,
    /// Pairs, each group against the total, or against the rest (default: pairs for two
    /// groups or a standardised comparison, the total for more groups).
    pub against: Option<crate::codebook::Against>,
}

/// The sampling design: optional design weights (1 for everyone when absent), strata, clusters
/// (PSUs nested in strata) and a finite population correction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DesignSpec {
    pub weight: Option<String>,
    pub strata: Option<String>,
    pub cluster: Option<String>,
    /// A column with the population size N_h of the respondent's stratum (constant within a
    /// stratum, at least the stratum's sample size): the variance gets the factor 1 − n_h/N_h.
    pub fpc: Option<String>,
}

/// How the CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataFormat {
    pub delimiter: u8,
    /// `b'.'` or `b','`.
    pub decimal: u8,
    /// The character encoding of CSV text (and population files that are not UTF-8).
    pub encoding: Encoding,
}

impl Default for DataFormat {
    fn default() -> Self {
        DataFormat {
            delimiter: b',',
            decimal: b'.',
            encoding: Encoding::Utf8,
        }
    }
}

impl Codebook {
    pub fn from_path(path: &Path) -> Result<Codebook, LoadError> {
        Codebook::from_path_with(path, &[])
    }

    /// Read a codebook whose undescribed variables may come from the data file's own metadata
    /// (`implied`, e.g. an SPSS dictionary); what the codebook says overrides it.
    pub fn from_path_with(path: &Path, implied: &[ImpliedVariable]) -> Result<Codebook, LoadError> {
        let codebook_error = |source| LoadError::Invalid {
            path: path.to_path_buf(),
            source,
        };
        let text = read_text(path)?.map_err(codebook_error)?;
        let base = path.parent().unwrap_or(Path::new("."));
        Codebook::parse_at(&text, implied, base).map_err(codebook_error)
    }

    /// Parse and validate codebook text. The error names the key at fault.
    pub fn parse(text: &str) -> Result<Codebook, CodebookError> {
        Codebook::parse_with(text, &[])
    }

    /// Parse with variables implied by the data file (see [`Codebook::from_path_with`]).
    pub fn parse_with(text: &str, implied: &[ImpliedVariable]) -> Result<Codebook, CodebookError> {
        Codebook::parse_at(text, implied, Path::new("."))
    }

    /// Parse with population files (`[weighting]`) read relative to `base`.
    pub fn parse_at(
        text: &str,
        implied: &[ImpliedVariable],
        base: &Path,
    ) -> Result<Codebook, CodebookError> {
        let mut raw: raw::RawCodebook = toml::from_str(text)
            .map_err(|e| CodebookError::Syntax(e.to_string().trim().to_string()))?;
        raw.complete_from(implied);
        raw.validate(base)
    }

    pub fn variable(&self, name: &str) -> Option<usize> {
        self.variables.iter().position(|v| v.name == name)
    }

    /// The label of the variable called `name`; the name itself when the codebook has no such
    /// variable (a side file may name one the codebook left out).
    pub fn label_of(&self, name: &str) -> String {
        self.variable(name)
            .map_or(name.to_string(), |v| self.variables[v].label.clone())
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The data columns the codebook reads, with what reads them (for header checks).
    pub fn columns(&self) -> Vec<(String, String)> {
        let mut cols = Vec::new();
        if let Some(id) = &self.id {
            cols.push((id.clone(), "id".to_string()));
        }
        if let Some(d) = &self.design {
            let keys = [
                (&d.weight, "weight"),
                (&d.strata, "strata"),
                (&d.cluster, "cluster"),
                (&d.fpc, "fpc"),
            ];
            for (col, key) in keys {
                if let Some(c) = col {
                    cols.push((c.clone(), format!("[design] {key}")));
                }
            }
        }
        for v in &self.variables {
            match &v.kind {
                VariableKind::Numeric { .. } | VariableKind::Categorical { .. } => {
                    cols.push((v.name.clone(), format!("variable '{}'", v.name)))
                }
                VariableKind::Multi { items, .. } => {
                    for it in items {
                        cols.push((it.column.clone(), format!("item of variable '{}'", v.name)))
                    }
                }
                VariableKind::Bins { .. }
                | VariableKind::Recode { .. }
                | VariableKind::Scale(_) => {}
            }
        }
        cols
    }
}

/// The largest codebook read (a real one is a few kilobytes; this stops `/dev/zero`).
pub const MAX_CODEBOOK: u64 = 16 << 20;

/// The largest population file read (a real one is a few kilobytes).
pub const MAX_POPULATION_FILE: u64 = 16 << 20;

/// A file's bytes, or `None` when it holds more than `cap` bytes (a file at `/dev/zero` or a
/// wrong path would otherwise be read until memory runs out).
pub(crate) fn read_capped(path: &Path, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(cap + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// A codebook's bytes as text: UTF-8 (a byte order mark is dropped), without NUL bytes, a lone
/// `\r` (old Mac line ends) read as a line break so that TOML's positions match the editor's.
/// A problem names its line and column.
fn read_text(path: &Path) -> Result<Result<String, CodebookError>, LoadError> {
    let read_err = |e: std::io::Error| LoadError::Read {
        path: path.to_path_buf(),
        source: e,
    };
    let Some(bytes) = read_capped(path, MAX_CODEBOOK).map_err(read_err)? else {
        return Ok(Err(CodebookError::Syntax(format!(
            "the codebook is larger than {} MiB; expected a TOML text file",
            MAX_CODEBOOK >> 20
        ))));
    };
    let at = |i: usize, what: String| {
        let (line, column) = crate::text::position::position(&bytes, i);
        Err(CodebookError::Syntax(format!(
            "line {line}, column {column}: {what}"
        )))
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Ok(at(0, "UTF-16 text; save the codebook as UTF-8".into()));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let skip = bytes.len() - body.len();
    if let Some(i) = memchr::memchr(0, body) {
        return Ok(at(
            skip + i,
            "a NUL byte; a codebook is a TOML text file in UTF-8".into(),
        ));
    }
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let i = e.valid_up_to();
            return Ok(at(
                skip + i,
                format!(
                    "byte 0x{:02X} is not UTF-8; save the codebook as UTF-8",
                    body[i]
                ),
            ));
        }
    };
    if !text.contains('\r') {
        return Ok(Ok(text.to_string()));
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
title = "Inwonersenquête 2023"
[design]
weight = "weegfactor"
strata = "wijk"
[data]
delimiter = ";"
decimal = ","
[[variables]]
name = "leeftijd"
label = "Leeftijd"
type = "numeric"
missing = ["999"]
[[variables]]
name = "leeftijdsgroep"
label = "Leeftijdsgroep"
type = "bins"
from = "leeftijd"
bins = [ { label = "18-29", min = 18, max = 29 }, { label = "65+", min = 65 } ]
[[variables]]
name = "taal"
type = "categorical"
values = [ { code = "NL", label = "Nederlands" }, { code = "EN", label = "Engels" } ]
missing = []
[[variables]]
name = "kanaal"
label = "Kanaal"
type = "multi"
selected = "1"
items = [ { column = "kan_telefoon", label = "Telefoon" }, { column = "kan_email", label = "E-mail" } ]
[[tables]]
name = "kanaal"
rows = "kanaal"
by = ["leeftijdsgroep", "taal"]
"#;

    #[test]
    fn parses_the_documented_example() {
        let cb = Codebook::parse(EXAMPLE).unwrap();
        assert_eq!(cb.title, "Inwonersenquête 2023");
        assert_eq!(cb.format.delimiter, b';');
        assert_eq!(cb.format.decimal, b',');
        assert_eq!(cb.variables.len(), 4);
        let t = cb.table("kanaal").unwrap();
        assert_eq!(cb.variables[t.rows].name, "kanaal");
        assert_eq!(t.by, vec![vec![1], vec![2]]);
        match &cb.variables[1].kind {
            VariableKind::Bins { bins, .. } => assert_eq!(bins[1].max, f64::INFINITY),
            _ => panic!("expected bins"),
        }
        assert_eq!(cb.variables[2].label, "taal", "label defaults to the name");
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = Codebook::parse(&EXAMPLE.replace("strata = \"wijk\"", "stratum = \"wijk\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("stratum"), "{e}");
        let e = Codebook::parse(&EXAMPLE.replace("missing = []", "mising = []"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mising"), "{e}");
    }

    #[test]
    fn tables_must_name_known_grouping_variables() {
        let e = Codebook::parse(&EXAMPLE.replace("\"taal\"]", "\"tal\"]"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown variable 'tal'"), "{e}");
        let e = Codebook::parse(
            &EXAMPLE.replace("by = [\"leeftijdsgroep\", \"taal\"]", "by = [\"leeftijd\"]"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("only categorical and bins"), "{e}");
    }

    #[test]
    fn misplaced_and_inconsistent_keys_are_errors() {
        let e = Codebook::parse(
            &EXAMPLE.replace("missing = [\"999\"]", "missing = [\"999\"]\nitems = []"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("'items' does not apply"), "{e}");
        let e = Codebook::parse(&EXAMPLE.replace("min = 65 }", "min = 29 }"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("overlap"), "{e}");
        let e = Codebook::parse(&EXAMPLE.replace("decimal = \",\"", "decimal = \";\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("decimal"), "{e}");
        let e = Codebook::parse(&EXAMPLE.replace("type = \"multi\"", "type = \"multiple\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown type"), "{e}");
    }

    #[test]
    fn numeric_codes_are_accepted_as_text() {
        let cb = Codebook::parse(&EXAMPLE.replace("code = \"NL\"", "code = 1")).unwrap();
        assert_eq!(cb.variables[2].categories()[0].key, "1");
    }
}
