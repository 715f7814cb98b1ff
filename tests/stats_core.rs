//! The estimation core on its own, against the committed R `survey` 4.1 values: no binary, no
//! writers — `analyse` into sums, then `figures` (estimate, linearised SE, df),
//! `compare_table` (svyglm differences) and `rao_scott` through `test_table` (svychisq). The
//! end-to-end tests check the same numbers through the command line.

mod common;

use common::{num, read_csv, repo, Row};
use enquete::analysis::{analyse, Analysis, RunOptions};
use enquete::codebook::Codebook;
use enquete::stats::compare::CompareSpec;
use enquete::stats::estimate::{domain, figures, EstimateOptions};
use enquete::stats::{compare_table, test_table, CiMethod, Statistic};

fn health() -> (Codebook, Analysis) {
    let dir = repo().join("tests/reference/r/health");
    let codebook = Codebook::from_path(&dir.join("codebook.toml")).unwrap();
    let tables: Vec<usize> = (0..codebook.tables.len()).collect();
    let analysis = analyse(
        &dir.join("data.csv"),
        &codebook,
        &tables,
        &[],
        RunOptions::default(),
    )
    .unwrap();
    (codebook, analysis)
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) + 1e-15
}

fn expected(rel: &str, keep: impl Fn(&Row) -> bool) -> Vec<Row> {
    read_csv(&repo().join("tests/reference/r").join(rel))
        .into_iter()
        .filter(keep)
        .collect()
}

#[test]
fn figures_of_the_whole_sample_equal_svymean() {
    let (codebook, analysis) = health();
    let opts = EstimateOptions {
        method: CiMethod::Logit,
        level: 0.95,
        total_label: "Totaal",
    };
    let var = &codebook.variables[codebook.tables[0].rows];
    let rows = expected("health/expected.csv", |r| {
        r["variable"] == "health"
            && r["by"] == "(all)"
            && r["ci_method"] == "logit"
            && r["level"] == "0.95"
    });
    assert_eq!(rows.len(), 5);
    for e in rows {
        let slot = var
            .categories()
            .iter()
            .position(|c| c.key == e["category"])
            .unwrap();
        // The whole sample is group 0 of the table's axis.
        let d = domain(&analysis.sums, 0, 0, slot);
        let f = figures(&analysis.sums, &d, Statistic::Proportion, opts);
        let ctx = &e["category"];
        assert!(
            (f.estimate - num(&e, "estimate").unwrap()).abs() < 1e-9,
            "{ctx}"
        );
        assert!(
            close(f.se, num(&e, "se").unwrap(), 1e-7),
            "{ctx}: se {}",
            f.se
        );
        assert_eq!(Some(f.df), num(&e, "df"), "{ctx}");
        assert_eq!(f.n, num(&e, "n").unwrap(), "{ctx}");
        let half = (num(&e, "ci_upper").unwrap() - num(&e, "ci_lower").unwrap()) / 2.0;
        assert!(
            (f.interval.lower - num(&e, "ci_lower").unwrap()).abs() < 1e-6 * half,
            "{ctx}"
        );
        assert!(
            (f.interval.upper - num(&e, "ci_upper").unwrap()).abs() < 1e-6 * half,
            "{ctx}"
        );
    }
}

#[test]
fn compare_table_equals_svyglm() {
    let (codebook, analysis) = health();
    let agegroup = codebook.variable("agegroup").unwrap();
    let spec = CompareSpec::pairs(agegroup, 0.95);
    let ours = compare_table(&codebook, &analysis.sums, 0, &spec).unwrap();
    let rows = expected("compare/health_compare.csv", |r| {
        r["variable"] == "health" && r["between"] == "agegroup" && r["standardized"].is_empty()
    });
    let mut compared = 0;
    for e in &rows {
        let o = ours
            .iter()
            .find(|o| {
                o.category == e["category"]
                    && o.group_a.to_string() == e["group_a"]
                    && o.group_b.to_string() == e["group_b"]
            })
            .unwrap();
        let Some(diff) = num(e, "difference") else {
            continue;
        };
        assert!((o.difference - diff).abs() < 1e-9);
        if let Some(se) = num(e, "se").filter(|se| *se > 1e-12) {
            assert!(close(o.se, se, 1e-7), "se {e:?}: {}", o.se);
            assert_eq!(Some(o.df), num(e, "df"));
            compared += 1;
        }
    }
    assert!(compared >= 12, "{compared}");
}

#[test]
fn rao_scott_equals_svychisq() {
    let (codebook, analysis) = health();
    let ours = test_table(&codebook, &analysis.sums, 0).unwrap();
    let rows = expected("compare/health_test.csv", |r| r["variable"] == "health");
    assert_eq!(rows.len(), 2);
    for e in rows {
        let o = ours.iter().find(|o| o.by.to_string() == e["by"]).unwrap();
        for (got, col) in [
            (o.f, "f"),
            (o.ndf, "ndf"),
            (o.ddf, "ddf"),
            (o.chisq_first_order, "chisq_first_order"),
            (o.pearson_x2, "pearson_x2"),
        ] {
            let want = num(&e, col).unwrap();
            assert!(close(got, want, 1e-6), "{col}: R {want} ours {got}");
        }
        assert!(close(o.p_f, num(&e, "p_f").unwrap(), 1e-3));
    }
}
