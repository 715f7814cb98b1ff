//! Notes on figures in the reader's language (the tidy outputs keep the English of
//! [`Note`]'s `Display`).

use super::Vocabulary;
use crate::stats::note::TestProblem;
use crate::stats::Note;

impl Vocabulary {
    /// A note as a sentence in this vocabulary's language.
    pub fn note(&self, note: &Note) -> String {
        if self.lang == super::Language::En {
            return note.to_string();
        }
        match note {
            Note::NotAsked => "niet gevraagd: de kolom ontbreekt in dit bestand".into(),
            Note::NotAskedFilter { variable } => format!(
                "niet gevraagd: het filter van de tabel leest '{variable}', waarvan de kolom in \
                 dit bestand ontbreekt"
            ),
            Note::NoAnswers => "geen respondenten in deze groep met een antwoord".into(),
            Note::EdgeBound {
                p_is_one,
                n_kish,
                n_eff,
            } => format!(
                "p = {}: Korn–Graubard-grens met effectieve n (Kish) = {} (gecorrigeerd voor vrijheidsgraden {})",
                if *p_is_one { 1 } else { 0 },
                self.decimal(*n_kish, 1),
                self.decimal(*n_eff, 1)
            ),
            Note::NoIntervalDf { df } => format!(
                "geen interval: het domein heeft {} vrijheidsgraden (niet meer PSU's dan strata)",
                self.decimal(*df, 0)
            ),
            Note::NoIntervalEmptyBase => "geen interval: de basis is leeg".into(),
            Note::NoIntervalFewRows => "geen interval: minder dan twee respondenten".into(),
            Note::MethodMismatch {
                method,
                design_based,
            } => {
                if *design_based {
                    format!("{method} is een methode voor gewogen steekproeven")
                } else {
                    format!("{method} is geen methode voor gewogen steekproeven")
                }
            }
            Note::ZeroWeights { n } => format!(
                "geen schatting: {} respondent{} van deze groep {} gewicht 0",
                self.count(*n),
                if *n == 1 { "" } else { "en" },
                if *n == 1 { "heeft" } else { "hebben allemaal" }
            ),
            Note::EmptyGroup { between, group } => {
                format!("geen respondenten in groep {between} = {group}")
            }
            Note::EmptyStandardCell {
                standardize,
                level,
                between,
                group,
            } => format!(
                "geen respondenten in standaardisatiecel {standardize} = {level} voor {between} = {group}"
            ),
            Note::ZeroWeightCell(cell) => self
                .note(cell)
                .replace("geen respondenten in", "alleen respondenten met gewicht 0 in"),
            Note::NoTestDf { df } => format!(
                "geen toets: {} vrijheidsgraden",
                self.decimal(*df, 0)
            ),
            Note::ZeroSe => "standaardfout 0 (beide groepen constant): geen toets".into(),
            Note::BelowMinBase { min, n } => format!(
                "geen toets: een basis van {} respondenten, onder het minimum van {} om te toetsen",
                self.count(*n),
                self.count(*min)
            ),
            Note::SuppressedSide => {
                "geen toets: minder dan 5 respondenten gaven dit antwoord aan een van beide kanten".into()
            }
            Note::ZeroSideSe { group } => format!(
                "geen toets: standaardfout 0 in {group} (iedereen of niemand gaf dit antwoord, of alle waarden zijn gelijk)"
            ),
            Note::NoTest(p) => self.test_problem(p),
            Note::QuantileLimit { lower, upper } => format!(
                "geen {}: de bijbehorende kans valt buiten 0-1 (te weinig respondenten rond het kwantiel); ook geen standaardfout",
                match (lower, upper) {
                    (true, true) => "grenzen",
                    (true, false) => "ondergrens",
                    _ => "bovengrens",
                }
            ),
        }
    }

    fn test_problem(&self, p: &TestProblem) -> String {
        match p {
            TestProblem::TooFewLevels { rows, cols } => format!(
                "geen toets: de tabel heeft {rows} rij{} en {cols} kolom{} met respondenten",
                if *rows == 1 { "" } else { "en" },
                if *cols == 1 { "" } else { "men" }
            ),
            TestProblem::ZeroWeights => {
                "geen toets: de gewichten van de tabel tellen op tot nul".into()
            }
            TestProblem::Singular => {
                "geen toets: de contrasten van de tabel zijn singulier (een cel met gewicht nul)"
                    .into()
            }
            TestProblem::ZeroDesignEffect => {
                "geen toets: de designeffecten van de tabel zijn nul".into()
            }
            TestProblem::ZeroWeightLevel { row, index } => format!(
                "geen toets: {} {} heeft respondenten, maar allemaal met gewicht 0",
                if *row { "antwoord" } else { "groep" },
                index + 1
            ),
        }
    }
}
