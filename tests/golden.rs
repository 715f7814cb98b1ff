//! Golden outputs of the readable writers (text, Markdown, HTML) in Dutch and English, from the
//! library (no charts, so no image files): the bundled sample with two small tables, weighted.
//! A change to a writer shows up as a diff against tests/golden/; after checking it, refresh
//! them with `UPDATE_GOLDEN=1 cargo test --test golden`.
//!
//! Also: a Dutch output has no English sentence and an English one no Dutch sentence (the
//! codebook's own labels aside), and legends state the level actually used.

mod common;

use common::repo;
use enquete::analysis::{analyse, RunOptions};
use enquete::codebook::Codebook;
use enquete::codebook::Language;
use enquete::output::{self, TableHeading};
use enquete::report::{self, design_facts, Document, Presentation};
use std::path::PathBuf;

fn golden(name: &str) -> PathBuf {
    repo().join("tests/golden").join(name)
}

/// The three readable outputs for one language and level.
fn outputs(language: Language, level: f64) -> [(String, String); 3] {
    let codebook = Codebook::from_path(&golden("codebook.toml")).unwrap();
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let tables: Vec<usize> = (0..codebook.tables.len()).collect();
    let crossings = report::report_crossings(&codebook);
    let analysis = analyse(&data, &codebook, &tables, &crossings, RunOptions::default()).unwrap();
    let presentation = Presentation::new(&codebook, None, level, Some(language)).unwrap();
    let results = report::build(&codebook, &analysis, &presentation, &mut Vec::new());
    let doc = Document {
        codebook: &codebook,
        presentation,
        design: design_facts(&codebook, &analysis),
        source: "samples/inwonersenquete-2023.csv".into(),
        rows_read: analysis.rows_read,
        rows_used: analysis.rows_used,
        results: &results,
        charts: vec![Vec::new(); results.len()],
        weighting: analysis.weighting.as_ref(),
        supplements: report::Supplements::of(&codebook, &analysis, presentation.vocab().total()),
    };
    let mut md = Vec::new();
    output::markdown::write_report(&doc, &mut md).unwrap();
    let mut html = Vec::new();
    output::html::write_page(&doc, &mut html).unwrap();
    let heading = TableHeading {
        name: results[0].name.clone(),
        label: results[0].label.clone(),
        description: presentation.legend().design_and_methods(&doc.design),
        legend: presentation.legend(),
        min_base: codebook.min_base_test,
    };
    let mut text = Vec::new();
    output::write_estimates(output::Format::Text, &heading, &results[0], &mut text).unwrap();
    let tag = language.tag();
    [
        (format!("report.{tag}.md"), String::from_utf8(md).unwrap()),
        (
            format!("index.{tag}.html"),
            String::from_utf8(html).unwrap(),
        ),
        (
            format!("crosstab.{tag}.txt"),
            String::from_utf8(text).unwrap(),
        ),
    ]
}

#[test]
fn readable_outputs_match_their_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for language in [Language::Nl, Language::En] {
        for (name, got) in outputs(language, 0.95) {
            let path = golden(&name);
            if update {
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
            if got != want {
                let line = got
                    .lines()
                    .zip(want.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                panic!(
                    "{name} differs from its golden file at line {}:\n  got:  {}\n  want: {}\n(UPDATE_GOLDEN=1 cargo test --test golden refreshes it after checking)",
                    line + 1,
                    got.lines().nth(line).unwrap_or(""),
                    want.lines().nth(line).unwrap_or("")
                );
            }
        }
    }
}

/// Words that only one of the two languages uses in enquete's own sentences.
const ENGLISH: [&str; 12] = [
    " the ",
    " and ",
    " with ",
    "respondents",
    "confidence",
    "Weighted",
    "significantly",
    "Percentages with",
    "Comparison",
    "Tests of",
    "unreliable",
    "indicative",
];
const DUTCH: [&str; 12] = [
    " het ",
    " van ",
    " met ",
    "respondenten",
    "betrouwbaarheid",
    "Gewogen",
    "hoger",
    "Percentages met",
    "Vergelijking",
    "Toetsen",
    "onbetrouwbaar",
    "indicatief",
];

/// The text without the codebook's own labels (which are Dutch in both languages).
fn own_words(text: &str, codebook: &Codebook) -> String {
    let mut labels: Vec<String> = vec![codebook.title.clone()];
    for v in &codebook.variables {
        labels.push(v.label.clone());
        labels.extend(v.categories().into_iter().map(|c| c.label));
    }
    // Headings write a variable's label in lower case.
    let lower: Vec<String> = labels.iter().map(|l| l.to_lowercase()).collect();
    labels.extend(lower);
    labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
    let mut out = text.to_string();
    for l in &labels {
        out = out.replace(l.as_str(), "");
    }
    out
}

#[test]
fn each_language_speaks_only_itself() {
    let codebook = Codebook::from_path(&golden("codebook.toml")).unwrap();
    for (language, foreign) in [(Language::Nl, ENGLISH), (Language::En, DUTCH)] {
        for (name, text) in outputs(language, 0.95) {
            let own = own_words(&text, &codebook);
            for w in foreign {
                assert!(!own.contains(w), "{name} contains {w:?}");
            }
        }
    }
}

#[test]
fn legends_state_the_level_used() {
    for (language, ninety, ten) in [
        (Language::Nl, "90%", "10%-niveau"),
        (Language::En, "90%", "10% level"),
    ] {
        for (name, text) in outputs(language, 0.9) {
            assert!(text.contains(ninety), "{name}: no 90%");
            assert!(text.contains(ten), "{name}: significance not stated at 10%");
            assert!(
                !text.contains("95%") && !text.contains("5%-niveau") && !text.contains("5% level"),
                "{name}: a 95% or 5% legend at level 0.9"
            );
        }
    }
}

#[test]
fn dutch_numbers_use_the_decimal_comma() {
    for (name, text) in outputs(Language::Nl, 0.95) {
        assert!(text.contains("64,"), "{name}");
        let percent_with_point = text.split_whitespace().any(|w| {
            w.ends_with('%')
                && w.trim_end_matches('%').contains('.')
                && w.chars().next().is_some_and(|c| c.is_ascii_digit())
        });
        assert!(
            !percent_with_point,
            "{name}: a percentage with a decimal point"
        );
    }
}
