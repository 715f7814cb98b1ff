//! Texts in one language or in both: every label of the codebook (variables, codes, items, bins,
//! the title, a table's title, note and population) may be a string or
//! `{ nl = "...", en = "..." }`. The codebook is validated with the texts of its own language
//! (`language`, else Dutch); [`Codebook::localize`](super::Codebook::localize) then puts the
//! texts of the report's language in place, once, so everything downstream reads plain strings.
//! A language that is not given falls back to the other one.

use super::Language;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A label as written: one text for every language, or a text per language.
#[derive(Debug, Clone, PartialEq)]
pub enum RawLabel {
    Plain(String),
    Languages {
        nl: Option<String>,
        en: Option<String>,
    },
}

impl<'de> Deserialize<'de> for RawLabel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LabelVisitor;
        impl<'de> Visitor<'de> for LabelVisitor {
            type Value = RawLabel;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a text, or a table of texts per language: { nl = \"...\", en = \"...\" }",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawLabel, E> {
                Ok(RawLabel::Plain(s.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLabel, A::Error> {
                let (mut nl, mut en) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "nl" => &mut nl,
                        "en" => &mut en,
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown language '{other}' in a label: expected nl or en"
                            )))
                        }
                    };
                    if slot.is_some() {
                        return Err(de::Error::custom(format!("language '{key}' given twice")));
                    }
                    *slot = Some(map.next_value::<String>()?);
                }
                if nl.is_none() && en.is_none() {
                    return Err(de::Error::custom(
                        "a label table needs a text for nl, en or both",
                    ));
                }
                Ok(RawLabel::Languages { nl, en })
            }
        }
        d.deserialize_any(LabelVisitor)
    }
}

/// A text in both languages (one of them possibly the other's fallback).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub nl: String,
    pub en: String,
}

impl Label {
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Nl => &self.nl,
            Language::En => &self.en,
        }
    }
}

impl RawLabel {
    /// Both languages, each falling back to the other (or to the one plain text).
    pub fn both(&self) -> Label {
        match self {
            RawLabel::Plain(s) => Label {
                nl: s.clone(),
                en: s.clone(),
            },
            RawLabel::Languages { nl, en } => {
                let nl_text = nl.clone().or_else(|| en.clone()).unwrap_or_default();
                let en_text = en.clone().or_else(|| nl.clone()).unwrap_or_default();
                Label {
                    nl: nl_text,
                    en: en_text,
                }
            }
        }
    }

    /// Whether the label differs per language.
    pub fn is_bilingual(&self) -> bool {
        let b = self.both();
        b.nl != b.en
    }

    /// The text in `language`.
    pub fn get(&self, language: Language) -> String {
        self.both().get(language).to_string()
    }
}

/// Where a label with texts per language goes in a validated codebook: positions, so that
/// putting a language in place costs one step per label, however many codes a variable has.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelSlot {
    Title,
    Variable(usize),
    /// The code at this position of a categorical or recode variable's values.
    Value(usize, usize),
    /// The bin at this position.
    Bin(usize, usize),
    /// The item at this position of a multi variable.
    Item(usize, usize),
    TableTitle(usize),
    TableNote(usize),
    TablePopulation(usize),
    /// The NET at this position of a table's `nets`.
    Net(usize, usize),
}

impl super::Codebook {
    /// Put the labels of `language` in place (where the codebook gives them per language; the
    /// others stay as they are). Done once, when the report's language is known, so everything
    /// downstream reads plain strings.
    pub fn localize(&mut self, language: Language) {
        use super::VariableKind as K;
        if language == self.label_language {
            return;
        }
        self.label_language = language;
        for (slot, l) in &self.translations {
            let text = l.get(language).to_string();
            match (
                slot,
                slot_variable(slot).map(|v| &mut self.variables[v].kind),
            ) {
                (LabelSlot::Title, _) => self.title = text,
                (LabelSlot::Variable(v), _) => self.variables[*v].label = text,
                (LabelSlot::TableTitle(t), _) => self.tables[*t].title = Some(text),
                (LabelSlot::TableNote(t), _) => self.tables[*t].note = Some(text),
                (LabelSlot::TablePopulation(t), _) => self.tables[*t].population = Some(text),
                (LabelSlot::Net(t, i), _) => self.tables[*t].nets[*i].label = text,
                (
                    LabelSlot::Value(_, i),
                    Some(K::Categorical { values, .. } | K::Recode { values, .. }),
                ) => values[*i].label = text,
                (LabelSlot::Bin(_, i), Some(K::Bins { bins, .. })) => bins[*i].text = text,
                (LabelSlot::Item(_, i), Some(K::Multi { items, .. })) => items[*i].label = text,
                _ => {}
            }
        }
    }
}

/// The variable a slot of a code, bin or item belongs to.
fn slot_variable(slot: &LabelSlot) -> Option<usize> {
    match slot {
        LabelSlot::Value(v, _) | LabelSlot::Bin(v, _) | LabelSlot::Item(v, _) => Some(*v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        label: RawLabel,
    }

    #[test]
    fn a_label_is_a_text_or_a_table_of_languages() {
        let plain: T = toml::from_str("label = \"Vrouw\"").unwrap();
        assert_eq!(plain.label.get(Language::En), "Vrouw");
        let both: T = toml::from_str("label = { nl = \"Vrouw\", en = \"Woman\" }").unwrap();
        assert_eq!(both.label.get(Language::Nl), "Vrouw");
        assert_eq!(both.label.get(Language::En), "Woman");
        assert!(both.label.is_bilingual());
        let dutch_only: T = toml::from_str("label = { nl = \"Vrouw\" }").unwrap();
        assert_eq!(dutch_only.label.get(Language::En), "Vrouw");
        let e = toml::from_str::<T>("label = { nl = \"Vrouw\", de = \"Frau\" }")
            .err()
            .unwrap();
        assert!(e.to_string().contains("unknown language 'de'"), "{e}");
        let e = toml::from_str::<T>("label = {}").err().unwrap();
        assert!(e.to_string().contains("needs a text"), "{e}");
        let e = toml::from_str::<T>("label = 3").err().unwrap();
        assert!(e.to_string().contains("per language"), "{e}");
    }

    const BILINGUAL: &str = r#"
language = "nl"
title = { nl = "Enquête", en = "Survey" }
[[variables]]
name = "leeftijd"
type = "numeric"
[[variables]]
name = "groep"
label = { nl = "Leeftijdsgroep", en = "Age group" }
type = "bins"
from = "leeftijd"
bins = [ { label = "18-64", min = 18, max = 64 }, { label = { nl = "65 en ouder", en = "65 and over" }, min = 65 } ]
[[variables]]
name = "taal"
type = "categorical"
values = [ { code = "NL", label = { nl = "Nederlands", en = "Dutch" } }, { code = "EN", label = "English" } ]
[[variables]]
name = "kanaal"
type = "multi"
items = [ { column = "k1", label = { en = "Telephone" } }, { column = "k2", label = { nl = "Balie", en = "Desk" } } ]
[[tables]]
name = "t"
rows = "kanaal"
by = ["groep", "taal"]
title = { nl = "Kanaal", en = "Channel" }
filter = "groep == '65 en ouder'"
"#;

    #[test]
    fn localize_puts_every_label_of_the_language_in_place() {
        use crate::codebook::{Codebook, VariableKind};
        let mut cb = Codebook::parse(BILINGUAL).unwrap();
        let groups = |cb: &Codebook, v: usize| -> Vec<String> {
            cb.variables[v]
                .groups()
                .unwrap()
                .into_iter()
                .map(|c| c.label)
                .collect()
        };
        assert_eq!(groups(&cb, 1), ["18-64", "65 en ouder"]);
        cb.localize(Language::En);
        assert_eq!(cb.title, "Survey");
        assert_eq!(cb.tables[0].title.as_deref(), Some("Channel"));
        assert_eq!(cb.variables[1].label, "Age group");
        assert_eq!(groups(&cb, 1), ["18-64", "65 and over"]);
        assert_eq!(groups(&cb, 2), ["Dutch", "English"]);
        let VariableKind::Multi { items, .. } = &cb.variables[3].kind else {
            panic!()
        };
        // An item given only in English falls back to it in Dutch, and stays in English.
        assert_eq!(items[0].label, "Telephone");
        assert_eq!(items[1].label, "Desk");
        // The bin keeps its key (the filter above names it in the codebook's language).
        let groups = cb.variables[1].groups().unwrap();
        assert_eq!(groups[1].key, "65 en ouder");
        cb.localize(Language::Nl);
        assert_eq!(items_of(&cb)[1], "Balie");
        assert_eq!(items_of(&cb)[0], "Telephone");
    }

    fn items_of(cb: &crate::codebook::Codebook) -> Vec<String> {
        match &cb.variables[3].kind {
            crate::codebook::VariableKind::Multi { items, .. } => {
                items.iter().map(|i| i.label.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    #[test]
    fn hide_names_answers_and_leaves_one() {
        use crate::codebook::Codebook;
        let with = |hide: &str| {
            BILINGUAL.replace(
                "title = { nl = \"Kanaal\"",
                &format!("hide = {hide}\ntitle = {{ nl = \"Kanaal\""),
            )
        };
        let cb = Codebook::parse(&with("[\"k2\"]")).unwrap();
        assert_eq!(cb.tables[0].hide, ["k2"]);
        let e = Codebook::parse(&with("[\"k3\"]")).unwrap_err().to_string();
        assert!(e.contains("'k3' is not an answer of 'kanaal'"), "{e}");
        let e = Codebook::parse(&with("[\"k1\", \"k2\"]"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("leaves out every answer"), "{e}");
    }
}
