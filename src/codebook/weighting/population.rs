//! Population files: margins (long format `variable;code;count`, a crossed margin written as
//! `gesl_stpr × lftkl;1 × 18-29;13350`) and cells (wide format, one column per variable, then
//! `count`). Codes are checked against the codebook; totals that differ by rounding are scaled to
//! the first margin's total.

use super::{categories, Margin, Method, Scaled, Weighting, CROSS};
use crate::codebook::error::{CbResult, CodebookError};
use crate::codebook::sidefile::{at, records};
use crate::codebook::{DataFormat, Encoding, Variable, VariableKind};
use std::path::{Path, PathBuf};

/// Totals this close (relative) are equal up to the decimals of the file: scaled silently (the
/// tolerance earlier versions documented for margins that must agree).
const SAME_TOTAL: f64 = 1e-6;

/// A population file as text cells, with line numbers.
pub(super) struct PopulationFile {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    decimal: u8,
}

impl PopulationFile {
    pub(super) fn read(path: &Path, key: &str, format: &DataFormat) -> CbResult<PopulationFile> {
        let context = || format!("[weighting] {key} = {:?}", path.display().to_string());
        // Capped like the codebook: a population file at /dev/zero was read to 2.1 GB.
        let bytes = crate::codebook::read_capped(path, crate::codebook::MAX_POPULATION_FILE)
            .map_err(|e| {
                CodebookError::invalid(context(), format!("cannot read the population file: {e}"))
            })?
            .ok_or_else(|| {
                CodebookError::invalid(
                    context(),
                    format!(
                        "the population file is larger than {} MiB; expected a CSV file of \
                         population counts",
                        crate::codebook::MAX_POPULATION_FILE >> 20
                    ),
                )
            })?;
        let text = text_of(path, &bytes, format.encoding)?;
        let mut records = records(path, &text, format.delimiter)?;
        if records.len() < 2 {
            return Err(at(
                path,
                1,
                "expected a header line and at least one row of counts".into(),
            ));
        }
        let (_, header) = records.remove(0);
        Ok(PopulationFile {
            path: path.to_path_buf(),
            header,
            rows: records,
            decimal: format.decimal,
        })
    }

    /// Read the counts of every margin of `spec` (its margins' variables are set), check them and
    /// scale the margins to the first one's total.
    pub(super) fn fill(&self, spec: &mut Weighting, variables: &[Variable]) -> CbResult<()> {
        let counts = match spec.method {
            Method::Poststratify => vec![self.cells(&spec.margins[0].vars, variables)?],
            _ => self.margins(&spec.margins, variables)?,
        };
        for (m, c) in spec.margins.iter_mut().zip(counts) {
            m.counts = c;
        }
        let (total, scaled) = scale_totals(&self.path, spec, variables)?;
        spec.total = total;
        spec.scaled = scaled;
        Ok(())
    }

    fn count(&self, line: usize, raw: &str) -> CbResult<f64> {
        match crate::text::number::parse_number(raw.as_bytes(), self.decimal) {
            Ok(x) if x >= 0.0 => Ok(x),
            Ok(_) => Err(at(
                &self.path,
                line,
                format!("count {raw:?}: expected a population count of 0 or more"),
            )),
            Err(why) => Err(at(
                &self.path,
                line,
                format!("count {raw:?}: expected a number ({why})"),
            )),
        }
    }

    fn column(&self, name: &str) -> CbResult<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            at(
                &self.path,
                1,
                format!(
                    "the header lacks the column '{name}' (header: {})",
                    self.header.join(", ")
                ),
            )
        })
    }

    /// Long format `variable;code;count`: one count per category of every margin.
    fn margins(&self, margins: &[Margin], variables: &[Variable]) -> CbResult<Vec<Vec<f64>>> {
        let (cv, cc, cn) = (
            self.column("variable")?,
            self.column("code")?,
            self.column("count")?,
        );
        let mut out: Vec<Vec<Option<f64>>> = margins
            .iter()
            .map(|m| vec![None; m.levels(variables).iter().product()])
            .collect();
        for (line, row) in &self.rows {
            let field = |c: usize| row.get(c).map(String::as_str).unwrap_or("");
            let name = field(cv);
            let parts: Vec<&str> = name.split('×').map(str::trim).collect();
            let Some(k) = margins.iter().position(|m| {
                m.vars.len() == parts.len()
                    && m.vars
                        .iter()
                        .zip(&parts)
                        .all(|(&v, p)| variables[v].name == *p)
            }) else {
                return Err(at(
                    &self.path,
                    *line,
                    format!(
                        "variable {name:?} is not a margin of [weighting] variables ({}); a crossed margin is written as its variables joined by '{}'",
                        margins
                            .iter()
                            .map(|m| m.name(variables))
                            .collect::<Vec<_>>()
                            .join(", "),
                        CROSS.trim()
                    ),
                ));
            };
            let code = field(cc);
            let codes: Vec<&str> = code.split('×').map(str::trim).collect();
            if codes.len() != parts.len() {
                return Err(at(
                    &self.path,
                    *line,
                    format!(
                        "code {code:?} of the crossed margin {name:?}: expected one code per variable joined by '{}', such as {:?}",
                        CROSS.trim(),
                        margins[k].category(0, variables).key
                    ),
                ));
            }
            let mut index = 0;
            for (&v, c) in margins[k].vars.iter().zip(&codes) {
                let levels = categories(&variables[v]).len();
                index = index * levels + code_index(&self.path, *line, &variables[v], c)?;
            }
            if out[k][index].is_some() {
                return Err(at(
                    &self.path,
                    *line,
                    format!("{name} = {code:?} is listed twice"),
                ));
            }
            out[k][index] = Some(self.count(*line, field(cn))?);
        }
        complete(&self.path, margins, variables, out)
    }

    /// Wide format: one column per weighting variable, then `count`; every joint cell once.
    fn cells(&self, vars: &[usize], variables: &[Variable]) -> CbResult<Vec<f64>> {
        let cols: Vec<usize> = vars
            .iter()
            .map(|&v| self.column(&variables[v].name))
            .collect::<CbResult<_>>()?;
        let cn = self.column("count")?;
        let levels: Vec<usize> = vars
            .iter()
            .map(|&v| categories(&variables[v]).len())
            .collect();
        let mut out: Vec<Option<f64>> = vec![None; levels.iter().product()];
        for (line, row) in &self.rows {
            let field = |c: usize| row.get(c).map(String::as_str).unwrap_or("");
            let mut index = 0;
            for ((&v, &c), &l) in vars.iter().zip(&cols).zip(&levels) {
                index = index * l + code_index(&self.path, *line, &variables[v], field(c))?;
            }
            if out[index].is_some() {
                return Err(at(&self.path, *line, "this cell is listed twice".into()));
            }
            out[index] = Some(self.count(*line, field(cn))?);
        }
        if let Some(missing) = out.iter().position(Option::is_none) {
            let cell = Margin {
                vars: vars.to_vec(),
                counts: Vec::new(),
            }
            .category(missing, variables);
            return Err(at(
                &self.path,
                1,
                format!(
                    "the cell {} is not in the file; every joint cell needs a count (0 when the population has none)",
                    cell.key
                ),
            ));
        }
        Ok(out.into_iter().flatten().collect())
    }
}

/// The file's text: UTF-8 when it is, else in the `[data] encoding` it is said to be in.
fn text_of(path: &Path, bytes: &[u8], encoding: Encoding) -> CbResult<String> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    match encoding {
        Encoding::Utf8 => {
            let at_byte = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at_byte]).count();
            Err(self::at(
                path,
                line,
                format!(
                    "byte 0x{:02X} is not UTF-8: save the population file as UTF-8, or say its encoding with [data] encoding = \"windows-1252\" (what Excel writes)",
                    bytes[at_byte]
                ),
            ))
        }
        enc => Ok(crate::text::encoding::decode(enc, bytes).unwrap_or_default()),
    }
}

/// The level of a code (bin label) of a weighting variable.
fn code_index(path: &Path, line: usize, v: &Variable, code: &str) -> CbResult<usize> {
    let cats = categories(v);
    cats.iter().position(|c| c.key == code).ok_or_else(|| {
        let missing = match &v.kind {
            VariableKind::Categorical { missing, .. } if missing.iter().any(|m| m == code) => {
                " (it is a missing code: leave it out; with [weighting] unknown = \"own-category\", the population count of respondents without a valid value is their share of the sample)"
            }
            _ => "",
        };
        at(
            path,
            line,
            format!(
                "{} = {code:?} is not a code of the codebook{missing}; codes: {}",
                v.name,
                cats.iter()
                    .map(|c| c.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// Every category of every margin must have a count.
fn complete(
    path: &Path,
    margins: &[Margin],
    variables: &[Variable],
    got: Vec<Vec<Option<f64>>>,
) -> CbResult<Vec<Vec<f64>>> {
    let mut out = Vec::new();
    for (m, counts) in margins.iter().zip(got) {
        if counts.iter().all(Option::is_none) {
            return Err(at(
                path,
                1,
                format!(
                    "no rows for the weighting margin '{}' (rows give variable;code;count)",
                    m.name(variables)
                ),
            ));
        }
        if let Some(i) = counts.iter().position(Option::is_none) {
            return Err(at(
                path,
                1,
                format!(
                    "{} = {:?} has no population count; give it one (0 when the population has none), or merge it with another category in a recode",
                    m.name(variables),
                    m.category(i, variables).key
                ),
            ));
        }
        out.push(counts.into_iter().flatten().collect());
    }
    Ok(out)
}

/// Every margin must add up to the same population. Totals within `margin_tolerance` of the first
/// margin's are scaled to it (rounded figures: wijk 118,010 against sex 118,000); returns the
/// first total and the margins scaled (beyond floating-point noise).
fn scale_totals(
    path: &Path,
    spec: &mut Weighting,
    variables: &[Variable],
) -> CbResult<(f64, Vec<Scaled>)> {
    let first = spec.margins[0].total();
    if !(first > 0.0) {
        return Err(at(
            path,
            1,
            format!(
                "the counts of '{}' add up to 0: expected a population",
                spec.margins[0].name(variables)
            ),
        ));
    }
    let mut scaled = Vec::new();
    for k in 1..spec.margins.len() {
        let total = spec.margins[k].total();
        let rel = (total - first).abs() / first;
        if !(rel <= spec.margin_tolerance) {
            let (a, b) = (&spec.margins[0], &spec.margins[k]);
            return Err(at(
                path,
                1,
                format!(
                    "the margins add up to different populations: '{}' to {} and '{}' to {}, {} apart ({:.2}%), more than margin_tolerance = {} allows; check the file (a category left out or counted twice?), or raise [weighting] margin_tolerance if the figures come from different sources",
                    a.name(variables),
                    crate::text::num(first),
                    b.name(variables),
                    crate::text::num(total),
                    crate::text::num((total - first).abs()),
                    100.0 * rel,
                    spec.margin_tolerance
                ),
            ));
        }
        if total != first {
            let factor = first / total;
            spec.margins[k].counts.iter_mut().for_each(|c| *c *= factor);
            if rel > SAME_TOTAL {
                scaled.push(Scaled { margin: k, total });
            }
        }
    }
    Ok((first, scaled))
}
