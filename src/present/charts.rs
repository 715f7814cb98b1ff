//! The words of charts: subtitles, footers and legend entries.

use super::{mark, DesignFacts, Legend};

/// How a chart draws unreliable figures (the words of its footer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnreliableDrawn {
    /// Pale, hatched bars.
    Hatched,
    /// Pale dots or markers.
    Pale,
}

/// Which reliability marks a chart shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReliabilityShown {
    pub indicative: bool,
    pub unreliable: bool,
    pub suppressed: bool,
}

impl Legend {
    /// The source line under every chart: the survey, its respondents and its weighting.
    pub fn chart_source(&self, title: &str, rows_used: u64, d: &DesignFacts) -> String {
        let v = &self.vocab;
        let design = match (&d.weight, d.designed) {
            (None, false) => v.pick("ongewogen", "unweighted").to_string(),
            (w, _) => {
                let mut s = match w {
                    Some(w) => v.pick(format!("gewogen ({w})"), format!("weighted ({w})")),
                    None => v.pick("ongewogen", "unweighted").to_string(),
                };
                if let Some((col, _)) = &d.strata {
                    s.push_str(&v.pick(
                        format!(", gestratificeerd naar {col}"),
                        format!(", stratified by {col}"),
                    ));
                }
                if let Some((_, n)) = &d.clusters {
                    s.push_str(&format!(", {} clusters", v.count(*n as u64)));
                }
                if let Some((_, labels)) = &d.calibration {
                    s.push_str(&v.pick(
                        format!(", gewogen naar {}", self.list(labels)),
                        format!(", weighted to {}", self.list(labels)),
                    ));
                }
                s
            }
        };
        let n = v.count(rows_used);
        v.pick(
            format!("Bron: {title}, {n} respondenten; {design}."),
            format!("Source: {title}, {n} respondents; {design}."),
        )
    }

    /// "Intervallen: 95% (logit); n = ongewogen aantal respondenten."
    pub fn chart_intervals(&self, method: &str) -> String {
        let level = self.vocab.level(self.level);
        // Means of a weighted file have normal intervals: the one method name that is a word.
        let method = match method {
            "normal" => self.vocab.pick("normaal", "normal"),
            m => m,
        };
        self.vocab.pick(
            format!("Intervallen: {level} ({method}); n = ongewogen aantal respondenten."),
            format!("Intervals: {level} ({method}); n = unweighted number of respondents."),
        )
    }

    /// The subtitle of a chart of one breakdown (`None`: the whole sample).
    pub fn chart_subtitle(&self, by_label: Option<&str>) -> String {
        let level = self.vocab.level(self.level);
        match by_label {
            None => self.vocab.pick(
                format!("Percentage van alle respondenten, met {level}-betrouwbaarheidsinterval"),
                format!("Percentage of all respondents, with {level} confidence interval"),
            ),
            Some(l) => self.vocab.pick(
                format!(
                    "Percentage per {}, met {level}-betrouwbaarheidsinterval",
                    l.to_lowercase()
                ),
                format!(
                    "Percentage by {}, with {level} confidence interval",
                    l.to_lowercase()
                ),
            ),
        }
    }

    /// The subtitle of a battery's stacked bars: what the segments and the figure after each
    /// bar are.
    pub fn battery_subtitle(&self, net: Option<&str>) -> String {
        match net {
            Some(n) => self.vocab.pick(
                format!(
                    "Percentage van alle respondenten per antwoord; rechts: {}",
                    n.to_lowercase()
                ),
                format!(
                    "Percentage of all respondents per answer; right: {}",
                    n.to_lowercase()
                ),
            ),
            None => self
                .vocab
                .pick(
                    "Percentage van alle respondenten per antwoord",
                    "Percentage of all respondents per answer",
                )
                .to_string(),
        }
    }

    /// The legend entry of a benchmark's dashed line.
    pub fn benchmark_swatch(&self) -> &'static str {
        self.vocab.pick("Benchmark", "Benchmark")
    }

    pub fn chart_subtitle_means(&self) -> String {
        let level = self.vocab.level(self.level);
        self.vocab.pick(
            format!("Gemiddelde per groep, met {level}-betrouwbaarheidsinterval"),
            format!("Mean per group, with {level} confidence interval"),
        )
    }

    /// The legend entry of hatched bars.
    pub fn hatched_swatch(&self) -> &'static str {
        self.vocab
            .pick("Gearceerd: onbetrouwbaar", "Hatched: unreliable")
    }

    pub fn mean_word(&self) -> &'static str {
        self.vocab.pick("Gemiddelde", "Mean")
    }

    /// The subtitle of a trend chart.
    pub fn trend_subtitle(&self, means: bool) -> String {
        let level = self.vocab.level(self.level);
        match means {
            true => self.vocab.pick(
                format!("Gemiddelde per jaar, met {level}-betrouwbaarheidsinterval"),
                format!("Mean per year, with {level} confidence interval"),
            ),
            false => self.vocab.pick(
                format!("Percentage per jaar, met {level}-betrouwbaarheidsinterval"),
                format!("Percentage per year, with {level} confidence interval"),
            ),
        }
    }

    pub fn trend_source(&self, title: &str) -> String {
        self.vocab.pick(
            format!(
                "Bron: {title}. Alle respondenten per jaar; n = ongewogen aantal respondenten."
            ),
            format!(
                "Source: {title}. All respondents per year; n = unweighted number of respondents."
            ),
        )
    }

    /// Footer of a trend chart with years in which (part of) the question was not asked.
    pub fn not_asked_years(&self, years: &str) -> String {
        self.vocab.pick(
            format!("Ontbrekende balken: (een deel van) de vraag is niet gesteld in {years}."),
            format!("Missing bars: (part of) the question was not asked in {years}."),
        )
    }

    /// The footer sentence on the reliability marks a chart shows (none when it shows none).
    pub fn chart_reliability(
        &self,
        shown: ReliabilityShown,
        drawn: UnreliableDrawn,
    ) -> Option<String> {
        let v = &self.vocab;
        let (i, u, x) = (mark::INDICATIVE, mark::UNRELIABLE, mark::SUPPRESSED);
        let mut parts = Vec::new();
        if shown.indicative {
            parts.push(v.pick(
                format!("{i} indicatief (30 tot 100 respondenten)"),
                format!("{i} indicative (base 30–99)"),
            ));
        }
        if shown.unreliable {
            let how = match drawn {
                UnreliableDrawn::Hatched => v.pick("gearceerd", "hatched"),
                UnreliableDrawn::Pale => v.pick("bleek", "pale"),
            };
            parts.push(v.pick(
                format!("{u} onbetrouwbaar (minder dan 30 respondenten), {how}"),
                format!("{u} unreliable (base below 30), {how}"),
            ));
        }
        if shown.suppressed {
            parts.push(v.pick(
                format!("{x} minder dan 5 respondenten gaven dit antwoord: niet getekend"),
                format!("{x} fewer than 5 respondents gave this answer: not drawn"),
            ));
        }
        (!parts.is_empty()).then(|| format!("{}.", parts.join("; ")))
    }

    /// The legend entry of pale dots.
    pub fn pale_swatch(&self) -> &'static str {
        self.vocab.pick("Bleek: onbetrouwbaar", "Pale: unreliable")
    }

    /// The subtitle of a dot plot (one row per group, sorted).
    pub fn dots_subtitle(&self, by_label: &str, means: bool) -> String {
        let level = self.vocab.level(self.level);
        let by = by_label.to_lowercase();
        match means {
            true => self.vocab.pick(
                format!("Gemiddelde per {by}, met {level}-betrouwbaarheidsinterval; van hoog naar laag"),
                format!("Mean by {by}, with {level} confidence interval; from high to low"),
            ),
            false => self.vocab.pick(
                format!("Percentage per {by}, met {level}-betrouwbaarheidsinterval; per antwoord van hoog naar laag"),
                format!("Percentage by {by}, with {level} confidence interval; from high to low per answer"),
            ),
        }
    }

    /// The legend entry of the whole sample's reference line.
    pub fn reference_swatch(&self) -> String {
        self.vocab.pick(
            format!("{} (alle respondenten)", self.vocab.total()),
            format!("{} (all respondents)", self.vocab.total()),
        )
    }

    /// The label on the reference line: "Totaal: 45%".
    pub fn reference_label(&self, value: &str) -> String {
        format!("{}: {value}", self.vocab.total())
    }

    /// "n per wijk (…): West (398); Noordwest (402)."
    pub fn group_bases(&self, by_label: &str, bases: &[(String, u64)]) -> String {
        let list: Vec<String> = bases
            .iter()
            .map(|(g, n)| format!("{g} ({})", self.vocab.count(*n)))
            .collect();
        let by = by_label.to_lowercase();
        self.vocab.pick(
            format!(
                "n per {by} (ongewogen aantal respondenten): {}.",
                list.join("; ")
            ),
            format!(
                "n by {by} (unweighted number of respondents): {}.",
                list.join("; ")
            ),
        )
    }

    /// The subtitle of a trend chart per group of a breakdown.
    pub fn trend_groups_subtitle(&self, by_label: &str, means: bool) -> String {
        let level = self.vocab.level(self.level);
        let by = by_label.to_lowercase();
        match means {
            true => self.vocab.pick(
                format!("Gemiddelde per {by} en per jaar, met {level}-betrouwbaarheidsinterval"),
                format!("Mean by {by} and year, with {level} confidence interval"),
            ),
            false => self.vocab.pick(
                format!("Percentage per {by} en per jaar, met {level}-betrouwbaarheidsinterval"),
                format!("Percentage by {by} and year, with {level} confidence interval"),
            ),
        }
    }

    /// The sorting of a trend dot plot's rows.
    pub fn trend_sorted(&self, year: u32) -> String {
        self.vocab.pick(
            format!("Per antwoord van hoog naar laag in {year}; de getallen rechts zijn die van {year}."),
            format!("Sorted from high to low in {year} per answer; the figures on the right are those of {year}."),
        )
    }

    /// The source line of a trend chart per group.
    pub fn trend_groups_source(&self, title: &str) -> String {
        self.vocab.pick(
            format!("Bron: {title}, per jaar een aparte steekproef."),
            format!("Source: {title}, a separate sample each year."),
        )
    }

    /// Legend entries of trend markers.
    pub fn changed_swatch(&self) -> &'static str {
        self.vocab
            .pick("Significant veranderd", "Significant change")
    }

    pub fn unchanged_swatch(&self) -> &'static str {
        self.vocab.pick(
            "Niet significant veranderd of niet getoetst",
            "No significant change, or not tested",
        )
    }

    /// What a filled marker means, at the level used (changes are tested one by one).
    pub fn change_significance(&self) -> String {
        let (a, an) = (
            self.vocab.alpha(self.level),
            self.vocab.alpha_number(self.level),
        );
        self.vocab.pick(
            format!(
                "Gevuld punt: de verandering ten opzichte van de vorige meting is significant op het {a}-niveau (t-toets, p < {an}, zonder correctie voor het aantal toetsen)."
            ),
            format!(
                "Filled marker: the change from the previous measurement is significant at the {a} level (t test, p < {an}, not adjusted for the number of tests)."
            ),
        )
    }

    /// When a change is not tested.
    pub fn change_untested(&self, min_base: u64) -> String {
        self.vocab.pick(
            format!(
                "Niet getoetst: bij minder dan {min_base} respondenten in een van beide jaren of bij standaardfout 0."
            ),
            format!(
                "Not tested: with fewer than {min_base} respondents in either year, or a standard error of 0."
            ),
        )
    }

    /// Footer of a trend chart per group with years in which (part of) the question was not
    /// asked: lines break there, dot plots have no dot for them.
    pub fn not_asked_years_lines(&self, years: &str, lines: bool) -> String {
        let (nl, en) = match lines {
            true => (
                "Onderbroken lijnen en ontbrekende punten",
                "Broken lines and missing markers",
            ),
            false => ("Ontbrekende punten", "Missing dots"),
        };
        self.vocab.pick(
            format!("{nl}: (een deel van) de vraag is niet gesteld in {years}."),
            format!("{en}: (part of) the question was not asked in {years}."),
        )
    }
}
