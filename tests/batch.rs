//! `enquete batch` on small multi-year projects written in each test.

mod common;

use common::{read_csv, repo, Workdir};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

fn project(wd: &Workdir, years: &[(u32, &str)]) {
    let mut text = String::from("title = \"Test\"\ncodebook = \"codebook.toml\"\n");
    for (y, file) in years {
        text.push_str(&format!("[[survey]]\nyear = {y}\ndata = \"{file}\"\n"));
    }
    wd.write("project.toml", text);
    wd.write(
        "codebook.toml",
        std::fs::read_to_string(repo().join("tests/reference/r/sample/codebook.toml")).unwrap(),
    );
}

fn generate(wd: &Workdir, year: u32, rows: &str) -> String {
    let name = format!("{year}.csv");
    wd.run(&[
        "generate",
        "--rows",
        rows,
        "--seed",
        &year.to_string(),
        "--year",
        &year.to_string(),
        "--out",
        &name,
    ])
    .expect_code(0);
    name
}

/// Every file under a folder, with its bytes (manifest timings removed).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let mut bytes = std::fs::read(&p).unwrap();
                if p.file_name().unwrap() == "manifest.json" {
                    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    v.as_object_mut().unwrap().remove("timings");
                    bytes = serde_json::to_vec(&v).unwrap();
                }
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), bytes);
            }
        }
    }
    out
}

#[test]
fn batch_reports_every_year_trends_and_a_manifest() {
    let wd = Workdir::new();
    let years: Vec<(u32, String)> = [(2019, "1500"), (2021, "1800"), (2023, "2000")]
        .iter()
        .map(|(y, n)| (*y, generate(&wd, *y, n)))
        .collect();
    let list: Vec<(u32, &str)> = years.iter().map(|(y, f)| (*y, f.as_str())).collect();
    project(&wd, &list);
    let r = wd.run(&["batch", "project.toml", "--out", "results"]);
    r.expect_code(0);
    let err = r.stderr();
    assert!(
        !err.contains('\x1b') && !err.contains('\r'),
        "control characters in non-terminal stderr: {err:?}"
    );
    assert!(
        err.contains("2019: warning: column 'kan_chat' is not in the file"),
        "{err}"
    );

    // Each year's figures are exactly those of a single-year run.
    wd.run(&[
        "report",
        "2023.csv",
        "-c",
        "codebook.toml",
        "--out",
        "single",
    ])
    .expect_code(0);
    assert_eq!(
        std::fs::read(wd.path("single/estimates.csv")).unwrap(),
        std::fs::read(wd.path("results/2023/estimates.csv")).unwrap()
    );
    let trends = read_csv(&wd.path("results/trends.csv"));
    let single = read_csv(&wd.path("single/estimates.csv"));
    for s in &single {
        let t = trends
            .iter()
            .find(|t| {
                t["year"] == "2023"
                    && t["table"] == s["table"]
                    && t["category"] == s["category"]
                    && t["by"] == s["by"]
                    && t["group"] == s["group"]
            })
            .expect("trend row for a 2023 estimate");
        for c in ["n", "estimate", "se", "ci_lower", "ci_upper"] {
            assert_eq!(t[c], s[c], "{c}");
        }
    }
    // Changes: from the previous year with the estimate; chat was not asked in 2019.
    let chat: Vec<_> = trends
        .iter()
        .filter(|t| t["category"] == "kan_chat" && t["by"] == "(all)")
        .collect();
    assert_eq!(chat.len(), 3);
    assert!(chat[0]["estimate"].is_empty() && chat[0]["note"].contains("not asked"));
    assert!(
        chat[1]["change"].is_empty(),
        "no change without an earlier estimate"
    );
    assert_eq!(chat[2]["change_from"], "2021");
    let (e21, e23): (f64, f64) = (
        chat[1]["estimate"].parse().unwrap(),
        chat[2]["estimate"].parse().unwrap(),
    );
    let change: f64 = chat[2]["change"].parse().unwrap();
    assert!((change - (e23 - e21)).abs() < 1e-15);
    let (s21, s23): (f64, f64) = (
        chat[1]["se"].parse().unwrap(),
        chat[2]["se"].parse().unwrap(),
    );
    let cse: f64 = chat[2]["change_se"].parse().unwrap();
    assert!((cse - (s21 * s21 + s23 * s23).sqrt()).abs() < 1e-15);

    // The manifest: hashes of every input, rows, notes.
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("results/manifest.json")).unwrap())
            .unwrap();
    for s in m["surveys"].as_array().unwrap() {
        let data = Path::new(s["data"].as_str().unwrap());
        let data = if data.is_absolute() {
            data.to_path_buf()
        } else {
            wd.dir.path().join(data)
        };
        let digest: String = Sha256::digest(std::fs::read(&data).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(s["data_sha256"], digest.as_str());
        assert_eq!(s["status"], "ok");
    }
    assert_eq!(
        m["surveys"][0]["not_asked"],
        serde_json::json!(["kan_chat", "kan_video"])
    );
    assert_eq!(
        m["surveys"][0]["ignored_columns"],
        serde_json::json!([
            "respondent",
            "invuldatum",
            "geslacht_brp",
            "leeftijd_brp",
            "ontwerpgewicht",
            "st_schoon",
            "st_veilig",
            "st_contact",
            "st_voorzieningen"
        ])
    );
    assert_eq!(m["surveys"][2]["rows_read"], 2000);

    // Twice: byte-identical (manifest timings aside), whatever the number of jobs.
    wd.run(&["batch", "project.toml", "--out", "again", "--jobs", "1"])
        .expect_code(0);
    let (a, b) = (snapshot(&wd.path("results")), snapshot(&wd.path("again")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(*bytes == b[name], "{name} differs between two runs");
    }
}

#[test]
fn a_broken_year_does_not_lose_the_others() {
    let wd = Workdir::new();
    let good = generate(&wd, 2021, "800");
    let bad = generate(&wd, 2023, "800");
    let text = std::fs::read_to_string(wd.path(&bad)).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[99] = lines[99]
        .replacen(";NL;", ";XX;", 1)
        .replacen(";EN;", ";XX;", 1);
    wd.write(&bad, lines.join("\n") + "\n");
    project(&wd, &[(2021, &good), (2023, &bad)]);
    let r = wd.run(&["batch", "project.toml", "--out", "results"]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("2023: ")
            && r.stderr().contains("line 100, column 'taal': value \"XX\""),
        "{}",
        r.describe()
    );
    assert!(wd.path("results/2021/summary.json").exists());
    assert!(!wd.path("results/2023/summary.json").exists());
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("results/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["surveys"][0]["status"], "ok");
    assert_eq!(m["surveys"][1]["status"], "failed");
    assert!(m["surveys"][1]["error"]
        .as_str()
        .unwrap()
        .contains("line 100"));
    let trends = read_csv(&wd.path("results/trends.csv"));
    assert!(!trends.is_empty() && trends.iter().all(|t| t["year"] == "2021"));
}

#[test]
fn single_year_report_refuses_absent_columns_unless_allowed() {
    let wd = Workdir::new();
    let f = generate(&wd, 2019, "300");
    wd.write(
        "codebook.toml",
        std::fs::read_to_string(repo().join("tests/reference/r/sample/codebook.toml")).unwrap(),
    );
    let r = wd.run(&["report", &f, "-c", "codebook.toml", "--out", "r"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("'kan_chat', 'kan_video'"),
        "{}",
        r.describe()
    );
    let r = wd.run(&[
        "report",
        &f,
        "-c",
        "codebook.toml",
        "--out",
        "r",
        "--allow-absent",
    ]);
    r.expect_code(0);
    let est = read_csv(&wd.path("r/estimates.csv"));
    assert!(est
        .iter()
        .any(|e| e["category"] == "kan_chat" && e["note"].contains("not asked")));
}

#[test]
fn bundled_project_runs() {
    let wd = Workdir::new();
    let project = repo().join("samples/project.toml");
    let r = wd.run(&["batch", project.to_str().unwrap(), "--out", "results"]);
    r.expect_code(0);
    let trends = read_csv(&wd.path("results/trends.csv"));
    let years: std::collections::BTreeSet<&str> =
        trends.iter().map(|t| t["year"].as_str()).collect();
    assert_eq!(
        years.into_iter().collect::<Vec<_>>(),
        ["2019", "2021", "2023"]
    );
}

/// The SHA-256 of a file of the samples, in hex.
fn sample_digest(file: &str) -> String {
    Sha256::digest(std::fs::read(repo().join("samples").join(file)).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn each_year_is_weighted_to_its_own_population_and_has_its_own_response() {
    let wd = Workdir::new();
    let project = repo().join("samples/project.toml");
    wd.run(&[
        "batch",
        project.to_str().unwrap(),
        "--out",
        "results",
        "--no-charts",
    ])
    .expect_code(0);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("results/manifest.json")).unwrap())
            .unwrap();
    for (i, year) in [2019, 2021, 2023].iter().enumerate() {
        let s = &m["surveys"][i];
        let file = format!("bevolking-{year}.csv");
        assert!(
            s["population_file"].as_str().unwrap().ends_with(&file),
            "{s}"
        );
        assert_eq!(s["population_sha256"], sample_digest(&file).as_str());
        // The year's weighted margins are that year's population.
        let population = std::fs::read_to_string(repo().join("samples").join(&file)).unwrap();
        let wijk_1: f64 = population
            .lines()
            .find(|l| l.starts_with("wijk;1;"))
            .and_then(|l| l.rsplit(';').next())
            .unwrap()
            .parse()
            .unwrap();
        let total: f64 = population
            .lines()
            .filter(|l| l.starts_with("wijk;"))
            .map(|l| l.rsplit(';').next().unwrap().parse::<f64>().unwrap())
            .sum();
        let w = &s["weighting"]["margins"];
        let row = w
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["variable"] == "wijk" && r["category"] == "1")
            .unwrap();
        let got = row["weighted"].as_f64().unwrap();
        assert!((got - wijk_1 / total).abs() < 1e-9, "{year}: {got}");
        // 2019 and 2021 name their own gross sample in the project, 2023 takes the codebook's
        // (the same file name): each year's response rates are over its own invited.
        let file = format!("uitgenodigd-{year}.csv");
        assert!(s["invited_file"].as_str().unwrap().ends_with(&file), "{s}");
        assert_eq!(s["invited_sha256"], sample_digest(&file).as_str());
        assert!(s["benchmark_file"]
            .as_str()
            .unwrap()
            .ends_with("benchmark.csv"));
        let invited = std::fs::read_to_string(repo().join("samples").join(&file)).unwrap();
        let data = std::fs::read_to_string(
            repo()
                .join("samples")
                .join(format!("inwonersenquete-{year}.csv")),
        )
        .unwrap();
        let wijk_column = data
            .lines()
            .next()
            .unwrap()
            .split(';')
            .position(|h| h == "wijk")
            .unwrap();
        let response = read_csv(&wd.path(&format!("results/{year}/response.csv")));
        // A row per line of the file (the header excepted) and the total row (`(all)`).
        assert_eq!(response.len(), invited.lines().count(), "{year}");
        for line in invited.lines().skip(1) {
            let cells: Vec<&str> = line.split(';').collect();
            let row = response
                .iter()
                .find(|r| r["variable"] == cells[0] && r["code"] == cells[1])
                .unwrap();
            let responded = data
                .lines()
                .skip(1)
                .filter(|l| l.split(';').nth(wijk_column) == Some(cells[1]))
                .count();
            assert_eq!(row["invited"], cells[2], "{year} {line}");
            assert_eq!(row["responded"], responded.to_string(), "{year} {line}");
            let rate: f64 = row["rate"].parse().unwrap();
            assert_eq!(rate, responded as f64 / cells[2].parse::<f64>().unwrap());
        }
    }
}

/// A one-year project on the bundled 2023 sample with `extra` in its `[[survey]]`, run as a
/// batch without charts; the codebook is `codebook` (a path relative to the repository).
fn one_year(wd: &Workdir, codebook: &str, extra: &str) -> common::Run {
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let codebook = repo().join(codebook);
    wd.write(
        "project.toml",
        format!(
            "codebook = {:?}\n[[survey]]\nyear = 2023\ndata = {:?}\n{extra}\n",
            codebook.display().to_string(),
            data.display().to_string()
        ),
    );
    wd.run(&["batch", "project.toml", "--out", "results", "--no-charts"])
}

#[test]
fn a_years_gross_sample_with_an_unknown_code_fails_that_year_naming_key_and_value() {
    let wd = Workdir::new();
    wd.write(
        "uitgenodigd.csv",
        "variable;code;invited\nwijk;1;1320\nwijk;11;900\n",
    );
    let r = one_year(
        &wd,
        "samples/codebook.toml",
        "invited = \"uitgenodigd.csv\"",
    );
    // A codebook error (exit code 2), as for the codebook's own file; the year fails alone.
    r.expect_code(2);
    let e = r.stderr();
    assert!(
        e.contains("2023: ")
            && e.contains("project.toml: [[survey]] year 2023, key 'invited': ")
            && e.contains("uitgenodigd.csv:3: code \"11\" is not a code of 'wijk'"),
        "{}",
        r.describe()
    );
    assert!(!wd.path("results/2023/response.csv").exists());
    // A variable that is not one of the codebook's, and a count that is not a number.
    for (file, expected) in [
        ("variable;code;invited\nbuurt;1;10\n", "variable \"buurt\""),
        ("variable;code;invited\nwijk;1;veel\n", "\"veel\""),
    ] {
        wd.write("uitgenodigd.csv", file);
        let r = one_year(
            &wd,
            "samples/codebook.toml",
            "invited = \"uitgenodigd.csv\"",
        );
        r.expect_code(2);
        assert!(
            r.stderr().contains("key 'invited'")
                && r.stderr().contains("uitgenodigd.csv:2: ")
                && r.stderr().contains(expected),
            "{}",
            r.describe()
        );
    }
}

#[test]
fn a_years_gross_sample_needs_a_response_section() {
    let wd = Workdir::new();
    wd.write("uitgenodigd.csv", "variable;code;invited\nwijk;1;1320\n");
    let r = one_year(
        &wd,
        "samples/codebook-bureau.toml",
        "invited = \"uitgenodigd.csv\"",
    );
    r.expect_code(2);
    assert!(
        r.stderr().contains("[[survey]] year 2023, key 'invited': ")
            && r.stderr().contains("uitgenodigd.csv: ")
            && r.stderr().contains("has no [response] section"),
        "{}",
        r.describe()
    );
}
