//! The column lists kept by hand (for the header of an empty CSV file, and for the writers that
//! write fields one by one) against the fields their rows serialise: a field added to a struct
//! without its column, or a column renamed on one side only, fails here.

mod common;

use common::repo;
use enquete::analysis::{analyse, RunOptions};
use enquete::codebook::Codebook;
use enquete::report::{self, Presentation};
use enquete::stats::compare::COMPARISON_COLUMNS;
use enquete::stats::trend::{trends, TREND_COLUMNS};

/// The keys of a row as serde writes them, in order.
fn fields<T: serde::Serialize>(row: &T) -> Vec<String> {
    match serde_json::to_value(row).unwrap() {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        other => panic!("a tidy row serialises to an object, not {other}"),
    }
}

#[test]
fn hand_kept_column_lists_match_the_serialised_rows() {
    let dir = repo().join("samples");
    let codebook = Codebook::from_path(&dir.join("codebook.toml")).unwrap();
    let tables: Vec<usize> = (0..codebook.tables.len()).collect();
    let analysis = analyse(
        &dir.join("inwonersenquete-2023.csv"),
        &codebook,
        &tables,
        &report::report_crossings(&codebook),
        RunOptions::default(),
    )
    .unwrap();
    let presentation = Presentation::new(&codebook, None, 0.95, None).unwrap();
    let results = report::build(&codebook, &analysis, &presentation, &mut Vec::new());

    let estimate = &results[0].estimates[0];
    assert_eq!(fields(estimate), enquete::output::csv::COLUMNS);
    let comparison = results
        .iter()
        .find_map(|r| r.comparisons.first())
        .expect("the sample's report makes comparisons");
    assert_eq!(fields(comparison), COMPARISON_COLUMNS);
    let test = results
        .iter()
        .find_map(|r| r.tests.first())
        .expect("the sample's report makes tests");
    assert_eq!(fields(test), enquete::output::independence::COLUMNS);

    let years = vec![
        (2021, results[0].estimates.clone()),
        (2023, results[0].estimates.clone()),
    ];
    let trend = trends(&years, 30);
    assert_eq!(fields(&trend[0]), TREND_COLUMNS);
}
