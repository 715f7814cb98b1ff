//! The settings a codebook declares that other layers act on: what a group is compared with,
//! the language of the words, the minimum base of a test. They live here, with the codebook
//! that declares them, so that the estimation core and the writers read them from below.

use serde::{Deserialize, Serialize};

/// The default minimum base for a test (`min_base_test` in the codebook).
pub const DEFAULT_MIN_BASE: u64 = 30;

/// What each group is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Against {
    /// Every other group (pairs in codebook order: b − a).
    #[default]
    Pairs,
    /// The total it is part of: all respondents with a valid answer (group − total).
    Total,
    /// All other respondents with a valid answer (group − rest).
    Rest,
}

/// The language of a report's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Nederlands: Dutch words, decimal comma.
    #[default]
    Nl,
    /// English words, decimal point.
    En,
}

impl Language {
    /// The BCP 47 tag (the HTML `lang` attribute).
    pub fn tag(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }
}
