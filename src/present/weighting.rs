//! The words of the weighting section: the representativeness table and the weights' spread.

use super::Legend;

impl Legend {
    /// The method of a calibration in words.
    pub fn calibration_method(&self, method: &str) -> &'static str {
        let v = &self.vocab;
        match method {
            "poststratify" => v.pick("poststratificatie", "post-stratification"),
            "rake" => v.pick("raking", "raking"),
            "linear" => v.pick("lineaire kalibratie (GREG)", "linear calibration (GREG)"),
            _ => v.pick("logit-kalibratie met grenzen", "bounded logit calibration"),
        }
    }

    pub fn weighting_heading(&self) -> &'static str {
        self.vocab.pick("Weging", "Weighting")
    }

    /// "De resultaten zijn gewogen naar geslacht, leeftijdsgroep en wijk, met raking.": the
    /// weighting variables' labels in the order of the representativeness table.
    pub fn weighted_to(&self, w: &crate::stats::calibrate::WeightingReport) -> String {
        let labels: Vec<String> = w.margins.iter().fold(Vec::new(), |mut acc, m| {
            if !acc.contains(&m.variable_label) {
                acc.push(m.variable_label.clone());
            }
            acc
        });
        let (list, method) = (self.list(&labels), w.method);
        self.vocab.pick(
            format!(
                "De resultaten zijn gewogen naar {list}, met {}.",
                self.calibration_method(method)
            ),
            format!(
                "The results are weighted to {list}, by {}.",
                self.calibration_method(method)
            ),
        )
    }

    /// One row of the representativeness table as text, in the order of
    /// [`Legend::representativeness_columns`]: the variable, the category, n, and the shares
    /// unweighted, with the design weight, weighted and in the population.
    pub fn representativeness_row(&self, m: &crate::stats::calibrate::MarginRow) -> [String; 7] {
        let v = &self.vocab;
        [
            m.variable_label.clone(),
            m.category_label.clone(),
            v.count(m.n),
            v.percent(m.unweighted),
            v.percent(m.design_weighted),
            v.percent(m.weighted),
            v.percent(m.population),
        ]
    }

    /// "a, b en c" / "a, b and c", lower-cased.
    pub fn list(&self, items: &[String]) -> String {
        let items: Vec<String> = items.iter().map(|s| s.to_lowercase()).collect();
        match items.len() {
            0 => String::new(),
            1 => items[0].clone(),
            n => format!(
                "{} {} {}",
                items[..n - 1].join(", "),
                self.vocab.pick("en", "and"),
                items[n - 1]
            ),
        }
    }

    /// The column headings of the representativeness table.
    pub fn representativeness_columns(&self) -> [&'static str; 7] {
        let v = &self.vocab;
        [
            v.pick("Variabele", "Variable"),
            v.pick("Categorie", "Category"),
            "n",
            v.pick("Ongewogen", "Unweighted"),
            v.pick("Ontwerpgewicht", "Design weight"),
            v.pick("Gewogen", "Weighted"),
            v.pick("Populatie", "Population"),
        ]
    }

    /// What the representativeness table shows.
    pub fn representativeness_note(&self) -> &'static str {
        self.vocab.pick(
            "Verdeling van de respondenten per wegingsvariabele: ongewogen, met het ontwerpgewicht, na weging, en in de populatie.",
            "Distribution of the respondents over each weighting variable: unweighted, with the design weight, after weighting, and in the population.",
        )
    }

    /// The weights' spread, convergence and bounds, one sentence each.
    pub fn weight_diagnostics(&self, r: &crate::stats::calibrate::WeightingReport) -> Vec<String> {
        let v = &self.vocab;
        let d = |x: f64| v.decimal(x, 3);
        let mut out = vec![
            v.pick(
                format!(
                    "Gewichten van {} respondenten: minimum {}, maximum {}, gemiddelde {}, variatiecoëfficiënt {}.",
                    v.count(r.respondents), d(r.weight_min), d(r.weight_max), d(r.weight_mean), d(r.weight_cv)
                ),
                format!(
                    "Weights of {} respondents: minimum {}, maximum {}, mean {}, coefficient of variation {}.",
                    v.count(r.respondents), d(r.weight_min), d(r.weight_max), d(r.weight_mean), d(r.weight_cv)
                ),
            ),
            v.pick(
                format!(
                    "Designeffect van de weging (Kish, 1 + CV²): {}; aanpassing g = gewicht / ontwerpgewicht van {} tot {}.",
                    d(r.deff_weighting), d(r.g_min), d(r.g_max)
                ),
                format!(
                    "Design effect of weighting (Kish, 1 + CV²): {}; adjustment g = weight / design weight from {} to {}.",
                    d(r.deff_weighting), d(r.g_min), d(r.g_max)
                ),
            ),
        ];
        if let Some((l, u)) = r.bounds {
            out.push(v.pick(
                format!(
                    "Grenzen voor g: {} tot {}; {} respondenten op een grens.",
                    d(l),
                    d(u),
                    v.count(r.at_bounds)
                ),
                format!(
                    "Bounds on g: {} to {}; {} respondents at a bound.",
                    d(l),
                    d(u),
                    v.count(r.at_bounds)
                ),
            ));
        }
        let misfit = format!("{:.1e}", r.max_misfit).replace('.', &v.decimal(0.5, 1)[1..2]);
        out.push(v.pick(
            format!(
                "{} iteraties; grootste resterende afwijking van een populatiemarge: {misfit} (relatief).",
                r.iterations
            ),
            format!(
                "{} iterations; largest remaining misfit of a population margin: {misfit} (relative).",
                r.iterations
            ),
        ));
        out
    }
}
