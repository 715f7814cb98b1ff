//! The binary on files written in each test: messages, exit codes, outputs.

mod common;

use common::{read_csv, read_csv_str, Workdir};

const CODEBOOK: &str = r#"
title = "Test"
[design]
weight = "w"
strata = "wijk"
[data]
delimiter = ";"
decimal = ","
[[variables]]
name = "leeftijd"
type = "numeric"
missing = ["999"]
[[variables]]
name = "groep"
type = "bins"
from = "leeftijd"
bins = [ { label = "jong", min = 18, max = 44 }, { label = "oud", min = 45 } ]
[[variables]]
name = "taal"
type = "categorical"
values = [ { code = "NL", label = "Nederlands" }, { code = "EN", label = "Engels" } ]
[[variables]]
name = "kanaal"
label = "Kanaal"
type = "multi"
items = [ { column = "k_tel", label = "Telefoon" }, { column = "k_mail", label = "E-mail" } ]
[[variables]]
name = "cijfer"
type = "numeric"
min = 1
max = 10
[[tables]]
name = "kanaal"
rows = "kanaal"
by = ["groep", "taal"]
[[tables]]
name = "cijfer"
rows = "cijfer"
by = ["taal"]
"#;

const HEADER: &str = "id;leeftijd;taal;wijk;w;k_tel;k_mail;cijfer\n";

fn good_rows(n: usize) -> String {
    let mut s = String::from(HEADER);
    for i in 0..n {
        let age = 18 + (i * 7) % 70;
        let taal = if i % 5 == 0 { "EN" } else { "NL" };
        let wijk = i % 3 + 1;
        let w = format!("{},{}", 1 + i % 3, i % 10);
        let tel = (i % 3 != 0) as u8;
        let mail = (i % 2) as u8;
        let cijfer = if i % 11 == 0 {
            String::new()
        } else {
            (1 + i % 10).to_string()
        };
        s.push_str(&format!(
            "{i};{age};{taal};{wijk};{w};{tel};{mail};{cijfer}\n"
        ));
    }
    s
}

fn setup(data: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write("codebook.toml", CODEBOOK);
    wd.write("data.csv", data);
    wd
}

#[test]
fn crosstab_prints_a_table_and_tidy_csv() {
    let wd = setup(&good_rows(300));
    let text = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "--table",
        "kanaal",
    ]);
    text.expect_code(0);
    assert!(text.stdout().contains("Telefoon"), "{}", text.describe());
    assert!(text.stdout().contains("groep: jong"));
    let csv = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--format",
        "csv",
    ]);
    csv.expect_code(0);
    let rows = read_csv_str(&csv.stdout());
    // (all) + 2 age groups + 2 languages, 2 items each
    assert_eq!(rows.len(), 10);
    let all = &rows[0];
    assert_eq!(all["by"], "(all)");
    assert_eq!(all["group"], "(all)");
    assert_eq!(all["variable"], "kanaal");
    assert_eq!(all["category"], "k_tel");
    assert_eq!(all["category_label"], "Telefoon");
    assert_eq!(all["ci_method"], "logit");
    assert_eq!(all["n"], "300");
    assert!(rows
        .iter()
        .any(|r| r["by"] == "taal" && r["group"] == "EN" && r["group_label"] == "Engels"));
    let json = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "cijfer",
        "-f",
        "json",
    ]);
    json.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout()).unwrap();
    assert_eq!(v[0]["statistic"], "mean");
    assert_eq!(v[0]["category"], "");
    assert_eq!(v[0]["ci_method"], "normal");
}

#[test]
fn weights_that_do_not_parse_are_errors_with_position() {
    let data = good_rows(20);
    let mut lines: Vec<String> = data.lines().map(String::from).collect();
    lines[4] = "3;40;NL;1;abc;1;0;5".into(); // line 5
    lines[7] = "6;40;NL;1;-1,5;1;0;5".into(); // line 8
    lines[9] = "8;40;NL;1;1.5;1;0;5".into(); // line 10: decimal point in a decimal-comma file
    let wd = setup(&(lines.join("\n") + "\n"));
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
    ]);
    r.expect_code(1);
    let err = r.stderr();
    assert!(
        err.contains("data.csv: line 5, column 'w': value \"abc\""),
        "{err}"
    );
    assert!(
        err.contains("line 8, column 'w': value \"-1,5\": expected a weight of 0 or more")
            || err.contains("line 8, column 'w'"),
        "{err}"
    );
    assert!(err.contains("line 10, column 'w': value \"1.5\""), "{err}");
    assert!(err.contains("3 problems in 3 rows"), "{err}");
    assert!(
        r.stdout().is_empty(),
        "no table may be printed: {}",
        r.describe()
    );
}

#[test]
fn validate_reports_every_problem_and_a_summary() {
    let mut lines: Vec<String> = good_rows(200).lines().map(String::from).collect();
    for i in (2..=120).step_by(2) {
        lines[i] = format!("{i};30;FR;1;1;1;0;5"); // undeclared code
    }
    lines[3] = "x;30;NL;1;1;2;0;5".into(); // item value 2
    lines[5] = "x;30;NL;1;1;1;0".into(); // too few fields
    lines[7] = "x;30;NL;1;1;1;0;11".into(); // rating out of range
    let wd = setup(&(lines.join("\n") + "\n"));
    let r = wd.run(&["validate", "data.csv", "-c", "codebook.toml"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains(
            "line 4, column 'k_tel': value \"2\": expected 1 (selected), 0 (not selected) or an empty cell (not answered); if \"2\" means not answered, add it to missing of variable"
        ),
        "{out}"
    );
    assert!(
        out.contains("line 6: found 7 fields where the header has 8"),
        "{out}"
    );
    assert!(
        out.contains("line 8, column 'cijfer': value \"11\": expected a value from 1 to 10"),
        "{out}"
    );
    assert!(
        out.contains("column 'taal': value \"FR\": expected one of the declared codes NL, EN"),
        "{out}"
    );
    assert!(out.contains("more problems"), "the list is capped: {out}");
    assert!(
        out.contains("200 rows read, 137 valid, 63 with problems"),
        "{out}"
    );
}

#[test]
fn skip_invalid_drops_and_reports_rows() {
    let mut lines: Vec<String> = good_rows(100).lines().map(String::from).collect();
    lines[10] = "x;30;XX;1;1;1;0;5".into();
    let wd = setup(&(lines.join("\n") + "\n"));
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "-f",
        "csv",
        "--skip-invalid",
    ]);
    r.expect_code(0);
    assert!(
        r.stderr().contains("line 11, column 'taal'"),
        "{}",
        r.describe()
    );
    assert!(
        r.stderr().contains("1 row with problems left out"),
        "{}",
        r.describe()
    );
    assert_eq!(read_csv_str(&r.stdout())[0]["n"], "99");
}

#[test]
fn malformed_files_get_clear_errors() {
    let wd = setup("");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", vec![], "the file is empty"),
        ("header.csv", HEADER.as_bytes().to_vec(), "no data rows"),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n\0\0\0".to_vec(),
            "not a CSV file",
        ),
        ("binary.csv", b"id;x\n\0\0\0\x01\x02".to_vec(), "NUL byte"),
        ("spss.sav", b"$FL2@(#) SPSS DATA FILE".to_vec(), "SPSS"),
    ];
    for (name, bytes, msg) in cases {
        wd.write(name, bytes);
        let r = wd.run(&["validate", name, "-c", "codebook.toml"]);
        assert_eq!(r.code(), 1, "{}", r.describe());
        assert!(r.stderr().contains(msg), "{name}: {}", r.describe());
        assert!(!r.stderr().contains("panicked"), "{}", r.describe());
    }
    let mut bad = good_rows(5).into_bytes();
    bad.extend_from_slice(b"9;30;N\xffL;1;1;1;0;5\n");
    wd.write("latin1.csv", bad);
    let r = wd.run(&["validate", "latin1.csv", "-c", "codebook.toml"]);
    r.expect_code(1);
    assert!(
        r.stdout().contains("line 7, column 'taal'") && r.stdout().contains("not UTF-8"),
        "{}",
        r.describe()
    );
}

#[test]
fn codebook_problems_are_usage_errors_naming_the_key_or_column() {
    let wd = setup(&good_rows(10));
    wd.write(
        "typo.toml",
        CODEBOOK.replace("strata = \"wijk\"", "stratum = \"wijk\""),
    );
    let r = wd.run(&["validate", "data.csv", "-c", "typo.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("typo.toml") && r.stderr().contains("stratum"),
        "{}",
        r.describe()
    );

    wd.write(
        "column.toml",
        CODEBOOK.replace("column = \"k_mail\"", "column = \"k_email\""),
    );
    let r = wd.run(&["crosstab", "data.csv", "-c", "column.toml", "-t", "kanaal"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("lacks column 'k_email'"),
        "{}",
        r.describe()
    );

    wd.write("comma.csv", good_rows(3).replace(';', ","));
    let r = wd.run(&["validate", "comma.csv", "-c", "codebook.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("rather than the codebook's delimiter"),
        "{}",
        r.describe()
    );

    let r = wd.run(&["crosstab", "data.csv", "-c", "codebook.toml", "-t", "nope"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("no such table") && r.stderr().contains("kanaal, cijfer"),
        "{}",
        r.describe()
    );

    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--ci",
        "wilson",
    ]);
    r.expect_code(2);
    assert!(r.stderr().contains("[design]"), "{}", r.describe());

    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--level",
        "95",
    ]);
    r.expect_code(2);
}

#[test]
fn no_output_file_is_left_behind_on_failure() {
    let mut lines: Vec<String> = good_rows(10).lines().map(String::from).collect();
    lines[2] = "x;30;NL;1;zwaar;1;0;5".into();
    let wd = setup(&(lines.join("\n") + "\n"));
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "-o",
        "out.csv",
    ]);
    r.expect_code(1);
    assert!(!wd.path("out.csv").exists());
    let r = wd.run(&["report", "data.csv", "-c", "codebook.toml", "--out", "rep"]);
    r.expect_code(1);
    assert!(!wd.path("rep/summary.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(wd.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn report_writes_tables_a_readable_report_and_a_summary() {
    let wd = setup(&good_rows(500));
    wd.run(&["report", "data.csv", "-c", "codebook.toml", "--out", "rep"])
        .expect_code(0);
    for f in [
        "kanaal.csv",
        "cijfer.csv",
        "estimates.csv",
        "estimates.json",
        "report.md",
        "summary.json",
    ] {
        assert!(wd.path("rep").join(f).exists(), "{f} missing");
    }
    let all = read_csv(&wd.path("rep/estimates.csv"));
    assert_eq!(all.len(), 10 + 3);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("rep/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["rows_read"], 500);
    assert_eq!(summary["rows_used"], 500);
    assert_eq!(summary["design"]["n_strata"], 3);
    let md = std::fs::read_to_string(wd.path("rep/report.md")).unwrap();
    assert!(
        md.contains("| Telefoon |") && md.contains("Nederlands"),
        "{md}"
    );
}

#[test]
fn quoted_fields_and_multiline_values_keep_line_numbers() {
    let codebook = r#"
[[variables]]
name = "agegroup"
type = "categorical"
values = [ { code = "(19,39]" }, { code = "(39,99]" } ]
[[variables]]
name = "q"
type = "multi"
items = [ { column = "q_a" } ]
[[tables]]
name = "q"
rows = "q"
by = ["agegroup"]
"#;
    let data = "id,comment,agegroup,q_a\n1,\"fine\",\"(19,39]\",1\n2,\"two\nlines\",\"(39,99]\",0\n3,\"x\",\"(39,99]\",7\n";
    let wd = Workdir::new();
    wd.write("cb.toml", codebook);
    wd.write("d.csv", data);
    let r = wd.run(&["validate", "d.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    assert!(
        r.stdout().contains("line 5, column 'q_a': value \"7\""),
        "{}",
        r.describe()
    );
    wd.write("ok.csv", &data[..data.rfind("3,").unwrap()]);
    let r = wd.run(&[
        "crosstab", "ok.csv", "-c", "cb.toml", "-t", "q", "-f", "csv",
    ]);
    r.expect_code(0);
    let rows = read_csv_str(&r.stdout());
    assert_eq!(rows[0]["ci_method"], "wilson", "unweighted default");
    assert!(rows.iter().any(|r| r["group"] == "(19,39]"));
}

#[test]
fn large_files_are_deterministic_and_report_late_lines_correctly() {
    // ~3 MB: several blocks on both lanes.
    let wd = setup("");
    wd.run(&[
        "generate", "--rows", "60000", "--seed", "5", "--out", "big.csv",
    ])
    .expect_code(0);
    wd.write(
        "cb.toml",
        std::fs::read_to_string(common::repo().join("tests/reference/r/sample/codebook.toml"))
            .unwrap(),
    );
    let run = |out: &str| {
        wd.run(&["report", "big.csv", "-c", "cb.toml", "--out", out])
            .expect_code(0);
        std::fs::read(wd.path(out).join("estimates.csv")).unwrap()
    };
    assert_eq!(run("a"), run("b"), "two runs must give identical bytes");
    let text = std::fs::read_to_string(wd.path("big.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let bad = "999999;40;1;NL;3;zwaar;1;0;0;0;0;0;0;1;7;;2023-10-01;1;40;30,1;2;2;2;2";
    lines[54_321 - 1] = bad;
    wd.write("bad.csv", lines.join("\n") + "\n");
    let r = wd.run(&["validate", "bad.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    assert!(
        r.stdout()
            .contains("line 54321, column 'weegfactor': value \"zwaar\""),
        "{}",
        r.describe()
    );
    assert!(
        r.stdout().contains("60000 rows read, 59999 valid"),
        "{}",
        r.describe()
    );
}

#[test]
fn compare_and_test_explain_bad_requests() {
    let wd = setup(&good_rows(300));
    let r = wd.run(&[
        "compare",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--between",
        "tal",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr()
            .contains("--between tal: no such variable; grouping variables: groep, taal"),
        "{}",
        r.describe()
    );
    let r = wd.run(&[
        "compare",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--between",
        "cijfer",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("a numeric variable has no groups"),
        "{}",
        r.describe()
    );
    let r = wd.run(&["compare", "data.csv", "-c", "codebook.toml", "-t", "kanaal"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("--between is required"),
        "{}",
        r.describe()
    );
    let r = wd.run(&["test", "data.csv", "-c", "codebook.toml", "-t", "cijfer"]);
    r.expect_code(2);
    assert!(r.stderr().contains("is numeric"), "{}", r.describe());
}

#[test]
fn empty_groups_and_standardising_cells_are_flagged_not_nan() {
    // Every English respondent is young: the "oud" cell is empty for EN.
    let mut s = String::from(HEADER);
    for i in 0..200 {
        let en = i % 4 == 0;
        let age = if en { 20 + i % 20 } else { 20 + (i * 7) % 60 };
        s.push_str(&format!(
            "{i};{age};{};{};1;{};{};5\n",
            if en { "EN" } else { "NL" },
            i % 3 + 1,
            i % 2,
            (i / 2) % 2
        ));
    }
    let wd = setup(&s);
    let r = wd.run(&[
        "compare",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--between",
        "taal",
        "--standardize",
        "groep",
        "-f",
        "csv",
    ]);
    r.expect_code(0);
    let rows = read_csv_str(&r.stdout());
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert!(row["difference"].is_empty(), "{row:?}");
        assert!(
            row["note"]
                .contains("no respondents in standardising cell groep = oud for taal = Engels"),
            "{row:?}"
        );
    }
    let r = wd.run(&[
        "compare",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--between",
        "taal",
        "-f",
        "csv",
    ]);
    r.expect_code(0);
    let rows = read_csv_str(&r.stdout());
    // Nobody in EN chose either channel (p = 0, standard error 0): the difference and its
    // standard error are reported, but there is no test (see docs/methods.md, "When no test").
    assert!(
        rows.iter().all(|r| !r["difference"].is_empty()
            && !r["se"].is_empty()
            && r["p_value"].is_empty()
            && r["significant"].is_empty()
            && r["note"].contains("no test: standard error 0 in Engels")),
        "{rows:?}"
    );
}
