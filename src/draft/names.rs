//! Column names that say what a column is (a weight, an age, an identifier, a grouping), and
//! names for drafted variables that clash with nothing.

use std::collections::HashSet;

/// A name lower-cased with everything but letters and digits removed: `Resp_Nr` → `respnr`.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An age column.
pub fn is_age_name(name: &str) -> bool {
    let n = name.to_lowercase();
    n.contains("leeftijd") || n == "age" || n == "lft"
}

/// Words that start the name of an area column, and names that are one on their own.
const AREAS: [&str; 6] = [
    "wijk",
    "buurt",
    "stadsdeel",
    "gebied",
    "postcode",
    "district",
];
const AREA_WORDS: [&str; 4] = ["kern", "gemeente", "pc4", "pc6"];

/// A column of area codes (districts, neighbourhoods, postcodes): a part of its name (split at
/// `_`, `-`, spaces and digits) starts with wijk, buurt, stadsdeel, gebied, postcode or
/// district (`wijk`, `Wijkcode`, `buurt_nr`, `stadsdeel2022`), or a part is kern, gemeente, pc4
/// or pc6. Areas are codes to group by, whatever their digits look like.
pub fn is_area_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let starts = lower
        .split(|c: char| !c.is_alphabetic())
        .any(|p| !p.is_empty() && AREAS.iter().any(|a| p.starts_with(a)));
    starts
        || lower
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .flat_map(|p| p.split('_'))
            .any(|p| AREA_WORDS.contains(&p))
}

/// A column that usually groups respondents in published tables (`gesl_…` too: agency files).
pub fn is_grouping_name(name: &str) -> bool {
    let n = name.to_lowercase();
    ["taal", "language", "geslacht", "gender", "sex", "stadsdeel"].contains(&n.as_str())
        || n.starts_with("gesl_")
}

/// A weight column: `weging`, `wf`, `wgt`, or a name containing `weeg`, `weight` or `gewicht`
/// (`weegfactor`, `weight_final`, `Gewicht2023`), in any case.
pub fn is_weight_name(name: &str) -> bool {
    let n = name.to_lowercase();
    ["weging", "wf", "wgt"].contains(&n.as_str())
        || n.contains("weeg")
        || n.contains("weight")
        || n.contains("gewicht")
}

/// A respondent or record identifier: `id`, `respnr`, `respondent`, `respondentnummer`,
/// `resp_id`, `volgnummer`, `volgnr`, `record_id`, `case_id`, in any case and punctuation.
pub fn is_id_name(name: &str) -> bool {
    let n = folded(name);
    [
        "id",
        "respnr",
        "respid",
        "respondent",
        "respondentnr",
        "respondentid",
        "respondentnummer",
        "volgnummer",
        "volgnr",
        "recordid",
        "caseid",
    ]
    .contains(&n.as_str())
}

/// Names already taken (the file's columns and drafted variables).
pub struct NameSet {
    used: HashSet<String>,
}

impl NameSet {
    pub fn new(columns: &[String]) -> Self {
        NameSet {
            used: columns.iter().cloned().collect(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// `base`, or `base_2`, `base_3`, ... when taken; the name returned is taken from now on.
    pub fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut k = 2;
        while self.used.contains(&name) {
            name = format!("{base}_{k}");
            k += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_ids_and_ages_by_name() {
        for w in [
            "weging",
            "WF",
            "Wgt",
            "weegfactor",
            "gewicht_2023",
            "Weight",
            "final_weight",
        ] {
            assert!(is_weight_name(w), "{w}");
        }
        for w in ["wijk", "wft", "gewest"] {
            assert!(!is_weight_name(w), "{w}");
        }
        for id in [
            "respnr",
            "Resp_Nr",
            "respondent",
            "ID",
            "volgnummer",
            "RespondentNummer",
        ] {
            assert!(is_id_name(id), "{id}");
        }
        for id in ["wijk_id", "idee", "geslacht"] {
            assert!(!is_id_name(id), "{id}");
        }
        assert!(is_age_name("Leeftijd") && !is_age_name("page"));
        for a in [
            "wijk",
            "Wijkcode",
            "buurt_nr",
            "stadsdeel2022",
            "PC4",
            "woon_gebied",
            "wijknaam",
        ] {
            assert!(is_area_name(a), "{a}");
        }
        for a in [
            "afwijking",
            "leeftijd",
            "pc",
            "kerntaak",
            "gemeentebelasting",
        ] {
            assert!(!is_area_name(a), "{a}");
        }
    }

    #[test]
    fn claimed_names_are_unique() {
        let mut names = NameSet::new(&["q".to_string(), "q_2".to_string()]);
        assert_eq!(names.claim("q"), "q_3");
        assert_eq!(names.claim("kan"), "kan");
        assert_eq!(names.claim("kan"), "kan_2");
    }
}
