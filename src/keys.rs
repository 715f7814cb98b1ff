//! The names every figure carries: what is estimated ([`Statistic`]), which breakdown it belongs
//! to ([`Breakdown`]) and which group of it ([`GroupKey`]). Inside the code the whole sample is a
//! variant, not a magic string; the tidy CSV and JSON keep writing it as `(all)`.

use serde::{Serialize, Serializer};
use std::fmt;

/// How the whole sample is written in tidy outputs (`by` and `group` columns).
pub const WHOLE_SAMPLE: &str = "(all)";

/// How "everyone else" is written in tidy outputs (`group_a` of a comparison against the rest).
pub const REST: &str = "(rest)";

/// How an external benchmark is written in tidy outputs (`group_a` of a test against it).
pub const BENCHMARK: &str = "(benchmark)";

/// How the variables (and codes) of a crossed breakdown are joined in tidy outputs.
pub const CROSS: &str = " × ";

/// What one figure estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Statistic {
    /// The share of the base that gave an answer (0–1).
    Proportion,
    /// The weighted mean of a number.
    Mean,
    /// A quantile of a number (the category says which: `0.5` is the median).
    Quantile,
    /// The estimated number of residents who gave an answer (R's `svytotal`).
    Total,
}

impl Statistic {
    pub const ALL: [Statistic; 4] = [
        Statistic::Proportion,
        Statistic::Mean,
        Statistic::Quantile,
        Statistic::Total,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Statistic::Proportion => "proportion",
            Statistic::Mean => "mean",
            Statistic::Quantile => "quantile",
            Statistic::Total => "total",
        }
    }

    pub fn is_mean(self) -> bool {
        self == Statistic::Mean
    }

    /// Whether the figure is on the scale of the variable (a mean or a quantile of a number).
    pub fn is_numeric(self) -> bool {
        matches!(self, Statistic::Mean | Statistic::Quantile)
    }
}

/// A breakdown of the respondents: the whole sample, or the joint groups of one or more
/// grouping variables (named).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Breakdown {
    Total,
    By(Vec<String>),
}

impl Breakdown {
    pub fn by(name: &str) -> Breakdown {
        Breakdown::By(vec![name.to_string()])
    }

    pub fn is_total(&self) -> bool {
        matches!(self, Breakdown::Total)
    }

    /// The variable names (none for the whole sample).
    pub fn vars(&self) -> &[String] {
        match self {
            Breakdown::Total => &[],
            Breakdown::By(v) => v,
        }
    }

    /// Whether this is the breakdown by exactly the one variable `name`.
    pub fn is_var(&self, name: &str) -> bool {
        matches!(self, Breakdown::By(v) if v.len() == 1 && v[0] == name)
    }
}

impl fmt::Display for Breakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Breakdown::Total => f.write_str(WHOLE_SAMPLE),
            Breakdown::By(v) => f.write_str(&v.join(CROSS)),
        }
    }
}

impl Serialize for Breakdown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One group of a breakdown: the whole sample, or a code (bin label) per variable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    Total,
    /// Everyone with a valid answer outside a group (the other side of a comparison).
    Rest,
    /// An external figure (the national average): `group_a` of a test against a benchmark.
    Benchmark,
    Codes(Vec<String>),
}

impl GroupKey {
    pub fn code(code: &str) -> GroupKey {
        GroupKey::Codes(vec![code.to_string()])
    }

    pub fn is_total(&self) -> bool {
        matches!(self, GroupKey::Total)
    }
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupKey::Total => f.write_str(WHOLE_SAMPLE),
            GroupKey::Rest => f.write_str(REST),
            GroupKey::Benchmark => f.write_str(BENCHMARK),
            GroupKey::Codes(v) => f.write_str(&v.join(CROSS)),
        }
    }
}

impl Serialize for GroupKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_sample_and_crossings_are_written_as_the_tidy_outputs_expect() {
        assert_eq!(Breakdown::Total.to_string(), "(all)");
        assert_eq!(GroupKey::Total.to_string(), "(all)");
        let b = Breakdown::By(vec!["leeftijdsgroep".into(), "geslacht".into()]);
        assert_eq!(b.to_string(), "leeftijdsgroep × geslacht");
        let g = GroupKey::Codes(vec!["18-29".into(), "2".into()]);
        assert_eq!(g.to_string(), "18-29 × 2");
        assert_eq!(serde_json::to_string(&g).unwrap(), "\"18-29 × 2\"");
        assert_eq!(serde_json::to_string(&Statistic::Mean).unwrap(), "\"mean\"");
        assert!(Breakdown::by("taal").is_var("taal"));
    }
}
