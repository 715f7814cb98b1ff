//! Weighting from the command line: what a user sees when a population file, a codebook or the
//! data do not fit, each with the exit code the README documents (2 for the codebook and its
//! population files, 1 for the data).

mod common;

use common::{repo, Workdir};

/// A work dir with the weighting fixture's data, codebook (`rake.toml` edited by `edit`) and
/// population file (edited by `pop`).
fn setup(edit: impl Fn(String) -> String, pop: impl Fn(String) -> String) -> Workdir {
    let dir = repo().join("tests/reference/r/weighting");
    let wd = Workdir::new();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    wd.write("data.csv", read("data.csv"));
    wd.write("codebook.toml", edit(read("rake.toml")));
    wd.write("marges.csv", pop(read("marges.csv")));
    wd.write("cellen.csv", read("cellen.csv"));
    wd
}

/// A case of bad input: what it is, how it edits a file, what the message says.
type Case = (&'static str, fn(String) -> String, &'static str);

fn run(wd: &Workdir) -> common::Run {
    wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
    ])
}

#[test]
fn a_population_category_without_respondents_is_named_with_a_remedy() {
    let wd = setup(|c| c, |p| p);
    // Leave out every respondent of district 6.
    let data = std::fs::read_to_string(wd.path("data.csv")).unwrap();
    let kept: Vec<&str> = data
        .lines()
        .filter(|l| l.split(';').nth(1) != Some("6"))
        .collect();
    wd.write("data.csv", kept.join("\n") + "\n");
    let r = run(&wd);
    r.expect_code(2);
    let err = r.stderr();
    assert!(
        err.contains("no respondents in wijk = ") && err.contains("merge it"),
        "{err}"
    );
}

#[test]
fn population_files_are_checked_when_the_codebook_is_read() {
    let cases: [Case; 5] = [
        (
            "category absent from the population",
            |p| p.replace("wijk;6;150\n", ""),
            "has no population count",
        ),
        (
            "unknown code",
            |p| p.replace("wijk;6;150", "wijk;7;150"),
            "marges.csv:13: wijk = \"7\" is not a code of the codebook",
        ),
        (
            "count not positive",
            |p| p.replace("wijk;6;150", "wijk;6;-150"),
            "marges.csv:13: count \"-150\": expected a population count of 0 or more",
        ),
        (
            "totals disagree",
            |p| p.replace("geslacht;1;19478", "geslacht;1;19000"),
            "the margins add up to different populations",
        ),
        (
            "a variable that is not weighted",
            |p| p + "taal;NL;100\n",
            "variable \"taal\" is not a margin of [weighting] variables",
        ),
    ];
    for (what, pop, message) in cases {
        let wd = setup(|c| c, pop);
        let r = run(&wd);
        r.expect_code(2);
        assert!(r.stderr().contains(message), "{what}: {}", r.describe());
    }
}

#[test]
fn codebook_mistakes_in_weighting_are_usage_errors() {
    let cases: [Case; 4] = [
        (
            "logit without bounds",
            |c| c.replace("method = \"rake\"", "method = \"logit\""),
            "needs bounds",
        ),
        (
            "poststratify with margins",
            |c| c.replace("method = \"rake\"", "method = \"poststratify\""),
            "needs `cells",
        ),
        (
            "a numeric weighting variable",
            |c| c.replace("variables = [\"geslacht\"", "variables = [\"leeftijd\""),
            "weighting variables must be categorical, bins or recode",
        ),
        (
            "bounds that exclude 1",
            |c| c.replace("method = \"rake\"", "method = \"rake\"\nbounds = [1.2, 3]"),
            "0 <= L < 1 < U",
        ),
    ];
    for (what, edit, message) in cases {
        let wd = setup(edit, |p| p);
        let r = run(&wd);
        r.expect_code(2);
        assert!(r.stderr().contains(message), "{what}: {}", r.describe());
    }
}

#[test]
fn no_convergence_names_the_margin_and_suggests_a_remedy() {
    let wd = setup(
        |c| {
            c.replace(
                "method = \"rake\"",
                "method = \"logit\"\nbounds = [0.9, 1.1]",
            )
            .replace("max_iterations = 100", "max_iterations = 3")
        },
        |p| p,
    );
    let r = run(&wd);
    r.expect_code(2);
    let err = r.stderr();
    assert!(
        err.contains("no solution with g within the bounds [0.9, 1.1] after 3 iterations")
            && err.contains("raking without bounds gives g from 0.53 to 1.733")
            && err.contains("widen the bounds"),
        "{}",
        r.describe()
    );
    // Feasible bounds, too few iterations: the margin still off is named.
    let wd = setup(
        |c| {
            c.replace(
                "method = \"rake\"",
                "method = \"logit\"\nbounds = [0.5, 2.5]",
            )
            .replace("max_iterations = 100", "max_iterations = 2")
        },
        |p| p,
    );
    let r = run(&wd);
    r.expect_code(2);
    assert!(
        r.stderr().contains("after 2 iterations")
            && r.stderr().contains("is still")
            && r.stderr().contains("raise max_iterations"),
        "{}",
        r.describe()
    );
}

#[test]
fn a_weighting_variable_missing_in_the_data_names_the_rows() {
    let wd = setup(|c| c, |p| p);
    let data = std::fs::read_to_string(wd.path("data.csv")).unwrap();
    let mut lines: Vec<String> = data.lines().map(String::from).collect();
    // Line 5 of the file: make geslacht (column 6) empty.
    let mut f: Vec<&str> = lines[4].split(';').collect();
    f[5] = "";
    lines[4] = f.join(";");
    wd.write("data.csv", lines.join("\n") + "\n");
    let r = run(&wd);
    r.expect_code(1);
    assert!(
        r.stderr().contains("line 5, column 'geslacht'")
            && r.stderr().contains("[weighting] variable"),
        "{}",
        r.describe()
    );
}

#[test]
fn an_fpc_below_the_sample_or_varying_within_a_stratum_is_a_data_error() {
    let wd = setup(
        |c| c.replace("strata = \"wijk\"", "strata = \"wijk\"\nfpc = \"wijk_n\""),
        |p| p,
    );
    let data = std::fs::read_to_string(wd.path("data.csv")).unwrap();
    wd.write("data.csv", data.replace(";6;150;", ";6;50;"));
    let r = run(&wd);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains("stratum '6' has 60 sampled respondents but an fpc"),
        "{}",
        r.describe()
    );
    let mut lines: Vec<String> = data.lines().map(String::from).collect();
    let n = lines.len();
    lines[n - 1] = lines[n - 1].replace(";6;150;", ";6;151;");
    wd.write("data.csv", lines.join("\n") + "\n");
    let r = run(&wd);
    r.expect_code(1);
    assert!(
        r.stderr().contains("constant within a stratum"),
        "{}",
        r.describe()
    );
}

#[test]
fn the_report_shows_the_weighting_section() {
    let wd = setup(|c| c, |p| p);
    wd.run(&[
        "report",
        "data.csv",
        "-c",
        "codebook.toml",
        "-o",
        "out",
        "--no-charts",
    ])
    .expect_code(0);
    let md = std::fs::read_to_string(wd.path("out/report.md")).unwrap();
    assert!(
        md.contains("## Weging") && md.contains("| Geslacht | Man |"),
        "{md}"
    );
    assert!(md.contains("Designeffect van de weging"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("out/summary.json")).unwrap())
            .unwrap();
    let w = &summary["weighting"];
    assert_eq!(w["method"], "rake");
    assert!(w["max_misfit"].as_f64().unwrap() < 1e-10);
    for m in w["margins"].as_array().unwrap() {
        let (got, want) = (
            m["weighted"].as_f64().unwrap(),
            m["population"].as_f64().unwrap(),
        );
        assert!((got - want).abs() < 1e-10, "{m}");
    }
    let book = calamine::open_workbook_auto(wd.path("out/tabellenboek.xlsx")).unwrap();
    use calamine::Reader;
    assert!(book.sheet_names().contains(&"Weging".to_string()));
}

/// Issue 21's E2: calibrations R accepts are accepted. Margins a hair apart (1e-9 relative: the
/// decimals of a file) are scaled silently, and convergence is judged on the calibration
/// equations R checks, not on every category.
#[test]
fn margins_a_hair_apart_are_accepted_as_r_accepts_them() {
    let wd = setup(|c| c, |p| p.replace("wijk;6;150", "wijk;6;150,00004"));
    let r = run(&wd);
    r.expect_code(0);
    assert!(!r.stderr().contains("warning"), "{}", r.describe());
}
