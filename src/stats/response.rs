//! Response rates: the respondents read per group of a `[response]` variable over the residents
//! invited there (the gross sample), from the counts the pass keeps.

use super::accumulate::Sums;
use crate::codebook::Codebook;
use serde::Serialize;

/// One row of `response.csv`: the residents invited in a group, the respondents, the rate.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseRow {
    pub variable: String,
    /// The group's code (bin label), or `(all)` for a variable's total.
    pub code: String,
    pub label: String,
    pub invited: f64,
    /// Respondents read (rows used) with that code.
    pub responded: u64,
    /// responded / invited.
    pub rate: f64,
}

/// Column names of `response.csv`.
pub const RESPONSE_COLUMNS: [&str; 6] =
    ["variable", "code", "label", "invited", "responded", "rate"];

/// Per response variable, its groups in the file's order, then their total.
pub fn response(codebook: &Codebook, sums: &Sums, total_label: &str) -> Vec<ResponseRow> {
    let Some(r) = &codebook.response else {
        return Vec::new();
    };
    let layout = &sums.layout.extras.tallies;
    let mut out = Vec::new();
    for v in r.variables() {
        let var = &codebook.variables[v];
        let groups = var.groups().unwrap_or_default();
        let Some(k) = layout.iter().position(|(t, _)| *t == v) else {
            continue;
        };
        let counts = &sums.extras.tallies[k];
        let (mut invited, mut responded) = (0.0, 0.0);
        for i in r.invited.iter().filter(|i| i.variable == v) {
            let n = counts[i.level];
            invited += i.invited;
            responded += n;
            out.push(ResponseRow {
                variable: var.name.clone(),
                code: groups[i.level].key.clone(),
                label: groups[i.level].label.clone(),
                invited: i.invited,
                responded: n as u64,
                rate: n / i.invited,
            });
        }
        out.push(ResponseRow {
            variable: var.name.clone(),
            code: crate::keys::WHOLE_SAMPLE.to_string(),
            label: total_label.to_string(),
            invited,
            responded: responded as u64,
            rate: responded / invited,
        });
    }
    out
}
