//! The `[weighting]` section: calibrate the design weights to population figures
//! (post-stratification, raking, linear or logit calibration), with the population read from
//! the files it names. Everything that can be checked without the data is checked here: the
//! variables, the codes in the population files, the counts, the totals.

mod population;

use super::error::{CbResult, CodebookError};
use super::{Category, Variable};
use population::PopulationFile;
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

/// What a respondent without a valid value of a weighting variable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unknown {
    /// A data error (R refuses NA in calibration variables).
    #[default]
    Error,
    /// An extra category of the margin, its population the sample's design-weighted share.
    OwnCategory,
}

/// A weighting margin as written: one variable, or a list of variables crossed.
#[derive(Deserialize)]
#[serde(untagged)]
pub(in crate::codebook) enum RawMargin {
    One(String),
    Crossed(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::codebook) struct RawWeighting {
    method: Method,
    margins: Option<String>,
    cells: Option<String>,
    variables: Vec<RawMargin>,
    bounds: Option<[f64; 2]>,
    epsilon: Option<f64>,
    max_iterations: Option<u32>,
    unknown: Option<Unknown>,
    margin_tolerance: Option<f64>,
    trim: Option<[f64; 2]>,
    warn_design_effect: Option<f64>,
    warn_g: Option<[f64; 2]>,
}

/// One margin of the population: the variables it crosses (one for a plain margin) and the
/// population count of each joint category of their levels (first variable slowest).
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    pub vars: Vec<usize>,
    pub counts: Vec<f64>,
}

/// The separator of a crossed margin's name and codes, as in crossed breakdowns.
pub use crate::keys::CROSS;

impl Margin {
    /// "gesl_stpr × lftkl", or the variable's name.
    pub fn name(&self, variables: &[Variable]) -> String {
        self.join(|v| variables[v].name.clone())
    }

    /// "Geslacht × Leeftijdsklasse", or the variable's label.
    pub fn label(&self, variables: &[Variable]) -> String {
        self.join(|v| variables[v].label.clone())
    }

    fn join(&self, part: impl Fn(usize) -> String) -> String {
        self.vars
            .iter()
            .map(|&v| part(v))
            .collect::<Vec<_>>()
            .join(CROSS)
    }

    /// The levels of each variable.
    pub fn levels(&self, variables: &[Variable]) -> Vec<usize> {
        self.vars
            .iter()
            .map(|&v| categories(&variables[v]).len())
            .collect()
    }

    /// Category `index` as (code, label): "1 × 18-29", "Man × 18-29".
    pub fn category(&self, index: usize, variables: &[Variable]) -> Category {
        let cats: Vec<Vec<Category>> = self
            .vars
            .iter()
            .map(|&v| categories(&variables[v]))
            .collect();
        let mut rest = index;
        let mut parts = Vec::with_capacity(cats.len());
        for c in cats.iter().rev() {
            parts.push(&c[rest % c.len()]);
            rest /= c.len();
        }
        parts.reverse();
        Category {
            key: parts
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>()
                .join(CROSS),
            label: parts
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>()
                .join(CROSS),
        }
    }

    pub fn total(&self) -> f64 {
        self.counts.iter().sum()
    }
}

/// A margin whose total differed from the first margin's and was scaled to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaled {
    /// Index into [`Weighting::margins`].
    pub margin: usize,
    /// Its total as the file gives it.
    pub total: f64,
}

/// A validated `[weighting]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighting {
    pub method: Method,
    /// The calibration variables, each once, in the order of the margins (indices into the
    /// codebook's variables): the axes of the calibration cells.
    pub variables: Vec<usize>,
    /// The population: one margin per entry of `variables` (rake, linear, logit); for
    /// post-stratification one margin crossing every variable (the cells file).
    pub margins: Vec<Margin>,
    /// The first margin's total as the file gives it (every margin is scaled to it).
    pub total: f64,
    /// Margins whose totals differed (within `margin_tolerance`) and were scaled.
    pub scaled: Vec<Scaled>,
    /// Limits on g = final weight / design weight.
    pub bounds: Option<(f64, f64)>,
    /// Convergence: every calibration equation within epsilon (R: |T − T̂| / (1 + |T|)).
    pub epsilon: f64,
    pub max_iterations: u32,
    pub unknown: Unknown,
    /// How far (relative) margin totals may differ before the file is refused.
    pub margin_tolerance: f64,
    /// Trimming of g after calibration (R: `calibrate(trim = c(L, U))`).
    pub trim: Option<(f64, f64)>,
    /// Warn when Kish's design effect of weighting exceeds this.
    pub warn_design_effect: f64,
    /// Warn when a respondent's g falls outside this range.
    pub warn_g: (f64, f64),
    /// The population file, as resolved.
    pub file: PathBuf,
}

/// Default convergence tolerance (R's measure of a calibration equation).
pub const DEFAULT_EPSILON: f64 = 1e-10;
/// Default maximum of Newton steps.
pub const DEFAULT_MAX_ITERATIONS: u32 = 100;
/// The smallest `epsilon` accepted: a relative misfit below ~1e-15 is below double precision's
/// rounding, so a smaller one would keep the iteration going to `max_iterations` (5e-324 with
/// 4,294,967,295 iterations ran for days).
pub const MIN_EPSILON: f64 = 1e-15;
/// The most iterations `max_iterations` may ask for.
pub const MAX_ITERATIONS: u32 = 10_000;
/// Default tolerance on margin totals that differ by rounding (relative).
pub const DEFAULT_MARGIN_TOLERANCE: f64 = 0.005;
/// Default warning limits: the design effect of weighting, and the range of g.
pub const DEFAULT_WARN_DESIGN_EFFECT: f64 = 2.0;
pub const DEFAULT_WARN_G: (f64, f64) = (0.2, 5.0);

pub(in crate::codebook) fn weighting(
    raw: RawWeighting,
    variables: &[Variable],
    base: &Path,
    format: &super::DataFormat,
) -> CbResult<Weighting> {
    let ctx = "[weighting]";
    let margin_vars = margin_variables(raw.method, &raw.variables, variables)?;
    let axis: Vec<usize> = margin_vars.iter().flatten().copied().collect();
    check_key_space(&axis, variables)?;
    let bounds = limits(raw.method, "bounds", raw.bounds)?;
    if bounds.is_none() && raw.method == Method::Logit {
        return Err(CodebookError::invalid(
            ctx,
            "method = \"logit\" needs bounds = [L, U] with 0 <= L < 1 < U (limits on g = final weight / design weight)",
        ));
    }
    let trim = limits(raw.method, "trim", raw.trim)?;
    let warn_g = match raw.warn_g {
        Some(w) => limits(Method::Rake, "warn_g", Some(w))?.unwrap_or(DEFAULT_WARN_G),
        None => DEFAULT_WARN_G,
    };
    let epsilon = raw.epsilon.unwrap_or(DEFAULT_EPSILON);
    if !(MIN_EPSILON..1.0).contains(&epsilon) {
        return Err(CodebookError::invalid(
            ctx,
            format!(
                "key 'epsilon' = {epsilon:e}: expected a number from {MIN_EPSILON:e} to 1 (e.g. \
                 1e-10); double precision cannot bring a margin closer than about 1e-15, so a \
                 smaller epsilon is never reached"
            ),
        ));
    }
    let max_iterations = raw.max_iterations.unwrap_or(DEFAULT_MAX_ITERATIONS);
    if !(1..=MAX_ITERATIONS).contains(&max_iterations) {
        return Err(CodebookError::invalid(
            ctx,
            format!(
                "key 'max_iterations' = {max_iterations}: expected 1 to {MAX_ITERATIONS} \
                 (calibration converges in tens of steps, or not at all)"
            ),
        ));
    }
    let margin_tolerance = raw.margin_tolerance.unwrap_or(DEFAULT_MARGIN_TOLERANCE);
    if !(0.0..0.5).contains(&margin_tolerance) {
        return Err(CodebookError::invalid(
            ctx,
            format!(
                "margin_tolerance = {margin_tolerance}: expected a relative difference from 0 to 0.5 (default {DEFAULT_MARGIN_TOLERANCE}: 0.5%)"
            ),
        ));
    }
    let warn_design_effect = raw.warn_design_effect.unwrap_or(DEFAULT_WARN_DESIGN_EFFECT);
    if !(warn_design_effect >= 1.0 && warn_design_effect.is_finite()) {
        return Err(CodebookError::invalid(
            ctx,
            format!(
                "warn_design_effect = {warn_design_effect}: expected a number of at least 1 (Kish's design effect of weighting is never below 1; default {DEFAULT_WARN_DESIGN_EFFECT})"
            ),
        ));
    }
    let (key, name) = population_key(raw.method, &raw.margins, &raw.cells)?;
    let file = base.join(name);
    let mut spec = Weighting {
        method: raw.method,
        variables: axis,
        margins: margin_vars
            .into_iter()
            .map(|vars| Margin {
                vars,
                counts: Vec::new(),
            })
            .collect(),
        total: 0.0,
        scaled: Vec::new(),
        bounds,
        epsilon,
        max_iterations,
        unknown: raw.unknown.unwrap_or_default(),
        margin_tolerance,
        trim,
        warn_design_effect,
        warn_g,
        file: file.clone(),
    };
    let table = PopulationFile::read(&file, key, format)?;
    table.fill(&mut spec, variables)?;
    Ok(spec)
}

/// Which file the method reads: `cells` for post-stratification, else `margins`.
fn population_key<'a>(
    method: Method,
    margins: &'a Option<String>,
    cells: &'a Option<String>,
) -> CbResult<(&'static str, &'a String)> {
    match (method, margins, cells) {
        (Method::Poststratify, None, Some(c)) => Ok(("cells", c)),
        (Method::Poststratify, _, _) => Err(CodebookError::invalid(
            "[weighting]",
            "method = \"poststratify\" needs `cells = \"file\"` (a joint table of the variables), not `margins`",
        )),
        (_, Some(m), None) => Ok(("margins", m)),
        (m, _, _) => Err(CodebookError::invalid(
            "[weighting]",
            format!(
                "method = \"{}\" needs `margins = \"file\"` (one row per category of each variable), not `cells`",
                m.name()
            ),
        )),
    }
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
        let table = PopulationFile::read(file, key, &self.format)?;
        let mut spec = w.clone();
        spec.file = file.to_path_buf();
        table.fill(&mut spec, &self.variables)?;
        self.weighting = Some(spec);
        Ok(())
    }
}

/// The margins' variables: each entry of `variables` a margin (a list: crossed). Post-
/// stratification crosses every variable in one margin (its cells file is the joint table).
fn margin_variables(
    method: Method,
    raw: &[RawMargin],
    variables: &[Variable],
) -> CbResult<Vec<Vec<usize>>> {
    let ctx = "[weighting] variables";
    if raw.is_empty() {
        return Err(CodebookError::invalid(
            "[weighting]",
            "'variables' is empty",
        ));
    }
    let mut margins = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for m in raw {
        let names: Vec<&String> = match m {
            RawMargin::One(n) => vec![n],
            RawMargin::Crossed(list) if method == Method::Poststratify => {
                return Err(CodebookError::invalid(
                    ctx,
                    format!(
                        "[{}]: post-stratification already crosses every variable (its cells file is the joint table); list them one by one",
                        list.join(", ")
                    ),
                ))
            }
            RawMargin::Crossed(list) if list.len() < 2 => {
                return Err(CodebookError::invalid(
                    ctx,
                    format!(
                        "[{}]: a crossed margin lists two or more variables; write a single variable as a name",
                        list.join(", ")
                    ),
                ))
            }
            RawMargin::Crossed(list) => list.iter().collect(),
        };
        let mut vars = Vec::new();
        for n in names {
            let i = weighting_variable(n, variables)?;
            if seen.contains(&i) {
                return Err(CodebookError::invalid(
                    ctx,
                    format!(
                        "'{n}' is in two margins; a variable may be in one margin only (two margins that share a variable must agree on its totals: cross them in one margin instead)"
                    ),
                ));
            }
            seen.push(i);
            vars.push(i);
        }
        margins.push(vars);
    }
    if method == Method::Poststratify {
        margins = vec![margins.into_iter().flatten().collect()];
    }
    Ok(margins)
}

fn weighting_variable(name: &str, variables: &[Variable]) -> CbResult<usize> {
    let i = variables
        .iter()
        .position(|v| v.name == name)
        .ok_or_else(|| CodebookError::UnknownVariable {
            context: "[weighting]".into(),
            key: "variables",
            name: name.to_string(),
        })?;
    if variables[i].groups().is_none() {
        return Err(CodebookError::invalid(
            "[weighting] variables",
            format!(
                "'{name}' is {}; weighting variables must be categorical, bins or recode",
                variables[i].type_name()
            ),
        ));
    }
    Ok(i)
}

/// The calibration cells are keyed by the joint levels of every weighting variable (each with one
/// level more for "unknown"); the key must fit in 128 bits.
fn check_key_space(axis: &[usize], variables: &[Variable]) -> CbResult<()> {
    let mut space: u128 = 1;
    for &v in axis {
        let radix = categories(&variables[v]).len() as u128 + 1;
        space = space.checked_mul(radix).ok_or_else(|| {
            CodebookError::invalid(
                "[weighting] variables",
                "the weighting variables have more joint categories than 2^128: weight to fewer or coarser variables (merge categories in a recode)",
            )
        })?;
    }
    Ok(())
}

/// Limits [L, U] on g (bounds, trim, warn_g): finite, 0 <= L < 1 < U.
fn limits(method: Method, key: &str, raw: Option<[f64; 2]>) -> CbResult<Option<(f64, f64)>> {
    let ctx = format!("[weighting] {key}");
    let Some([l, u]) = raw else {
        return Ok(None);
    };
    if !(u.is_finite() && (0.0..1.0).contains(&l) && u > 1.0) {
        return Err(CodebookError::invalid(
            ctx,
            format!("[{l}, {u}]: expected finite limits with 0 <= L < 1 < U (limits on g = final weight / design weight)"),
        ));
    }
    if method == Method::Poststratify {
        return Err(CodebookError::invalid(
            ctx,
            format!("post-stratification fits every cell exactly; {key} applies to rake, linear and logit"),
        ));
    }
    Ok(Some((l, u)))
}

pub(crate) fn categories(v: &Variable) -> Vec<Category> {
    v.groups().unwrap_or_default()
}
