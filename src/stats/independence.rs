//! Rao–Scott tests for every `by` variable of a table: one r × k test of a single-choice
//! question, one 2 × k test per item of a select-all set (R: `svychisq(~x + by, design)`).

use super::accumulate::{RowsMode, Sums, N, NY, W, W2, W2Y, WY};
use super::chisq::{rao_scott, CellSums, RaoScott};
use super::note::{Note, TestProblem};
use crate::codebook::Codebook;
use crate::keys::Breakdown;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct TestRow {
    pub table: String,
    pub variable: String,
    /// The item's column for a select-all set; empty for a single-choice question.
    pub category: String,
    pub category_label: String,
    pub by: Breakdown,
    pub n: f64,
    pub f: f64,
    pub ndf: f64,
    pub ddf: f64,
    pub p_f: f64,
    pub chisq_first_order: f64,
    pub df_first_order: f64,
    pub p_chisq: f64,
    /// Pearson's X² of the weighted table scaled to n, without design correction.
    pub pearson_x2: f64,
    #[serde(serialize_with = "super::note::serialize")]
    pub note: Option<Note>,
}

/// The tests of table `t` (position in the layout); numeric tables have none (`None`).
pub fn test_table(codebook: &Codebook, sums: &Sums, t: usize) -> Option<Vec<TestRow>> {
    let tl = &sums.layout.tables[t];
    let table = &codebook.tables[tl.table];
    let var = &codebook.variables[tl.rows_var];
    if matches!(tl.mode, RowsMode::Number { .. }) {
        return None;
    }
    let mut out = Vec::new();
    for g in tl.groupings.iter().filter(|g| g.vars.len() == 1) {
        let by = &codebook.variables[g.vars[0]];
        let nc = g.levels[0];
        let mut push = |category: String, label: String, result: Result<RaoScott, TestProblem>| {
            let mut row = TestRow {
                table: table.name.clone(),
                variable: var.name.clone(),
                category,
                category_label: label,
                by: Breakdown::by(&by.name),
                n: f64::NAN,
                f: f64::NAN,
                ndf: f64::NAN,
                ddf: f64::NAN,
                p_f: f64::NAN,
                chisq_first_order: f64::NAN,
                df_first_order: f64::NAN,
                p_chisq: f64::NAN,
                pearson_x2: f64::NAN,
                note: None,
            };
            match result {
                Ok(r) => {
                    row.n = r.n;
                    row.f = r.f;
                    row.ndf = r.ndf;
                    row.ddf = r.ddf;
                    row.p_f = r.p_f;
                    row.chisq_first_order = r.chisq_first_order;
                    row.df_first_order = r.df_first_order;
                    row.p_chisq = r.p_chisq;
                    row.pearson_x2 = r.pearson_x2;
                }
                Err(e) => row.note = Some(Note::NoTest(e)),
            }
            out.push(row);
        };
        match tl.mode {
            RowsMode::Code { .. } => {
                let res = rao_scott(&sums.design, tl.slots, nc, |u, r, c| {
                    let m = sums.cell(t, u, g.offset + c, r);
                    [m[N], m[W], m[W2]]
                });
                push(String::new(), var.label.clone(), res);
            }
            RowsMode::Items { .. } => {
                for (j, cat) in var.categories().into_iter().enumerate() {
                    let res = rao_scott(&sums.design, 2, nc, |u, r, c| -> CellSums {
                        let m = sums.cell(t, u, g.offset + c, j);
                        if r == 0 {
                            [m[NY], m[WY], m[W2Y]]
                        } else {
                            [m[N] - m[NY], m[W] - m[WY], m[W2] - m[W2Y]]
                        }
                    });
                    push(cat.key, cat.label, res);
                }
            }
            RowsMode::Number { .. } => {}
        }
    }
    Some(out)
}
