//! The `[weighting]` section: calibrate the design weights to population figures
//! (post-stratification, raking, linear or logit calibration), with the population read from
//! the files it names. Everything that can be checked without the data is checked here: the
//! variables, the codes in the population files, the counts, the totals.

use super::error::{CbResult, CodebookError};
use super::{Category, Variable, VariableKind};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// How the weights are calibrated (R: `postStratify`, `calibrate(calfun = ...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// g = N_c / N̂_c per joint cell of the variables (`cells` file).
    Poststratify,
    /// g = exp(x'λ): iterative proportional fitting to the margins, converged.
    Rake,
    /// g = 1 + x'λ (GREG); one step without bounds.
    Linear,
    /// g between the bounds L < 1 < U (`bounds` required).
    Logit,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Poststratify => "poststratify",
            Method::Rake => "rake",
            Method::Linear => "linear",
            Method::Logit => "logit",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeighting {
    method: Method,
    margins: Option<String>,
    cells: Option<String>,
    variables: Vec<String>,
    bounds: Option<[f64; 2]>,
    epsilon: Option<f64>,
    max_iterations: Option<u32>,
}

/// The population to calibrate to.
#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// Per weighting variable, the population count of each of its categories (codebook order).
    Margins(Vec<Vec<f64>>),
    /// The population count of each joint cell (first variable slowest).
    Cells(Vec<f64>),
}

/// A validated `[weighting]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighting {
    pub method: Method,
    /// The calibration variables (indices into the codebook's variables).
    pub variables: Vec<usize>,
    pub targets: Targets,
    /// Limits on g = final weight / design weight.
    pub bounds: Option<(f64, f64)>,
    /// Convergence: the largest |weighted margin − population| / population.
    pub epsilon: f64,
    pub max_iterations: u32,
    /// The population file, as resolved.
    pub file: PathBuf,
}

impl Weighting {
    /// The number of joint calibration cells.
    pub fn n_cells(&self, variables: &[Variable]) -> usize {
        self.variables
            .iter()
            .map(|&v| variables[v].groups().map_or(0, |g| g.len()))
            .product()
    }
}

/// Default convergence tolerance (relative to the population count).
pub const DEFAULT_EPSILON: f64 = 1e-10;
/// Default maximum of Newton steps.
pub const DEFAULT_MAX_ITERATIONS: u32 = 100;

pub(super) fn weighting(
    raw: RawWeighting,
    variables: &[Variable],
    base: &Path,
    delimiter: u8,
    decimal: u8,
) -> CbResult<Weighting> {
    let ctx = "[weighting]";
    let vars = weighting_variables(&raw.variables, variables)?;
    let bounds = bounds(raw.method, raw.bounds)?;
    let epsilon = raw.epsilon.unwrap_or(DEFAULT_EPSILON);
    if !(epsilon > 0.0 && epsilon < 1.0) {
        return Err(CodebookError::invalid(
            ctx,
            format!("epsilon = {epsilon}: expected a number between 0 and 1 (e.g. 1e-10)"),
        ));
    }
    let max_iterations = raw.max_iterations.unwrap_or(DEFAULT_MAX_ITERATIONS);
    if max_iterations == 0 {
        return Err(CodebookError::invalid(
            ctx,
            "max_iterations = 0: expected at least 1",
        ));
    }
    let (key, name) = match (raw.method, &raw.margins, &raw.cells) {
        (Method::Poststratify, None, Some(c)) => ("cells", c),
        (Method::Poststratify, _, _) => {
            return Err(CodebookError::invalid(
                ctx,
                "method = \"poststratify\" needs `cells = \"file\"` (a joint table of the variables), not `margins`",
            ))
        }
        (_, Some(m), None) => ("margins", m),
        (m, _, _) => {
            return Err(CodebookError::invalid(
                ctx,
                format!(
                    "method = \"{}\" needs `margins = \"file\"` (one row per category of each variable), not `cells`",
                    m.name()
                ),
            ))
        }
    };
    let file = base.join(name);
    let table = PopulationFile::read(&file, key, delimiter, decimal)?;
    let targets = match raw.method {
        Method::Poststratify => Targets::Cells(table.cells(&vars, variables)?),
        _ => Targets::Margins(table.margins(&vars, variables)?),
    };
    Ok(Weighting {
        method: raw.method,
        variables: vars,
        targets,
        bounds,
        epsilon,
        max_iterations,
        file,
    })
}

impl super::Codebook {
    /// Calibrate to another population file (a batch year's own), with the same method and
    /// variables; the file is checked as the codebook's own would be.
    pub fn set_population(&mut self, file: &Path) -> CbResult<()> {
        let Some(w) = &self.weighting else {
            return Err(CodebookError::invalid(
                "project",
                format!(
                    "population = {:?}, but the codebook has no [weighting] section",
                    file.display().to_string()
                ),
            ));
        };
        let key = match w.method {
            Method::Poststratify => "cells",
            _ => "margins",
        };
        let table = PopulationFile::read(file, key, self.format.delimiter, self.format.decimal)?;
        let targets = match w.method {
            Method::Poststratify => Targets::Cells(table.cells(&w.variables, &self.variables)?),
            _ => Targets::Margins(table.margins(&w.variables, &self.variables)?),
        };
        if let Some(w) = &mut self.weighting {
            w.targets = targets;
            w.file = file.to_path_buf();
        }
        Ok(())
    }
}

fn weighting_variables(names: &[String], variables: &[Variable]) -> CbResult<Vec<usize>> {
    if names.is_empty() {
        return Err(CodebookError::invalid(
            "[weighting]",
            "'variables' is empty",
        ));
    }
    let mut out = Vec::new();
    for n in names {
        let i = variables.iter().position(|v| v.name == *n).ok_or_else(|| {
            CodebookError::UnknownVariable {
                context: "[weighting]".into(),
                key: "variables",
                name: n.clone(),
            }
        })?;
        if variables[i].groups().is_none() {
            return Err(CodebookError::invalid(
                "[weighting] variables",
                format!(
                    "'{n}' is {}; weighting variables must be categorical, bins or recode",
                    variables[i].type_name()
                ),
            ));
        }
        if out.contains(&i) {
            return Err(CodebookError::invalid(
                "[weighting] variables",
                format!("'{n}' is listed twice"),
            ));
        }
        out.push(i);
    }
    Ok(out)
}

fn bounds(method: Method, raw: Option<[f64; 2]>) -> CbResult<Option<(f64, f64)>> {
    let ctx = "[weighting] bounds";
    match raw {
        None if method == Method::Logit => Err(CodebookError::invalid(
            "[weighting]",
            "method = \"logit\" needs bounds = [L, U] with 0 <= L < 1 < U (limits on g = final weight / design weight)",
        )),
        None => Ok(None),
        Some([l, u]) => {
            if !(u.is_finite() && (0.0..1.0).contains(&l) && u > 1.0) {
                return Err(CodebookError::invalid(
                    ctx,
                    format!("[{l}, {u}]: expected finite limits with 0 <= L < 1 < U"),
                ));
            }
            if method == Method::Poststratify {
                return Err(CodebookError::invalid(
                    ctx,
                    "post-stratification fits every cell exactly; bounds apply to rake, linear and logit",
                ));
            }
            Ok(Some((l, u)))
        }
    }
}

/// A population file as text cells, with line numbers.
struct PopulationFile {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    decimal: u8,
}

impl PopulationFile {
    fn read(path: &Path, key: &str, delimiter: u8, decimal: u8) -> CbResult<PopulationFile> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CodebookError::invalid(
                format!("[weighting] {key} = {:?}", path.display().to_string()),
                format!("cannot read the population file: {e}"),
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let first = text.lines().next().unwrap_or("");
        // The codebook's delimiter, or the one the header line plainly uses.
        let delimiter = if first.contains(delimiter as char) {
            delimiter
        } else {
            [b';', b',', b'\t']
                .into_iter()
                .find(|d| first.contains(*d as char))
                .unwrap_or(delimiter)
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut records = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.map_err(|e| at(path, i + 1, format!("not a CSV line: {e}")))?;
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            records.push((i + 1, rec.iter().map(|f| f.trim().to_string()).collect()));
        }
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
            decimal,
        })
    }

    fn count(&self, line: usize, raw: &str) -> CbResult<f64> {
        match crate::text::number::parse_number(raw.as_bytes(), self.decimal) {
            Ok(x) if x > 0.0 => Ok(x),
            Ok(_) => Err(at(
                &self.path,
                line,
                format!("count {raw:?}: expected a positive number"),
            )),
            Err(why) => Err(at(
                &self.path,
                line,
                format!("count {raw:?}: expected a positive number ({why})"),
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

    /// Long format `variable;code;count`: one count per category of every weighting variable.
    fn margins(&self, vars: &[usize], variables: &[Variable]) -> CbResult<Vec<Vec<f64>>> {
        let (cv, cc, cn) = (
            self.column("variable")?,
            self.column("code")?,
            self.column("count")?,
        );
        let mut out: Vec<Vec<Option<f64>>> = vars
            .iter()
            .map(|&v| vec![None; categories(&variables[v]).len()])
            .collect();
        for (line, row) in &self.rows {
            let field = |c: usize| row.get(c).map(String::as_str).unwrap_or("");
            let name = field(cv);
            let Some(k) = vars.iter().position(|&v| variables[v].name == name) else {
                return Err(at(
                    &self.path,
                    *line,
                    format!(
                        "variable {name:?} is not one of the weighting variables ({})",
                        names(vars, variables)
                    ),
                ));
            };
            let level = code_index(&self.path, *line, &variables[vars[k]], field(cc))?;
            if out[k][level].is_some() {
                return Err(at(
                    &self.path,
                    *line,
                    format!("{name} = {:?} is listed twice", field(cc)),
                ));
            }
            out[k][level] = Some(self.count(*line, field(cn))?);
        }
        let margins = complete(&self.path, vars, variables, out)?;
        check_totals(&self.path, vars, variables, &margins)?;
        Ok(margins)
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
            return Err(at(
                &self.path,
                1,
                format!(
                    "the cell {} is not in the file; every joint cell needs a count",
                    cell_name(missing, vars, variables)
                ),
            ));
        }
        Ok(out.into_iter().flatten().collect())
    }
}

fn at(path: &Path, line: usize, problem: String) -> CodebookError {
    CodebookError::invalid(format!("{}:{line}", path.display()), problem)
}

fn names(vars: &[usize], variables: &[Variable]) -> String {
    vars.iter()
        .map(|&v| variables[v].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn categories(v: &Variable) -> Vec<Category> {
    v.groups().unwrap_or_default()
}

/// The level of a code (bin label) of a weighting variable.
fn code_index(path: &Path, line: usize, v: &Variable, code: &str) -> CbResult<usize> {
    let cats = categories(v);
    cats.iter().position(|c| c.key == code).ok_or_else(|| {
        let missing = match &v.kind {
            VariableKind::Categorical { missing, .. } if missing.iter().any(|m| m == code) => {
                " (it is a missing code: respondents without a valid value cannot be weighted)"
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

/// The name of joint cell `index`, e.g. "geslacht = 1 × leeftijdsgroep = 18-34".
pub fn cell_name(index: usize, vars: &[usize], variables: &[Variable]) -> String {
    let levels: Vec<Vec<Category>> = vars.iter().map(|&v| categories(&variables[v])).collect();
    let mut rest = index;
    let mut parts = Vec::new();
    for (k, &v) in vars.iter().enumerate().rev() {
        let n = levels[k].len();
        parts.push(format!(
            "{} = {}",
            variables[v].name,
            levels[k][rest % n].key
        ));
        rest /= n;
    }
    parts.reverse();
    parts.join(" × ")
}

/// Every category of every margin must have a count.
fn complete(
    path: &Path,
    vars: &[usize],
    variables: &[Variable],
    got: Vec<Vec<Option<f64>>>,
) -> CbResult<Vec<Vec<f64>>> {
    let mut out = Vec::new();
    for (k, counts) in got.into_iter().enumerate() {
        let v = &variables[vars[k]];
        if counts.iter().all(Option::is_none) {
            return Err(at(
                path,
                1,
                format!("no rows for weighting variable '{}'", v.name),
            ));
        }
        if let Some(i) = counts.iter().position(Option::is_none) {
            return Err(at(
                path,
                1,
                format!(
                    "{} = {:?} has no population count; give it one (or merge it with another category in a recode)",
                    v.name,
                    categories(v)[i].key
                ),
            ));
        }
        out.push(counts.into_iter().flatten().collect());
    }
    Ok(out)
}

/// Every margin must add up to the same population (within 1e-6 relative).
fn check_totals(
    path: &Path,
    vars: &[usize],
    variables: &[Variable],
    margins: &[Vec<f64>],
) -> CbResult<()> {
    let totals: Vec<f64> = margins.iter().map(|m| m.iter().sum()).collect();
    let first = totals[0];
    for (k, t) in totals.iter().enumerate().skip(1) {
        if (t - first).abs() > 1e-6 * first {
            return Err(at(
                path,
                1,
                format!(
                    "the margins add up to different populations: {} {} against {} {}",
                    variables[vars[0]].name,
                    crate::text::num(first),
                    variables[vars[k]].name,
                    crate::text::num(*t)
                ),
            ));
        }
    }
    Ok(())
}
