//! The words of the weighting section: the representativeness table and the weights' spread.

use super::Legend;
use crate::stats::calibrate::{WeightingReport, WeightingWarning};

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
    pub fn weighted_to(&self, w: &WeightingReport) -> String {
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
        let category = if m.unknown {
            v.pick("onbekend", "unknown").to_string()
        } else {
            m.category_label.clone()
        };
        [
            m.variable_label.clone(),
            category,
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
    pub fn weight_diagnostics(&self, r: &WeightingReport) -> Vec<String> {
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
        out.extend(self.scale_and_trim(r));
        out.extend(r.warnings.iter().map(|w| self.weighting_warning(w)));
        out
    }

    /// The design weights' scaling and the trimming, when there was any.
    fn scale_and_trim(&self, r: &WeightingReport) -> Vec<String> {
        let v = &self.vocab;
        let d = |x: f64| v.decimal(x, 3);
        let mut out = Vec::new();
        if let Some(total) = r.design_total {
            let (total, pop) = (self.amount(total), self.amount(total * r.scale));
            out.push(v.pick(
                format!(
                    "De ontwerpgewichten tellen op tot {total}, de populatie tot {pop}: ze zijn eerst met {} vermenigvuldigd, en g is de aanpassing daarna.",
                    d(r.scale)
                ),
                format!(
                    "The design weights add up to {total}, the population to {pop}: they were first multiplied by {}, and g is the adjustment after that.",
                    d(r.scale)
                ),
            ));
        }
        if let (Some((l, u)), Some(n), Some(misfit)) = (r.trim, r.trimmed, r.misfit_after_trim) {
            let misfit = v.percent(misfit);
            out.push(v.pick(
                format!(
                    "Getrimd: g buiten {} tot {} op de grens gezet bij {} respondenten, het verschil naar rato van het ontwerpgewicht verdeeld over de anderen; de marges wijken daarna tot {misfit} af.",
                    d(l), d(u), v.count(n)
                ),
                format!(
                    "Trimmed: g outside {} to {} set to the limit for {} respondents, the difference shared over the others in proportion to their design weight; the margins then miss by up to {misfit}.",
                    d(l), d(u), v.count(n)
                ),
            ));
        }
        out
    }

    /// A total: a whole number with thousands marks, else three decimals.
    fn amount(&self, x: f64) -> String {
        let r = x.round();
        if (x - r).abs() < 1e-6 * x.abs().max(1.0) && (0.0..1e15).contains(&r) {
            self.vocab.count(r as u64)
        } else {
            self.vocab.decimal(x, 3)
        }
    }

    /// A warning about the weights, in the report's words.
    pub fn weighting_warning(&self, w: &WeightingWarning) -> String {
        let v = &self.vocab;
        let d = |x: f64| v.decimal(x, 3);
        let (nl, en) = match w {
            WeightingWarning::DesignEffect { value, limit } => {
                let share = v.percent(1.0 / value);
                (
                    format!("het designeffect van de weging is {} (boven {}): de cijfers zijn zo precies als die van {share} van de respondenten ongewogen.", d(*value), d(*limit)),
                    format!("the design effect of weighting is {} (above {}): the figures are as precise as those of {share} of the respondents unweighted.", d(*value), d(*limit)),
                )
            }
            WeightingWarning::ExtremeG { respondents, min, max, lower, upper } => (
                format!("{} respondenten hebben een aanpassing g buiten {} tot {} (g loopt van {} tot {}).", v.count(*respondents), d(*lower), d(*upper), d(*min), d(*max)),
                format!("{} respondents have an adjustment g outside {} to {} (g runs from {} to {}).", v.count(*respondents), d(*lower), d(*upper), d(*min), d(*max)),
            ),
            WeightingWarning::NegativeWeights { respondents, min } => (
                format!("{} respondenten hebben een negatief gewicht (tot {}), wat lineaire kalibratie toestaat.", v.count(*respondents), d(*min)),
                format!("{} respondents have a negative weight (down to {}), which linear calibration allows.", v.count(*respondents), d(*min)),
            ),
            WeightingWarning::MarginScaled { margin_label, total, first_label, first_total, .. } => (
                format!("de populatiecijfers naar {} tellen op tot {}, die naar {} tot {}; de eerste zijn daarnaar geschaald (afronding).", margin_label.to_lowercase(), self.amount(*total), first_label.to_lowercase(), self.amount(*first_total)),
                format!("the population figures by {} add up to {}, those by {} to {}; the former were scaled to the latter (rounding).", margin_label.to_lowercase(), self.amount(*total), first_label.to_lowercase(), self.amount(*first_total)),
            ),
        };
        v.pick(format!("Let op: {nl}"), format!("Warning: {en}"))
    }
}
