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

/// Where a label with texts per language goes in a validated codebook.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelSlot {
    Title,
    Variable(usize),
    /// A code of a categorical or recode variable, by its code.
    Value(usize, String),
    /// A bin, by its key (the label in the codebook's language).
    Bin(usize, String),
    /// An item of a multi variable, by its column.
    Item(usize, String),
    TableTitle(usize),
    TableNote(usize),
    TablePopulation(usize),
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
}
