//! One presentation vocabulary for every human-readable output (text, Markdown, HTML, Excel,
//! charts): the words, the number formats and the marks, in Dutch (the default: the surveys are
//! Dutch) or English. Writers ask this module how to say something instead of spelling it
//! themselves, so that every output uses the same word and the same symbol for the same thing.
//!
//! The tidy CSV and JSON are not human-readable outputs: they keep the decimal point, their
//! column names and the English notes whatever the language.
//!
//! ```
//! use enquete::codebook::Language;
//! use enquete::present::Vocabulary;
//! let nl = Vocabulary::new(Language::Nl);
//! assert_eq!(nl.percent(0.6512), "65,1%");
//! assert_eq!(Vocabulary::new(Language::En).percent(0.6512), "65.1%");
//! assert_eq!(nl.count(4000), "4.000");
//! ```

mod charts;
mod legend;
mod notes;
mod population;
mod public;
mod supplements;
mod weighting;

pub use charts::{ReliabilityShown, UnreliableDrawn};
pub use legend::{DesignFacts, Legend, MarkKinds};
pub use population::population;

use crate::codebook::{Codebook, Language};
use crate::keys::{Breakdown, CROSS};
use crate::stats::{Reliability, Statistic};

/// The label of a breakdown: its variables' labels (joined for a crossing), or "Totaal".
pub fn breakdown_label(codebook: &Codebook, by: &Breakdown, vocab: &Vocabulary) -> String {
    match by {
        Breakdown::Total => vocab.total().to_string(),
        Breakdown::By(vars) => vars
            .iter()
            .map(|n| {
                codebook
                    .variable(n)
                    .map_or(n.clone(), |v| codebook.variables[v].label.clone())
            })
            .collect::<Vec<_>>()
            .join(CROSS),
    }
}

/// The marks every human-readable output uses, one meaning each.
pub mod mark {
    /// The two groups of a two-group breakdown differ significantly.
    pub const SIGNIFICANT: &str = "*";
    /// Significantly higher than the total.
    pub const HIGHER: &str = "▲";
    /// Significantly lower than the total.
    pub const LOWER: &str = "▼";
    /// Significantly higher than an external benchmark.
    pub const ABOVE_BENCHMARK: &str = "↑";
    /// Significantly lower than an external benchmark.
    pub const BELOW_BENCHMARK: &str = "↓";
    /// Indicative: base of 30 to 99 respondents.
    pub const INDICATIVE: &str = "†";
    /// Unreliable: base below 30.
    pub const UNRELIABLE: &str = "‡";
    /// Suppressed: fewer than 5 respondents gave this answer.
    pub const SUPPRESSED: &str = "x";
    /// No figure.
    pub const NONE: &str = "–";
}

/// How to say things in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vocabulary {
    pub lang: Language,
}

impl Vocabulary {
    pub fn new(lang: Language) -> Self {
        Vocabulary { lang }
    }

    /// Pick the Dutch or the English text.
    pub fn pick<T>(&self, nl: T, en: T) -> T {
        match self.lang {
            Language::Nl => nl,
            Language::En => en,
        }
    }

    fn decimal_mark(&self) -> char {
        self.pick(',', '.')
    }

    fn thousands_mark(&self) -> char {
        self.pick('.', ',')
    }

    /// A number with `digits` decimals in the language's notation ("–" when undefined).
    pub fn decimal(&self, x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return mark::NONE.into();
        }
        let s = format!("{x:.digits$}");
        // "-0.0" reads as a negative zero: drop the sign.
        let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        };
        s.replace('.', &self.decimal_mark().to_string())
    }

    /// A whole number with thousands separators: 4.000 (nl), 4,000 (en).
    pub fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(self.thousands_mark());
            }
            out.push(ch);
        }
        out
    }

    /// A proportion (0–1) as a percentage with one decimal: 65,1%.
    pub fn percent(&self, p: f64) -> String {
        if !p.is_finite() {
            return mark::NONE.into();
        }
        format!("{}%", self.decimal(100.0 * p, 1))
    }

    /// A proportion as a percentage number without the sign (interval limits): 65,1.
    pub fn percent_number(&self, p: f64) -> String {
        self.decimal(100.0 * p, 1)
    }

    /// A figure of any kind: a percentage, a mean or quantile with two decimals, a total as a
    /// whole number of residents.
    pub fn value(&self, x: f64, statistic: Statistic) -> String {
        match statistic {
            Statistic::Proportion => self.percent(x),
            Statistic::Mean | Statistic::Quantile => self.decimal(x, 2),
            Statistic::Total => self.whole(x),
        }
    }

    /// An interval limit of any kind, without a percent sign.
    pub fn limit(&self, x: f64, statistic: Statistic) -> String {
        match statistic {
            Statistic::Proportion => self.percent_number(x),
            Statistic::Mean | Statistic::Quantile => self.decimal(x, 2),
            Statistic::Total => self.whole(x),
        }
    }

    /// A number rounded to a whole one, with thousands separators ("–" when undefined).
    pub fn whole(&self, x: f64) -> String {
        if !x.is_finite() {
            return mark::NONE.into();
        }
        let body = self.count(x.abs().round() as u64);
        if x < 0.0 && x.round() != 0.0 {
            format!("-{body}")
        } else {
            body
        }
    }

    /// The name of quantile p: "mediaan" / "median", "25e percentiel" / "25th percentile".
    pub fn quantile_label(&self, p: f64) -> String {
        if p == 0.5 {
            return self.pick("mediaan", "median").to_string();
        }
        let pct = 100.0 * p;
        let digits = if (pct - pct.round()).abs() < 1e-9 {
            0
        } else {
            1
        };
        let number = self.decimal(pct, digits);
        let suffix = match (digits, pct.round() as u64 % 100) {
            (0, 11..=13) => "th",
            (0, n) if n % 10 == 1 => "st",
            (0, n) if n % 10 == 2 => "nd",
            (0, n) if n % 10 == 3 => "rd",
            _ => "th",
        };
        self.pick(
            format!("{number}e percentiel"),
            format!("{number}{suffix} percentile"),
        )
    }

    /// A table row's label: the answer's label, marked as a number of residents for a total.
    pub fn row_label(&self, label: &str, statistic: Statistic) -> String {
        match statistic {
            Statistic::Total => format!("{label} ({})", self.pick("aantal", "number")),
            _ => label.to_string(),
        }
    }

    /// An interval "(60,2–70,0)", or empty when a limit is missing.
    pub fn interval(&self, lo: Option<f64>, hi: Option<f64>, statistic: Statistic) -> String {
        match (lo, hi) {
            (Some(l), Some(h)) if l.is_finite() && h.is_finite() => format!(
                "({}–{})",
                self.limit(l, statistic),
                self.limit(h, statistic)
            ),
            _ => String::new(),
        }
    }

    /// A difference with its sign: percentage points for proportions.
    pub fn difference(&self, x: f64, statistic: Statistic) -> String {
        if !x.is_finite() {
            return mark::NONE.into();
        }
        let (value, unit, digits) = match statistic {
            Statistic::Proportion => (100.0 * x, self.pick(" %-punt", " pp"), 1),
            Statistic::Mean | Statistic::Quantile => (x, "", 2),
            Statistic::Total => (x, "", 0),
        };
        let body = self.decimal(value.abs(), digits);
        let sign = if value < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "-"
        } else {
            "+"
        };
        format!("{sign}{body}{unit}")
    }

    /// A p-value with three decimals, or "<0,001".
    pub fn p_value(&self, p: f64) -> String {
        if !p.is_finite() {
            mark::NONE.into()
        } else if p < 0.001 {
            format!("<{}", self.decimal(0.001, 3))
        } else {
            self.decimal(p, 3)
        }
    }

    /// A confidence level as a percentage: "95%" (or "99,5%").
    pub fn level(&self, level: f64) -> String {
        pct_of(self, level)
    }

    /// The significance level that goes with a confidence level: "5%" for 0.95.
    pub fn alpha(&self, level: f64) -> String {
        pct_of(self, 1.0 - level)
    }

    /// The significance level as a number: "0,05".
    pub fn alpha_number(&self, level: f64) -> String {
        let a = 1.0 - level;
        let digits = if (a * 100.0 - (a * 100.0).round()).abs() < 1e-9 {
            2
        } else {
            3
        };
        self.decimal(a, digits)
    }

    /// The mark a reliability flag adds to a figure (empty when reliable).
    pub fn reliability_mark(&self, r: Reliability) -> &'static str {
        match r {
            Reliability::Ok => "",
            Reliability::Indicative => mark::INDICATIVE,
            Reliability::Unreliable => mark::UNRELIABLE,
            Reliability::Suppress => mark::SUPPRESSED,
        }
    }

    /// A figure as a table cell shows it: suppressed as "x", else the value with its
    /// significance marks, its interval and its reliability mark: "64,8%▲ (63,1–66,4)†".
    pub fn cell(
        &self,
        estimate: f64,
        ci: (Option<f64>, Option<f64>),
        statistic: Statistic,
        reliability: Reliability,
        marks: &str,
    ) -> String {
        if !estimate.is_finite() {
            return mark::NONE.into();
        }
        if reliability == Reliability::Suppress {
            return mark::SUPPRESSED.into();
        }
        let mut s = self.value(estimate, statistic);
        s.push_str(marks);
        let iv = self.interval(ci.0, ci.1, statistic);
        if !iv.is_empty() {
            s.push(' ');
            s.push_str(&iv);
        }
        let m = self.reliability_mark(reliability);
        if !m.is_empty() {
            s.push_str(m);
        }
        s
    }

    /// Words for the whole sample as a group.
    pub fn total(&self) -> &'static str {
        self.pick("Totaal", "Total")
    }

    /// The word for an external benchmark (the other side of a test against it).
    pub fn benchmark(&self) -> &'static str {
        self.pick("Benchmark", "Benchmark")
    }

    /// Words for everyone else (the other side of a group against the rest).
    pub fn rest(&self) -> &'static str {
        self.pick("Overig", "Rest")
    }

    pub fn all_respondents(&self) -> &'static str {
        self.pick("Alle respondenten", "All respondents")
    }

    /// The heading of a figure column: "%" or "gemiddelde".
    pub fn statistic_heading(&self, statistic: Statistic) -> &'static str {
        match statistic {
            Statistic::Proportion => "%",
            Statistic::Mean => self.pick("gemiddelde", "mean"),
            Statistic::Quantile => self.pick("kwantiel", "quantile"),
            Statistic::Total => self.pick("aantal", "number"),
        }
    }

    pub fn lower(&self) -> &'static str {
        self.pick("ondergrens", "lower")
    }

    pub fn upper(&self) -> &'static str {
        self.pick("bovengrens", "upper")
    }

    pub fn table(&self) -> &'static str {
        self.pick("Tabel", "Table")
    }

    pub fn question(&self) -> &'static str {
        self.pick("Vraag", "Question")
    }

    pub fn contents(&self) -> &'static str {
        self.pick("Inhoud", "Contents")
    }

    pub fn table_book(&self) -> &'static str {
        self.pick("Tabellenboek", "Tables")
    }

    pub fn group(&self) -> &'static str {
        self.pick("groep", "group")
    }

    pub fn category(&self) -> &'static str {
        self.pick("categorie", "category")
    }

    pub fn estimate(&self) -> &'static str {
        self.pick("schatting", "estimate")
    }

    pub fn note_heading(&self) -> &'static str {
        self.pick("opmerking", "note")
    }

    /// "95%-BI" / "95% CI".
    pub fn ci(&self, level: f64) -> String {
        self.pick(
            format!("{}-BI", self.level(level)),
            format!("{} CI", self.level(level)),
        )
    }

    /// A reliability flag in words (text output).
    pub fn reliability_words(&self, r: Reliability) -> &'static str {
        match r {
            Reliability::Ok => "",
            Reliability::Indicative => self.pick("indicatief", "indicative"),
            Reliability::Unreliable => self.pick("onbetrouwbaar (n < 30)", "unreliable (n < 30)"),
            Reliability::Suppress => {
                self.pick("niet publiceren (< 5 antwoorden)", "suppress (< 5 answers)")
            }
        }
    }

    /// "(hele vraag)": a test of a single-choice question as a whole.
    pub fn whole_question(&self) -> &'static str {
        self.pick("(hele vraag)", "(whole question)")
    }

    pub fn by(&self) -> &'static str {
        self.pick("naar", "by")
    }

    pub fn comparisons(&self) -> &'static str {
        self.pick("Vergelijkingen", "Comparisons")
    }

    pub fn tests_heading(&self) -> &'static str {
        self.pick(
            "Toetsen op samenhang (Rao–Scott)",
            "Tests of independence (Rao–Scott)",
        )
    }

    pub fn crude(&self) -> &'static str {
        self.pick("ongecorrigeerd", "crude")
    }

    /// "gestandaardiseerd naar leeftijdsgroep".
    pub fn standardised_for(&self, label: &str) -> String {
        self.pick(
            format!("gestandaardiseerd naar {}", label.to_lowercase()),
            format!("standardised for {}", label.to_lowercase()),
        )
    }

    /// "Vergelijking naar taal van de vragenlijst (ongecorrigeerd)".
    pub fn comparison_heading(&self, between_label: &str, kind: &str) -> String {
        self.pick(
            format!(
                "Vergelijking naar {} ({kind})",
                between_label.to_lowercase()
            ),
            format!("Comparison by {} ({kind})", between_label.to_lowercase()),
        )
    }

    /// "Bron".
    pub fn source(&self) -> &'static str {
        self.pick("Bron", "Source")
    }

    /// "4.000 respondenten gelezen, 3.998 gebruikt."
    pub fn rows_read_used(&self, read: u64, used: u64) -> String {
        self.pick(
            format!(
                "{} respondenten gelezen, {} gebruikt.",
                self.count(read),
                self.count(used)
            ),
            format!(
                "{} respondents read, {} used.",
                self.count(read),
                self.count(used)
            ),
        )
    }

    /// "n = 1.234" in legends.
    pub fn n_equals(&self, n: u64) -> String {
        format!("n = {}", self.count(n))
    }
}

fn pct_of(v: &Vocabulary, x: f64) -> String {
    let p = 100.0 * x;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round() as i64)
    } else {
        format!("{}%", v.decimal(p, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_both_languages() {
        let nl = Vocabulary::new(Language::Nl);
        let en = Vocabulary::new(Language::En);
        assert_eq!(nl.value(0.6512, Statistic::Proportion), "65,1%");
        assert_eq!(en.value(7.126, Statistic::Mean), "7.13");
        assert_eq!(nl.value(f64::NAN, Statistic::Mean), "–");
        assert_eq!(en.difference(-0.248, Statistic::Proportion), "-24.8 pp");
        assert_eq!(nl.difference(-0.248, Statistic::Proportion), "-24,8 %-punt");
        assert_eq!(en.difference(0.05, Statistic::Mean), "+0.05");
        assert_eq!(en.difference(-0.00001, Statistic::Mean), "+0.00");
        assert_eq!(nl.p_value(0.0004), "<0,001");
        assert_eq!(en.p_value(0.0412), "0.041");
        assert_eq!(nl.count(1234567), "1.234.567");
        assert_eq!(en.count(1234567), "1,234,567");
        assert_eq!(nl.level(0.9), "90%");
        assert_eq!(nl.alpha(0.9), "10%");
        assert_eq!(nl.alpha_number(0.95), "0,05");
        assert_eq!(en.alpha_number(0.995), "0.005");
        assert_eq!(nl.decimal(-0.0001, 1), "0,0");
        assert_eq!(
            nl.cell(
                0.5,
                (Some(0.4), Some(0.6)),
                Statistic::Proportion,
                Reliability::Indicative,
                "▲"
            ),
            "50,0%▲ (40,0–60,0)†"
        );
        assert_eq!(
            en.cell(
                0.5,
                (None, None),
                Statistic::Proportion,
                Reliability::Suppress,
                ""
            ),
            "x"
        );
    }
}
