//! The validated model of variables and tables that every layer above reads: what a variable
//! is (its kind, codes, bins, items, scale), what a table asks (rows, breakdowns, filter,
//! statistics, NETs) and the variables a table implies.

use super::{Codebook, Filter};

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
