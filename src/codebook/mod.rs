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

#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub label: String,
    pub kind: VariableKind,
}

#[derive(Debug, Clone)]
pub enum VariableKind {
    /// A number (age, a 1–10 rating). `missing` codes are compared with the raw text and, when
    /// both parse, numerically; `min`/`max` bound valid values (inclusive).
    Numeric {
        missing: Vec<String>,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// Groups derived from a numeric variable (index into `Codebook::variables`).
    Bins { from: usize, bins: Vec<Bin> },
    /// A single-choice question.
    Categorical {
        values: Vec<Code>,
        missing: Vec<String>,
    },
    /// Codes derived from another variable's codes (categorical or recode) or numbers (numeric):
    /// merged districts, top-2-box, "weet niet" kept or made missing.
    Recode {
        /// The source variable (index into `Codebook::variables`).
        from: usize,
        /// The result codes that are answers (in output order).
        values: Vec<Code>,
        /// Per entry: the source codes (numbers written as text for a numeric source) and the
        /// result: an index into `values`, or `None` for a result code listed as missing.
        map: Vec<(Vec<String>, Option<usize>)>,
        /// Result codes excluded from the base.
        missing: Vec<String>,
    },
    /// A select-all-that-apply set: one column per item.
    Multi {
        selected: String,
        unselected: String,
        missing: Vec<String>,
        items: Vec<Item>,
    },
    /// A score made from other variables' answers (SPSS `MEAN.n`); a number everywhere.
    Scale(Scale),
}

/// A scale score: the mean of a respondent's valid items when at least `min_valid` are valid
/// (else missing), items reversed as lo + hi − x over `item_range`, the mean rescaled linearly
/// from `item_range` to `range` when given.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub items: Vec<ScaleItem>,
    pub min_valid: usize,
    /// (lo, hi): the answer scale every item shares.
    pub item_range: (f64, f64),
    /// (a, b): the scale the score is published on, when not `item_range`.
    pub range: Option<(f64, f64)>,
}

/// One item of a scale: a numeric variable, or a categorical one whose codes are numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleItem {
    /// Index into `Codebook::variables`.
    pub var: usize,
    pub reversed: bool,
}

impl Scale {
    /// The score of a respondent from the item values in item order (NaN = not valid):
    /// Σ valid / count (summed in item order), rescaled; NaN with fewer than `min_valid`.
    pub fn score(&self, values: impl Iterator<Item = f64>) -> f64 {
        let (lo, hi) = self.item_range;
        let (mut sum, mut count) = (0.0, 0usize);
        for (x, item) in values.zip(&self.items) {
            if x.is_nan() {
                continue;
            }
            sum += if item.reversed { lo + hi - x } else { x };
            count += 1;
        }
        if count < self.min_valid {
            return f64::NAN;
        }
        let m = sum / count as f64;
        match self.range {
            // The order of operations of the R reference (tests/reference/r/monitor), so that
            // scores are equal to the last bit.
            Some((a, b)) => a + (m - lo) / (hi - lo) * (b - a),
            None => m,
        }
    }

    /// The bounds of the score: `range`, else `item_range`.
    pub fn bounds(&self) -> (f64, f64) {
        self.range.unwrap_or(self.item_range)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    /// The bin's key (filters, population files): its label in the codebook's language.
    pub label: String,
    /// The label shown (the report's language).
    pub text: String,
    pub min: f64,
    /// Inclusive upper bound; `f64::INFINITY` when open.
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub column: String,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    /// Index of the rows variable.
    pub rows: usize,
    /// The breakdowns: each a list of grouping variables (categorical or bins) whose joint
    /// groups are shown; one variable for a plain breakdown, several for a crossed one.
    pub by: Vec<Vec<usize>>,
    /// Show column letters: per cell, the columns of its breakdown it is significantly higher
    /// than (pairwise tests, Holm within each row).
    pub letters: bool,
    /// The table's own subpopulation (besides the codebook's), with its text.
    pub filter: Option<(Filter, String)>,
    /// The public heading (`title`); none: the rows variable's label.
    pub title: Option<String>,
    /// A sentence shown with the table (`note`).
    pub note: Option<String>,
    /// The subpopulation in words (`population`); none: the filter said with labels.
    pub population: Option<String>,
    /// Answers left out of the readable outputs (`hide`): codes, item columns or bin keys.
    pub hide: Vec<String>,
    /// What the table estimates: its primary statistic (proportions, or the mean of a number)
    /// first, then totals or quantiles when asked (`statistics = [...]`).
    pub statistics: Vec<crate::keys::Statistic>,
    /// The probabilities of the quantiles (`quantiles = [0.25, 0.5, 0.75]`), in codebook order.
    pub quantiles: Vec<f64>,
    /// A statement battery's statements (variables with one answer scale), `rows` the first;
    /// empty for a table of one variable.
    pub items: Vec<usize>,
    /// Top-box shares of a single-choice table (`nets = [...]`): extra categories.
    pub nets: Vec<Net>,
}

/// A NET: the share of the respondents who gave any of a few answers (top-2-box).
#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    /// The codes joined with `+` (`1+2`): the category in tidy outputs.
    pub key: String,
    pub label: String,
    /// The codes' positions among the rows variable's categories.
    pub slots: Vec<usize>,
}

impl Table {
    /// The subpopulation the table describes: its own filter and the codebook's, both.
    pub fn domain_filter(&self, codebook: &Codebook) -> Option<Filter> {
        Filter::and(
            codebook.filter.as_ref().map(|f| f.0.clone()),
            self.filter.as_ref().map(|f| f.0.clone()),
        )
    }

    /// The variables the table estimates: its statements, or its one rows variable.
    pub fn statements(&self) -> Vec<usize> {
        if self.items.is_empty() {
            vec![self.rows]
        } else {
            self.items.clone()
        }
    }

    /// Whether the table is a statement battery.
    pub fn is_battery(&self) -> bool {
        !self.items.is_empty()
    }

    /// Whether the table estimates `s` besides (or as) its primary statistic.
    pub fn has(&self, s: crate::keys::Statistic) -> bool {
        self.statistics.contains(&s)
    }

    /// The whole sample (no variables) followed by every `by` breakdown.
    pub fn breakdowns(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new()];
        out.extend(self.by.iter().cloned());
        out
    }

    /// The single-variable breakdowns' variables (what two-group comparisons and tests use).
    pub fn single_by(&self) -> impl Iterator<Item = usize> + '_ {
        self.by.iter().filter(|b| b.len() == 1).map(|b| b[0])
    }
}

/// A variable as a data file's own metadata describes it (an SPSS dictionary).
#[derive(Debug, Clone, PartialEq)]
pub struct ImpliedVariable {
    pub name: String,
    pub label: Option<String>,
    pub kind: ImpliedKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImpliedKind {
    Numeric {
        missing: Vec<String>,
    },
    Categorical {
        values: Vec<(String, String)>,
        missing: Vec<String>,
    },
    Multi {
        items: Vec<(String, String)>,
        selected: String,
    },
}

/// One category of a rows variable, as it appears in output.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Item column (multi), code (categorical), bin label (bins) or empty (numeric).
    pub key: String,
    pub label: String,
}

impl Variable {
    /// The categories estimated for this variable when it is a table's rows variable.
    pub fn categories(&self) -> Vec<Category> {
        match &self.kind {
            VariableKind::Numeric { .. } | VariableKind::Scale(_) => vec![Category {
                key: String::new(),
                label: self.label.clone(),
            }],
            VariableKind::Bins { bins, .. } => bins
                .iter()
                .map(|b| Category {
                    key: b.label.clone(),
                    label: b.text.clone(),
                })
                .collect(),
            VariableKind::Categorical { values, .. } | VariableKind::Recode { values, .. } => {
                values
                    .iter()
                    .map(|v| Category {
                        key: v.code.clone(),
                        label: v.label.clone(),
                    })
                    .collect()
            }
            VariableKind::Multi { items, .. } => items
                .iter()
                .map(|i| Category {
                    key: i.column.clone(),
                    label: i.label.clone(),
                })
                .collect(),
        }
    }

    /// How many categories [`Variable::categories`] lists, without listing them.
    pub fn category_count(&self) -> usize {
        match &self.kind {
            VariableKind::Numeric { .. } | VariableKind::Scale(_) => 1,
            VariableKind::Bins { bins, .. } => bins.len(),
            VariableKind::Categorical { values, .. } | VariableKind::Recode { values, .. } => {
                values.len()
            }
            VariableKind::Multi { items, .. } => items.len(),
        }
    }

    /// How many groups [`Variable::groups`] lists (0 for a variable that cannot group).
    pub fn group_count(&self) -> usize {
        match &self.kind {
            VariableKind::Bins { .. }
            | VariableKind::Categorical { .. }
            | VariableKind::Recode { .. } => self.category_count(),
            _ => 0,
        }
    }

    /// The groups of a grouping variable (categorical codes or bin labels), in codebook order.
    /// `None` for variables that cannot group respondents.
    pub fn groups(&self) -> Option<Vec<Category>> {
        match &self.kind {
            VariableKind::Bins { .. }
            | VariableKind::Categorical { .. }
            | VariableKind::Recode { .. } => Some(self.categories()),
            _ => None,
        }
    }

    /// Numbers: a numeric variable or a scale score (means, bins, filters).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self.kind,
            VariableKind::Numeric { .. } | VariableKind::Scale(_)
        )
    }

    /// The declared bounds of a number: `min`/`max` of a numeric variable, the range of a scale.
    pub fn numeric_bounds(&self) -> (Option<f64>, Option<f64>) {
        match &self.kind {
            VariableKind::Numeric { min, max, .. } => (*min, *max),
            VariableKind::Scale(s) => {
                let (a, b) = s.bounds();
                (Some(a), Some(b))
            }
            _ => (None, None),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            VariableKind::Numeric { .. } => "numeric",
            VariableKind::Bins { .. } => "bins",
            VariableKind::Categorical { .. } => "categorical",
            VariableKind::Recode { .. } => "recode",
            VariableKind::Multi { .. } => "multi",
            VariableKind::Scale(_) => "scale",
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
