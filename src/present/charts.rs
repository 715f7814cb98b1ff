//! The words of charts: subtitles, footers and legend entries.

use super::{DesignFacts, Legend};

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

    /// The footer sentence on hatched bars.
    pub fn hatched_footer(&self, means: bool) -> &'static str {
        if means {
            self.vocab.pick(
                "Gearceerd: minder dan 30 respondenten (onbetrouwbaar).",
                "Hatched: fewer than 30 respondents (unreliable).",
            )
        } else {
            self.vocab.pick(
                "Gearceerd: minder dan 30 respondenten, of minder dan 5 gaven dit antwoord (niet publiceren).",
                "Hatched: fewer than 30 respondents, or fewer than 5 gave this answer (do not publish).",
            )
        }
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
}
