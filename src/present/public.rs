//! Words for the public pages: a plain opening sentence, the marks said in words (for screen
//! readers), the headings of the method section and of comparisons, and the text alternatives
//! of charts.

use super::{mark, DesignFacts, Legend, Vocabulary};

impl Vocabulary {
    /// What a mark means, in words a screen reader says after the figure.
    pub fn mark_words(&self, glyph: &str) -> &'static str {
        match glyph {
            mark::HIGHER => self.pick(
                "significant hoger dan het totaal",
                "significantly higher than the total",
            ),
            mark::LOWER => self.pick(
                "significant lager dan het totaal",
                "significantly lower than the total",
            ),
            mark::SIGNIFICANT => self.pick(
                "significant verschil tussen de twee groepen",
                "significant difference between the two groups",
            ),
            mark::ABOVE_BENCHMARK => self.pick(
                "significant hoger dan de benchmark",
                "significantly higher than the benchmark",
            ),
            mark::BELOW_BENCHMARK => self.pick(
                "significant lager dan de benchmark",
                "significantly lower than the benchmark",
            ),
            mark::INDICATIVE => self.pick(
                "indicatief: 30 tot 100 respondenten",
                "indicative: base 30 to 99",
            ),
            mark::UNRELIABLE => self.pick(
                "onbetrouwbaar: minder dan 30 respondenten",
                "unreliable: base below 30",
            ),
            mark::SUPPRESSED => self.pick(
                "niet gepubliceerd: minder dan 5 antwoorden",
                "not published: fewer than 5 answers",
            ),
            _ => "",
        }
    }

    /// Column letters in words: "significant hoger dan kolom A en C".
    pub fn letters_words(&self, letters: &[String]) -> String {
        let list = match letters.len() {
            0 => String::new(),
            1 => letters[0].clone(),
            n => format!(
                "{} {} {}",
                letters[..n - 1].join(", "),
                self.pick("en", "and"),
                letters[n - 1]
            ),
        };
        match letters.len() {
            1 => self.pick(
                format!("significant hoger dan kolom {list}"),
                format!("significantly higher than column {list}"),
            ),
            _ => self.pick(
                format!("significant hoger dan kolommen {list}"),
                format!("significantly higher than columns {list}"),
            ),
        }
    }

    /// The closing section with the method details.
    pub fn methods_heading(&self) -> &'static str {
        self.pick("Verantwoording", "Methods")
    }

    pub fn skip_to_content(&self) -> &'static str {
        self.pick("Naar de inhoud", "Skip to content")
    }

    pub fn contents_label(&self) -> &'static str {
        self.pick("Inhoud", "Contents")
    }

    /// The words before an interval a screen reader says: "betrouwbaarheidsinterval".
    pub fn interval_words(&self) -> &'static str {
        self.pick("betrouwbaarheidsinterval", "confidence interval")
    }

    /// The row of unweighted bases.
    pub fn base_row(&self) -> &'static str {
        self.pick("n (aantal respondenten)", "n (respondents)")
    }

    /// The headings of a comparison table.
    pub fn comparison_columns(&self) -> [&'static str; 7] {
        [
            self.pick("Groep A", "Group A"),
            self.pick("Groep B", "Group B"),
            self.pick("Uitkomst A", "Result A"),
            self.pick("Uitkomst B", "Result B"),
            self.pick("Verschil (B − A)", "Difference (B − A)"),
            self.pick("p (Holm-correctie)", "p (Holm-adjusted)"),
            self.pick("Gestandaardiseerd naar", "Standardised for"),
        ]
    }

    /// The heading of the answers column.
    pub fn answer(&self) -> &'static str {
        self.pick("Antwoord", "Answer")
    }

    /// What the figures of a table are (a caption's second line).
    pub fn figures_are(&self, statistic: crate::stats::Statistic, level: &str) -> String {
        match statistic {
            crate::stats::Statistic::Proportion => self.pick(
                format!("Percentages, met het {level}-betrouwbaarheidsinterval eronder."),
                format!("Percentages, with the {level} confidence interval below."),
            ),
            crate::stats::Statistic::Mean => self.pick(
                format!("Gemiddelden, met het {level}-betrouwbaarheidsinterval eronder."),
                format!("Means, with the {level} confidence interval below."),
            ),
            crate::stats::Statistic::Quantile => self.pick(
                format!("Kwantielen, met het {level}-betrouwbaarheidsinterval eronder."),
                format!("Quantiles, with the {level} confidence interval below."),
            ),
            crate::stats::Statistic::Total => self.pick(
                format!("Aantallen inwoners, met het {level}-betrouwbaarheidsinterval eronder."),
                format!("Numbers of residents, with the {level} confidence interval below."),
            ),
        }
    }

    /// The text alternative of a chart whose figures are in the table above it.
    pub fn chart_of_table(&self, title: &str, by: Option<&str>) -> String {
        match by {
            None => self.pick(
                format!("Grafiek: {title}, alle respondenten."),
                format!("Chart: {title}, all respondents."),
            ),
            Some(b) => self.pick(
                format!(
                    "Grafiek: {title}, per {}. De cijfers staan in de tabel hierboven.",
                    b.to_lowercase()
                ),
                format!(
                    "Chart: {title}, by {}. The figures are in the table above.",
                    b.to_lowercase()
                ),
            ),
        }
    }
}

impl Legend {
    /// The opening sentence of a report page, without jargon: how many respondents, and to
    /// what the results are weighted; the details are in the method section.
    pub fn plain_summary(&self, d: &DesignFacts) -> String {
        let v = &self.vocab;
        let n = v.count(d.rows as u64);
        let weighting = match (&d.calibration, d.designed && d.weight.is_some()) {
            (Some((_, labels)), _) => v.pick(
                format!(", gewogen naar {}", self.list(labels)),
                format!(", weighted to {}", self.list(labels)),
            ),
            (None, true) => v.pick(", gewogen".to_string(), ", weighted".to_string()),
            (None, false) => String::new(),
        };
        v.pick(
            format!("Uitkomsten van {n} respondenten{weighting}. Hoe de cijfers tot stand kwamen, staat in de verantwoording onderaan."),
            format!("Results from {n} respondents{weighting}. How the figures were made is described under Methods at the end."),
        )
    }
}

impl Legend {
    /// What the figures of a tabellenboek sheet are, and where their intervals are.
    pub fn book_figures(&self, statistic: crate::stats::Statistic, intervals: bool) -> String {
        let v = &self.vocab;
        let level = v.level(self.level);
        let what = match statistic {
            crate::stats::Statistic::Proportion => v.pick("Percentages", "Percentages"),
            crate::stats::Statistic::Mean => v.pick("Gemiddelden", "Means"),
            crate::stats::Statistic::Quantile => v.pick("Kwantielen", "Quantiles"),
            crate::stats::Statistic::Total => v.pick("Aantallen", "Numbers"),
        };
        match intervals {
            true => v.pick(
                format!("{what}; de {level}-betrouwbaarheidsintervallen staan op het blad 'BI …' na dit blad."),
                format!("{what}; the {level} confidence intervals are on the sheet 'CI …' after this one."),
            ),
            false => v.pick(
                format!("{what}; de {level}-betrouwbaarheidsintervallen staan in index.html en estimates.csv (of gebruik --intervals)."),
                format!("{what}; the {level} confidence intervals are in index.html and estimates.csv (or use --intervals)."),
            ),
        }
    }

    /// What an interval sheet holds.
    pub fn book_intervals(&self, statistic: crate::stats::Statistic) -> String {
        let v = &self.vocab;
        let level = v.level(self.level);
        let method = match statistic {
            crate::stats::Statistic::Proportion => self.method.to_string(),
            crate::stats::Statistic::Mean if self.weighted => {
                v.pick("normaal", "normal").to_string()
            }
            crate::stats::Statistic::Mean => "t".to_string(),
            crate::stats::Statistic::Quantile => "Woodruff".to_string(),
            crate::stats::Statistic::Total => v.pick("normaal", "normal").to_string(),
        };
        v.pick(
            format!("Onder- en bovengrens van het {level}-betrouwbaarheidsinterval ({method}) per groep."),
            format!("Lower and upper limit of the {level} confidence interval ({method}) per group."),
        )
    }

    /// What bold means in the tabellenboek.
    pub fn book_bold(&self) -> String {
        self.vocab
            .pick(
                "Vet: een significant verschil (met het totaal, tussen de twee groepen of met een kolom met een letter).",
                "Bold: a significant difference (from the total, between the two groups, or from a lettered column).",
            )
            .to_string()
    }
}

impl Legend {
    /// What ▲▼ mean in a table of key figures.
    pub fn key_changes(&self) -> String {
        let (a, an) = (
            self.vocab.alpha(self.level),
            self.vocab.alpha_number(self.level),
        );
        let (up, down) = (mark::HIGHER, mark::LOWER);
        self.vocab.pick(
            format!("{up} {down} significant hoger of lager dan bij de vorige meting op het {a}-niveau (t-toets, p < {an}; jaren zijn aparte steekproeven)."),
            format!("{up} {down} significantly higher or lower than at the previous measurement at the {a} level (t test, p < {an}; years are separate samples)."),
        )
    }
}
