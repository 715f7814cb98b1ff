//! Reading a scale's items from a decoded row: a numeric item's number, or the number of a
//! categorical item's code. Resolved once per scale; used by the decoder (the score) and by the
//! sums behind Cronbach's alpha.

use super::decode::{DecodedRow, MISSING_CODE};
use crate::codebook::{Codebook, Scale, VariableKind};

/// Where each item of a scale is read from.
#[derive(Debug, Clone)]
pub struct ScaleItems {
    /// Per item: its variable and, for a categorical item, the number of each code.
    items: Vec<(usize, Option<Vec<f64>>)>,
}

impl ScaleItems {
    pub fn of(codebook: &Codebook, scale: &Scale) -> ScaleItems {
        let items = scale
            .items
            .iter()
            .map(|it| {
                let values = match &codebook.variables[it.var].kind {
                    VariableKind::Categorical { values, .. } => Some(
                        values
                            .iter()
                            // Every code is a number: the codebook checked it.
                            .map(|c| crate::codebook::scale_code_value(&c.code).unwrap_or(f64::NAN))
                            .collect(),
                    ),
                    _ => None,
                };
                (it.var, values)
            })
            .collect();
        ScaleItems { items }
    }

    /// The items' values in item order (NaN when not valid), as answered (not reversed).
    #[inline]
    pub fn values<'a>(&'a self, row: &'a DecodedRow) -> impl Iterator<Item = f64> + 'a {
        self.items.iter().map(|(v, codes)| match codes {
            None => row.numbers[*v],
            Some(values) => match row.codes[*v] {
                MISSING_CODE => f64::NAN,
                c => values[c as usize],
            },
        })
    }

    /// The items' variables, in order.
    pub fn vars(&self) -> impl Iterator<Item = usize> + '_ {
        self.items.iter().map(|(v, _)| *v)
    }
}
