//! The words of what a report shows besides its tables: the scales (with Cronbach's alpha).

use super::Legend;
use crate::stats::reliability::ScaleReliability;

impl Legend {
    pub fn scales_heading(&self) -> &'static str {
        self.vocab.pick("Schaalscores", "Scale scores")
    }

    /// The column headings of the scales table.
    pub fn scales_columns(&self) -> [&'static str; 4] {
        let v = &self.vocab;
        [
            v.pick("Schaal", "Scale"),
            v.pick("Items", "Items"),
            v.pick("n (alle items)", "n (every item)"),
            v.pick("Cronbachs alfa", "Cronbach's alpha"),
        ]
    }

    /// One row of the scales table, in the order of [`Legend::scales_columns`].
    pub fn scale_row(&self, s: &ScaleReliability) -> [String; 4] {
        let v = &self.vocab;
        [
            s.label.clone(),
            s.items.replace(' ', ", "),
            v.count(s.n_complete),
            v.decimal(s.alpha, 2),
        ]
    }

    /// How a scale score is made and what alpha says.
    pub fn scales_note(&self) -> &'static str {
        self.vocab.pick(
            "Een schaalscore is het gemiddelde van de geldige antwoorden op de items (als SPSS MEAN.n: alleen wie ten minste het gevraagde aantal items beantwoordde krijgt een score), tegengesteld geformuleerde items omgekeerd, zo nodig omgerekend naar de schaal van de score. Cronbachs alfa (ongewogen, over de respondenten die alle items beantwoordden) geeft aan hoe samenhangend de items zijn; vanaf 0,7 geldt een schaal gewoonlijk als betrouwbaar.",
            "A scale score is the mean of the valid answers to its items (as SPSS MEAN.n: only respondents who answered at least the required number of items get a score), negatively worded items reversed, rescaled to the score's range where given. Cronbach's alpha (unweighted, over the respondents who answered every item) says how consistent the items are; a scale is usually called reliable from 0.7.",
        )
    }
}

impl Legend {
    pub fn response_heading(&self) -> &'static str {
        self.vocab.pick("Respons", "Response")
    }

    /// The column headings of the response table.
    pub fn response_columns(&self) -> [&'static str; 5] {
        let v = &self.vocab;
        [
            v.pick("Variabele", "Variable"),
            v.pick("Groep", "Group"),
            v.pick("Uitgenodigd", "Invited"),
            v.pick("Respondenten", "Respondents"),
            v.pick("Respons", "Response rate"),
        ]
    }

    /// One row of the response table, in the order of [`Legend::response_columns`].
    pub fn response_row(
        &self,
        r: &crate::stats::response::ResponseRow,
        variable_label: &str,
    ) -> [String; 5] {
        let v = &self.vocab;
        [
            variable_label.to_string(),
            r.label.clone(),
            v.whole(r.invited),
            v.count(r.responded),
            v.percent(r.rate),
        ]
    }

    pub fn response_note(&self) -> &'static str {
        self.vocab.pick(
            "Respons: het aantal respondenten in het bestand gedeeld door het aantal uitgenodigde inwoners (de bruto steekproef).",
            "Response rate: the respondents in the file divided by the residents invited (the gross sample).",
        )
    }
}
