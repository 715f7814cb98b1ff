//! Sentences under tables and charts: what the marks mean, at which level, with which method;
//! and the one description of the design every output shares.

use super::{mark, Vocabulary};
use crate::stats::{CiMethod, Statistic};

/// What an output says about the sampling design (gathered once per run by the report module).
#[derive(Debug, Clone, PartialEq)]
pub struct DesignFacts {
    /// Whether the codebook declares a `[design]` (else: an unweighted simple random sample).
    pub designed: bool,
    /// The design weight column (none: weight 1 for everyone).
    pub weight: Option<String>,
    /// The finite population correction's column.
    pub fpc: Option<String>,
    /// The calibration: its method and the labels of its variables.
    pub calibration: Option<(String, Vec<String>)>,
    /// The stratum column and the number of strata.
    pub strata: Option<(String, usize)>,
    /// The cluster column and the number of PSUs.
    pub clusters: Option<(String, f64)>,
    /// Respondents in the design.
    pub rows: f64,
    /// The design's degrees of freedom.
    pub df: f64,
}

/// Legends and method sentences at one confidence level and interval method.
#[derive(Debug, Clone, Copy)]
pub struct Legend {
    pub vocab: Vocabulary,
    pub level: f64,
    pub method: CiMethod,
    /// Whether the file is weighted (means then get normal intervals, else t).
    pub weighted: bool,
}

impl Legend {
    fn v(&self) -> &Vocabulary {
        &self.vocab
    }

    /// The interval method of means.
    fn mean_method(&self) -> &'static str {
        if self.weighted {
            self.v().pick("normaal", "normal")
        } else {
            "t"
        }
    }

    /// What the numbers in brackets are.
    pub fn intervals(&self, statistic: Statistic) -> String {
        let level = self.v().level(self.level);
        match statistic {
            Statistic::Proportion => self.v().pick(
                format!(
                    "Percentages met het {level}-betrouwbaarheidsinterval ({}) tussen haakjes.",
                    self.method
                ),
                format!(
                    "Percentages with their {level} confidence interval ({}) in brackets.",
                    self.method
                ),
            ),
            Statistic::Mean => self.v().pick(
                format!(
                    "Gemiddelden met het {level}-betrouwbaarheidsinterval ({}) tussen haakjes.",
                    self.mean_method()
                ),
                format!(
                    "Means with their {level} confidence interval ({}) in brackets.",
                    self.mean_method()
                ),
            ),
            Statistic::Quantile => self.v().pick(
                format!(
                    "Kwantielen (mediaan, percentielen) met het {level}-betrouwbaarheidsinterval van Woodruff tussen haakjes."
                ),
                format!(
                    "Quantiles (median, percentiles) with their {level} Woodruff confidence interval in brackets."
                ),
            ),
            Statistic::Total => self.v().pick(
                format!(
                    "Aantallen: het geschatte aantal inwoners per antwoord, met het {level}-betrouwbaarheidsinterval (normaal) tussen haakjes."
                ),
                format!(
                    "Numbers: the estimated number of residents per answer, with their {level} confidence interval (normal) in brackets."
                ),
            ),
        }
    }

    /// The interval methods of a run in one sentence.
    pub fn methods(&self) -> String {
        let level = self.v().level(self.level);
        self.v().pick(
            format!(
                "Intervallen: {level}-betrouwbaarheidsintervallen, {} voor percentages, {} voor gemiddelden.",
                self.method,
                self.mean_method()
            ),
            format!(
                "Intervals: {level} confidence intervals, {} for percentages, {} for means.",
                self.method,
                self.mean_method()
            ),
        )
    }

    /// What the reliability marks mean.
    pub fn reliability(&self) -> String {
        let (i, u, x) = (mark::INDICATIVE, mark::UNRELIABLE, mark::SUPPRESSED);
        self.v().pick(
            format!(
                "{i} indicatief (30 tot 100 respondenten), {u} onbetrouwbaar (minder dan 30), {x} minder dan 5 respondenten gaven dit antwoord: niet publiceren."
            ),
            format!(
                "{i} indicative (base 30–99), {u} unreliable (base below 30), {x} fewer than 5 respondents gave this answer: do not publish."
            ),
        )
    }

    /// What the significance mark of a two-group comparison means, at the level used.
    pub fn significance(&self) -> String {
        let s = mark::SIGNIFICANT;
        let (a, an) = (
            self.v().alpha(self.level),
            self.v().alpha_number(self.level),
        );
        self.v().pick(
            format!(
                "{s} verschil tussen de groepen significant op het {a}-niveau (p < {an} na Holm-correctie over de tabel)."
            ),
            format!(
                "{s} difference between the groups significant at the {a} level (p < {an} after Holm's adjustment over the table)."
            ),
        )
    }

    /// What ▲ and ▼ mean, at the level used.
    pub fn total_marks(&self) -> String {
        let (up, down) = (mark::HIGHER, mark::LOWER);
        let (a, an) = (
            self.v().alpha(self.level),
            self.v().alpha_number(self.level),
        );
        self.v().pick(
            format!(
                "{up} {down} significant hoger of lager dan het totaal op het {a}-niveau (p < {an} na Holm-correctie over de tabel)."
            ),
            format!(
                "{up} {down} significantly higher or lower than the total at the {a} level (p < {an} after Holm's adjustment over the table)."
            ),
        )
    }

    /// What ↑ and ↓ mean, at the level used.
    pub fn benchmark_marks(&self) -> String {
        let (up, down) = (mark::ABOVE_BENCHMARK, mark::BELOW_BENCHMARK);
        let (a, an) = (
            self.v().alpha(self.level),
            self.v().alpha_number(self.level),
        );
        self.v().pick(
            format!(
                "{up} {down} significant hoger of lager dan de benchmark (een externe vergelijkingswaarde) op het {a}-niveau (p < {an} na Holm-correctie over de tabel)."
            ),
            format!(
                "{up} {down} significantly higher or lower than the benchmark (an external reference figure) at the {a} level (p < {an} after Holm's adjustment over the table)."
            ),
        )
    }

    /// What column letters mean, at the level used.
    pub fn letters(&self) -> String {
        let (a, an) = (
            self.v().alpha(self.level),
            self.v().alpha_number(self.level),
        );
        self.v().pick(
            format!(
                "Letters: significant hoger dan de kolommen met die letters (A, B, …) binnen dezelfde indeling, op het {a}-niveau (p < {an} na Holm-correctie per rij)."
            ),
            format!(
                "Letters: significantly higher than the columns with those letters (A, B, …) within the same breakdown, at the {a} level (p < {an} after Holm's adjustment within each row)."
            ),
        )
    }

    /// When no test is made.
    pub fn untested(&self, min_base: u64) -> String {
        let x = mark::SUPPRESSED;
        self.v().pick(
            format!(
                "Niet getoetst: bij minder dan {min_base} respondenten aan een kant, bij een verborgen antwoord ({x}) of bij standaardfout 0 (iedereen of niemand gaf het antwoord)."
            ),
            format!(
                "Not tested: with fewer than {min_base} respondents on a side, a suppressed answer ({x}), or a standard error of 0 (everyone or no one gave the answer)."
            ),
        )
    }

    /// The significance legends of a table with these kinds of marks.
    pub fn marks(&self, kinds: MarkKinds, min_base: u64) -> Vec<String> {
        let mut out = Vec::new();
        if kinds.total {
            out.push(self.total_marks());
        }
        if kinds.pairs {
            out.push(self.significance());
        }
        if kinds.letters {
            out.push(self.letters());
        }
        if kinds.benchmark {
            out.push(self.benchmark_marks());
        }
        if kinds.untested || kinds.total || kinds.pairs || kinds.letters || kinds.benchmark {
            out.push(self.untested(min_base));
        }
        out
    }

    /// "n: ongewogen aantal respondenten met een geldig antwoord."
    pub fn base(&self) -> &'static str {
        self.v().pick(
            "n: ongewogen aantal respondenten met een geldig antwoord.",
            "n: unweighted number of respondents with a valid answer.",
        )
    }

    /// One sentence describing the design.
    pub fn design(&self, d: &DesignFacts) -> String {
        let v = self.v();
        let rows = v.count(d.rows as u64);
        if !d.designed {
            return v.pick(
                format!("Ongewogen enkelvoudige aselecte steekproef van {rows} respondenten."),
                format!("Unweighted simple random sample of {rows} respondents."),
            );
        }
        let mut s = match &d.weight {
            Some(weight) => v.pick(
                format!("Gewogen met '{weight}'"),
                format!("Weighted by '{weight}'"),
            ),
            None => v.pick("Ongewogen".to_string(), "Unweighted".to_string()),
        };
        if let Some((col, n)) = &d.strata {
            s.push_str(&v.pick(
                format!(", gestratificeerd naar '{col}' ({n} strata)"),
                format!(", stratified by '{col}' ({n} strata)"),
            ));
        }
        if let Some((col, n)) = &d.clusters {
            let n = v.count(*n as u64);
            s.push_str(&v.pick(
                format!(", {n} clusters ('{col}')"),
                format!(", {n} clusters ('{col}')"),
            ));
        }
        if let Some((method, labels)) = &d.calibration {
            s.push_str(&v.pick(
                format!(
                    ", gekalibreerd naar {} met {}",
                    self.list(labels),
                    self.calibration_method(method)
                ),
                format!(
                    ", calibrated to {} by {}",
                    self.list(labels),
                    self.calibration_method(method)
                ),
            ));
        }
        if let Some(col) = &d.fpc {
            s.push_str(&v.pick(
                format!(", met eindige-populatiecorrectie ('{col}')"),
                format!(", with finite population correction ('{col}')"),
            ));
        }
        let df = v.count(d.df.max(0.0) as u64);
        s.push_str(&v.pick(
            format!("; {rows} respondenten, {df} vrijheidsgraden."),
            format!("; {rows} respondents, {df} degrees of freedom."),
        ));
        s
    }

    /// The design and the methods, for headings.
    pub fn design_and_methods(&self, d: &DesignFacts) -> String {
        format!("{} {}", self.design(d), self.methods())
    }
}

/// The kinds of significance marks a table shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkKinds {
    pub letters: bool,
    pub total: bool,
    pub pairs: bool,
    /// Cells are tested against an external benchmark (↑ ↓).
    pub benchmark: bool,
    /// Some comparisons were not tested (small base, suppressed, zero SE).
    pub untested: bool,
}
