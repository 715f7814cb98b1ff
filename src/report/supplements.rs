//! What a report shows besides its tables, computed once from the pass: each scale's
//! reliability (`scales.csv`) and the response per group of the gross sample (`response.csv`).

use crate::analysis::Analysis;
use crate::codebook::Codebook;
use crate::stats::reliability::{self, ScaleReliability};
pub use crate::stats::response::{ResponseRow, RESPONSE_COLUMNS};

/// Everything besides the tables.
#[derive(Debug, Clone, Default)]
pub struct Supplements {
    /// Every scale with Cronbach's alpha (`scales.csv`, the methods section).
    pub scales: Vec<ScaleReliability>,
    /// Response per group of the `[response]` file (`response.csv`, the weighting section).
    pub response: Vec<ResponseRow>,
}

impl Supplements {
    pub fn of(codebook: &Codebook, analysis: &Analysis, total_label: &str) -> Supplements {
        Supplements {
            scales: reliability::scales(codebook, &analysis.sums),
            response: crate::stats::response::response(codebook, &analysis.sums, total_label),
        }
    }
}
