//! A table's `statistics` and `quantiles`: what it estimates besides its primary figure.
//! Proportions (of a single-choice or select-all question) may add totals, the estimated number
//! of residents per answer; the mean of a number may add quantiles.

use super::error::{CbResult, CodebookError};
use super::Variable;
use crate::keys::Statistic;

/// The table's statistics (its primary one first) and quantile probabilities.
pub(super) fn statistics(
    context: &str,
    rows: &Variable,
    raw: Option<Vec<String>>,
    quantiles: Option<Vec<f64>>,
) -> CbResult<(Vec<Statistic>, Vec<f64>)> {
    let (primary, extra) = if rows.is_numeric() {
        (Statistic::Mean, Statistic::Quantile)
    } else {
        (Statistic::Proportion, Statistic::Total)
    };
    let mut out = vec![primary];
    let names = raw.unwrap_or_else(|| vec![primary.name().to_string()]);
    for name in &names {
        let s = Statistic::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                CodebookError::invalid(
                    context,
                    format!(
                        "statistics = [.. \"{name}\" ..]: expected \"proportion\", \"total\", \"mean\" or \"quantile\""
                    ),
                )
            })?;
        if s != primary && s != extra {
            return Err(CodebookError::invalid(
                context,
                format!(
                    "statistics = [.. \"{name}\" ..]: a table of '{}' ({}) estimates {}",
                    rows.name,
                    rows.type_name(),
                    if rows.is_numeric() {
                        "the mean and quantiles (statistics = [\"mean\", \"quantile\"])"
                    } else {
                        "proportions and totals (statistics = [\"proportion\", \"total\"])"
                    }
                ),
            ));
        }
        if names.iter().filter(|n| *n == name).count() > 1 {
            return Err(CodebookError::invalid(
                context,
                format!("statistics = [.. \"{name}\" ..]: listed twice"),
            ));
        }
        if s != primary {
            out.push(s);
        }
    }
    if !names.iter().any(|n| n == primary.name()) {
        return Err(CodebookError::invalid(
            context,
            format!(
                "statistics = [{}]: a table of '{}' always shows its {}; list \"{}\" first",
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                rows.name,
                if rows.is_numeric() {
                    "mean"
                } else {
                    "proportions"
                },
                primary.name()
            ),
        ));
    }
    let quantiles = probabilities(context, out.contains(&Statistic::Quantile), quantiles)?;
    Ok((out, quantiles))
}

/// `quantiles`: given exactly when the table lists "quantile"; probabilities in (0, 1), once each.
fn probabilities(context: &str, asked: bool, raw: Option<Vec<f64>>) -> CbResult<Vec<f64>> {
    let ps = match (asked, raw) {
        (false, None) => return Ok(Vec::new()),
        (false, Some(_)) => {
            return Err(CodebookError::invalid(
                context,
                "'quantiles' is given but 'statistics' does not list \"quantile\" (statistics = [\"mean\", \"quantile\"])",
            ))
        }
        (true, None) => {
            return Err(CodebookError::Required {
                context: context.to_string(),
                key: "quantiles",
                hint: " (e.g. quantiles = [0.25, 0.5, 0.75]; 0.5 is the median)",
            })
        }
        (true, Some(ps)) => ps,
    };
    if ps.is_empty() {
        return Err(CodebookError::invalid(context, "'quantiles' is empty"));
    }
    for (i, &p) in ps.iter().enumerate() {
        if !(p > 0.0 && p < 1.0) {
            return Err(CodebookError::invalid(
                context,
                format!(
                    "quantiles = [.. {p} ..]: expected probabilities strictly between 0 and 1 (0.5 is the median, 0.25 the first quartile)"
                ),
            ));
        }
        if ps[..i].contains(&p) {
            return Err(CodebookError::invalid(
                context,
                format!("quantiles = [.. {p} ..]: listed twice"),
            ));
        }
    }
    Ok(ps)
}
