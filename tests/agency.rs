//! An agency delivery goes through as it is (tests/reference/r/agency/, made by `run_all.sh`
//! there): a mean-1 agency weight raked to a crossed margin and a district margin whose totals
//! differ by rounding, respondents with an unknown sex or age weighted as their own category,
//! a Windows-1252 file. The final weights and every estimate, SE and interval of raking, linear,
//! logit calibration and trimming equal R's.

mod common;
#[path = "common/tables.rs"]
mod tables;

use common::reference::{compare_estimates, compare_weights, parse_weights};
use common::{read_csv, repo, Workdir};
use std::path::PathBuf;

fn file(name: &str) -> PathBuf {
    repo().join("tests/reference/r/agency").join(name)
}

/// The fixture's codebook with its `[weighting]` method line replaced (the designs of R's
/// reference.R), in a folder of its own beside a copy of the population file.
fn codebook(wd: &Workdir, design: &str) -> PathBuf {
    let text = std::fs::read_to_string(file("codebook.toml")).unwrap();
    let method = match design {
        "rake" => "method = \"rake\"",
        "linear" => "method = \"linear\"",
        "logit" => "method = \"logit\"\nbounds = [0.3, 4]",
        "trim" => "method = \"rake\"\ntrim = [0.45, 3]",
        _ => unreachable!(),
    };
    let text = text.replace("method = \"rake\"", method);
    std::fs::copy(file("bevolking.csv"), wd.path("bevolking.csv")).unwrap();
    wd.write(&format!("{design}.toml"), text)
}

const DESIGNS: [&str; 4] = ["rake", "linear", "logit", "trim"];

#[test]
fn final_weights_equal_rs() {
    let wd = Workdir::new();
    for design in DESIGNS {
        let cb = codebook(&wd, design);
        let out = wd.path(&format!("{design}-weights.csv"));
        let r = wd.run(&[
            "weight",
            file("data.csv").to_str().unwrap(),
            "-c",
            cb.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        r.expect_code(0);
        let ours = parse_weights(&std::fs::read_to_string(&out).unwrap());
        compare_weights(&ours, &file(&format!("{design}_weights.csv")), design);
    }
}

#[test]
fn estimates_ses_and_intervals_equal_rs() {
    let wd = Workdir::new();
    for design in DESIGNS {
        let n = compare_estimates(
            &file("data.csv"),
            &codebook(&wd, design),
            &file(&format!("{design}_expected.csv")),
            &[],
        );
        assert!(n > 800, "{design}: only {n} interval limits compared");
    }
}

/// The fixture's files in a folder of their own, the codebook changed by `edit`.
fn setup(edit: impl Fn(String) -> String) -> Workdir {
    let wd = Workdir::new();
    for f in ["data.csv", "bevolking.csv", "agency.sav"] {
        std::fs::copy(file(f), wd.path(f)).unwrap();
    }
    let text = std::fs::read_to_string(file("codebook.toml")).unwrap();
    wd.write("codebook.toml", edit(text));
    wd
}

/// `text` without the block that starts with `start` (up to the next `[[` or the end).
fn without_block(text: &str, start: &str) -> String {
    let at = text.find(start).expect("the block");
    let end = text[at + 2..]
        .find("\n[[")
        .map_or(text.len(), |e| at + 2 + e + 1);
    format!("{}{}", &text[..at], &text[end..])
}

fn validate(wd: &Workdir) -> common::Run {
    wd.run(&["validate", "data.csv", "-c", "codebook.toml"])
}

#[test]
fn unknowns_are_a_data_error_by_default_and_the_message_says_the_fix() {
    let wd = setup(|c| c.replace("unknown = \"own-category\"\n", ""));
    let r = validate(&wd);
    r.expect_code(1);
    let out = r.stdout();
    for want in [
        "column 'gesl_stpr': value \"9\": expected a valid value of 'gesl_stpr', a [weighting] variable",
        "column 'leeftijd': value \"999\": expected a valid value of 'lftkl' (from 'leeftijd')",
        "set [weighting] unknown = \"own-category\"",
        "70 problems in 70 rows",
    ] {
        assert!(out.contains(want), "{want}: {}", r.describe());
    }
}

#[test]
fn unknowns_as_their_own_category_are_shown_and_stay_in_every_table() {
    let wd = setup(|c| c);
    let r = wd.run(&[
        "report",
        "data.csv",
        "-c",
        "codebook.toml",
        "--out",
        "out",
        "--no-charts",
    ]);
    r.expect_code(0);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("out/summary.json")).unwrap())
            .unwrap();
    let margins = summary["weighting"]["margins"].as_array().unwrap();
    let unknown = margins
        .iter()
        .find(|m| m["unknown"] == true)
        .expect("an unknown row");
    assert_eq!(unknown["variable"], "gesl_stpr × lftkl");
    assert_eq!(unknown["n"], 70);
    // Its population share is its design-weighted share of the sample, so weighting keeps it.
    let (w, p) = (
        unknown["weighted"].as_f64().unwrap(),
        unknown["population"].as_f64().unwrap(),
    );
    assert!(
        (w - p).abs() < 1e-12 && (p - 0.020202249936507214).abs() < 1e-15,
        "{w} {p}"
    );
    let md = std::fs::read_to_string(wd.path("out/report.md")).unwrap();
    assert!(
        md.contains("| Geslacht × Leeftijdsklasse | onbekend | 70 |"),
        "{md}"
    );
    // Everyone is in the whole-sample base of a question without missing answers.
    let est = read_csv(&wd.path("out/estimates.csv"));
    let kanaal = est
        .iter()
        .find(|e| e["table"] == "kanaal" && e["by"] == "(all)")
        .unwrap();
    assert_eq!(kanaal["n"], "3500");
}

#[test]
fn margins_that_differ_by_rounding_are_scaled_with_a_warning_and_refused_beyond_the_tolerance() {
    let wd = setup(|c| c);
    let r = validate(&wd);
    r.expect_code(0);
    assert!(
        r.stdout().contains(
            "warning: weighting: the margin 'wijk' adds up to 118010, 'gesl_stpr × lftkl' to 118000 (10 apart, 0.0085%): 'wijk' was scaled to 118000"
        ),
        "{}",
        r.describe()
    );
    let pop = std::fs::read_to_string(file("bevolking.csv")).unwrap();
    wd.write("bevolking.csv", pop.replace("wijk;1;21450", "wijk;1;22450"));
    let r = validate(&wd);
    r.expect_code(2);
    let err = r.stderr();
    assert!(
        err.contains("the margins add up to different populations: 'gesl_stpr × lftkl' to 118000 and 'wijk' to 119010, 1010 apart (0.86%)")
            && err.contains("raise [weighting] margin_tolerance"),
        "{}",
        r.describe()
    );
    let text = std::fs::read_to_string(wd.path("codebook.toml")).unwrap();
    wd.write(
        "codebook.toml",
        text.replace("unknown = ", "margin_tolerance = 0.01\nunknown = "),
    );
    validate(&wd).expect_code(0);
}

/// A case of bad input: what it is, how it edits the population file, what the message says.
type Case = (&'static str, fn(String) -> String, &'static str);

#[test]
fn crossed_margins_in_the_population_file_are_checked() {
    let cases: [Case; 3] = [
        (
            "a cell without a row",
            |p| p.replace("gesl_stpr × lftkl;2 × 65+;11270\n", ""),
            "gesl_stpr × lftkl = \"2 × 65+\" has no population count",
        ),
        (
            "codes not joined",
            |p| p.replace("1 × 18-29", "1-18-29"),
            "code \"1-18-29\" of the crossed margin \"gesl_stpr × lftkl\": expected one code per variable joined by '×', such as \"1 × 18-29\"",
        ),
        (
            "a crossing that is not a margin",
            |p| p.replace("gesl_stpr × lftkl;1 × 18-29", "lftkl × gesl_stpr;18-29 × 1"),
            "variable \"lftkl × gesl_stpr\" is not a margin of [weighting] variables (gesl_stpr × lftkl, wijk)",
        ),
    ];
    for (what, edit, message) in cases {
        let wd = setup(|c| c);
        let pop = std::fs::read_to_string(file("bevolking.csv")).unwrap();
        wd.write("bevolking.csv", edit(pop));
        let r = validate(&wd);
        r.expect_code(2);
        assert!(r.stderr().contains(message), "{what}: {}", r.describe());
    }
}

#[test]
fn bounds_that_leave_no_solution_say_what_raking_needs() {
    let wd = setup(|c| c.replace("method = \"rake\"", "method = \"logit\"\nbounds = [0.3, 3]"));
    let r = validate(&wd);
    r.expect_code(2);
    assert!(
        r.stderr()
            .contains("no solution with g within the bounds [0.3, 3]")
            && r.stderr()
                .contains("raking without bounds gives g from 0.424 to 3.682")
            && r.stderr().contains("the bounds leave no solution"),
        "{}",
        r.describe()
    );
}

#[test]
fn validate_weights_the_file_as_report_does() {
    let wd = setup(|c| c);
    let r = validate(&wd);
    r.expect_code(0);
    assert!(
        r.stdout().contains(
            "data.csv: weighting (rake, gesl_stpr × lftkl, wijk): 7 iterations; g from 0.424 to 3.682; design effect of weighting 1.476"
        ),
        "{}",
        r.describe()
    );
    // Warnings on the limits the codebook sets.
    let wd = setup(|c| {
        c.replace(
            "unknown = ",
            "warn_design_effect = 1.2\nwarn_g = [0.5, 3]\nunknown = ",
        )
    });
    let r = validate(&wd);
    r.expect_code(0);
    let out = r.stdout();
    assert!(
        out.contains("warning: weighting: the design effect of weighting is 1.476 (above 1.2)")
            && out.contains("have an adjustment g (final weight / design weight) outside [0.5, 3]: g runs from 0.424 to 3.682"),
        "{}",
        r.describe()
    );
}

/// Linear calibration can make weights negative: said on stderr and in the report.
#[test]
fn negative_and_extreme_weights_are_warned_about() {
    let wd = Workdir::new();
    let mut data = String::from("a;b\n");
    for (a, b, n) in [(1, 1, 40), (1, 2, 5), (2, 1, 5), (2, 2, 50)] {
        for _ in 0..n {
            data.push_str(&format!("{a};{b}\n"));
        }
    }
    wd.write("data.csv", data);
    wd.write(
        "pop.csv",
        "variable;code;count\na;1;80\na;2;20\nb;1;20\nb;2;80\n",
    );
    let var = |n: &str| {
        format!("[[variables]]\nname = \"{n}\"\ntype = \"categorical\"\nvalues = [{{ code = \"1\" }}, {{ code = \"2\" }}]\n")
    };
    wd.write(
        "cb.toml",
        format!(
            "[data]\ndelimiter = \";\"\n[weighting]\nmethod = \"linear\"\nmargins = \"pop.csv\"\nvariables = [\"a\", \"b\"]\n{}{}[[tables]]\nname = \"a\"\nrows = \"a\"\n",
            var("a"),
            var("b")
        ),
    );
    let r = wd.run(&[
        "report",
        "data.csv",
        "-c",
        "cb.toml",
        "--out",
        "out",
        "--no-charts",
    ]);
    r.expect_code(0);
    let err = r.stderr();
    assert!(
        err.contains("warning: weighting: 5 respondents have a negative weight (down to -4.989)")
            && err.contains("use method = \"rake\"")
            && err.contains("warning: weighting: 10 respondents have an adjustment g")
            && err.contains("warning: weighting: the design effect of weighting is"),
        "{}",
        r.describe()
    );
    let md = std::fs::read_to_string(wd.path("out/report.md")).unwrap();
    assert!(
        md.contains("Let op: 5 respondenten hebben een negatief gewicht (tot -4,989)"),
        "{md}"
    );
}

/// Windows-1252 text in a column the codebook uses needs `[data] encoding` (or `--encoding`);
/// in a column it does not use, the file reads with a note.
#[test]
fn a_windows_1252_file_reads_with_its_encoding_said() {
    let without = |c: String| c.replace("encoding = \"windows-1252\"\n", "");
    let wd = setup(without);
    let r = validate(&wd);
    r.expect_code(1);
    assert!(
        r.stdout().contains("column 'gebruik': value")
            && r.stdout().contains("is not UTF-8; if the file comes from Excel, say its encoding: [data] encoding = \"windows-1252\" (or --encoding windows-1252)"),
        "{}",
        r.describe()
    );
    let r = wd.run(&[
        "validate",
        "data.csv",
        "-c",
        "codebook.toml",
        "--encoding",
        "windows-1252",
    ]);
    r.expect_code(0);
    // Without the `gebruik` question, such bytes are only in columns nobody reads.
    let wd = setup(|c| {
        let c = without_block(&without(c), "[[variables]]\nname = \"gebruik\"");
        without_block(&c, "[[tables]]\nname = \"gebruik\"")
    });
    let r = validate(&wd);
    r.expect_code(0);
    assert!(
        r.stdout().contains("rows hold text that is not UTF-8 in columns the codebook does not use (first: line 2, column 'gebruik'), so the file was read; if it comes from Excel, say its encoding"),
        "{}",
        r.describe()
    );
    let r = wd.run(&[
        "validate",
        "agency.sav",
        "-c",
        "codebook.toml",
        "--encoding",
        "latin-1",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("--encoding applies to CSV files"),
        "{}",
        r.describe()
    );
}

/// The delivery's rows as text cells (Windows-1252 decoded, decimal points), for the other formats.
fn rows() -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(file("data.csv")).unwrap();
    // The file's bytes above ASCII, by hand (not with enquete's own decoder).
    let text: String = bytes
        .iter()
        .map(|&b| match b {
            0x80 => '€',
            0x92 => '’',
            0xC9 => 'É',
            0xE9 => 'é',
            0xEF => 'ï',
            0xFC => 'ü',
            b if b < 0x80 => b as char,
            b => panic!("byte 0x{b:02X} not expected in the fixture"),
        })
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let w = header.iter().position(|h| h == "weegfactor").unwrap();
    let rows = reader
        .records()
        .map(|r| {
            let mut cells: Vec<String> = r.unwrap().iter().map(String::from).collect();
            cells[w] = cells[w].replace(',', ".");
            cells
        })
        .collect();
    (header, rows)
}

/// The delivery as an Excel workbook (the data on its second sheet, `Data`) and a Parquet file.
fn other_formats(wd: &Workdir) {
    let (header, rows) = rows();
    tables::write_xlsx(&wd.path("agency.xlsx"), &header, &rows, "Data", false);
    tables::write_parquet(
        &wd.path("agency.parquet"),
        &header,
        &rows,
        parquet::basic::Compression::SNAPPY,
    );
}

/// The same delivery as SPSS (Scale levels), Excel (its second sheet) and Parquet gives R's
/// weights' estimates, SEs and intervals.
#[test]
fn the_same_delivery_as_sav_xlsx_and_parquet_gives_rs_estimates() {
    let wd = setup(|c| c);
    other_formats(&wd);
    let expected = file("rake_expected.csv");
    let cb = wd.path("codebook.toml");
    for (data, extra) in [
        ("agency.sav", &[][..]),
        ("agency.xlsx", &["--sheet", "Data"][..]),
        ("agency.parquet", &[][..]),
    ] {
        let n = compare_estimates(&wd.path(data), &cb, &expected, extra);
        assert!(n > 800, "{data}: {n} interval limits");
    }
    // The first sheet of the workbook is not the data: the message says which was read.
    let r = wd.run(&["validate", "agency.xlsx", "-c", "codebook.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("the header was read from sheet 'Toelichting', the workbook's first (sheets: Toelichting, Data); name the sheet with the data with --sheet"),
        "{}",
        r.describe()
    );
}

/// A draft from each format runs as it is, with the districts and neighbourhoods as codes to
/// break down by, and (CSV) the encoding detected.
#[test]
fn drafts_from_every_format_run_and_break_down_by_area() {
    let wd = setup(|c| c);
    other_formats(&wd);
    for (data, extra) in [
        ("data.csv", &[][..]),
        ("agency.sav", &[][..]),
        ("agency.xlsx", &["--sheet", "Data"][..]),
        ("agency.parquet", &[][..]),
    ] {
        let draft = format!("{data}.toml");
        let mut args = vec!["codebook", data, "-o", draft.as_str()];
        args.extend(extra);
        wd.run(&args).expect_code(0);
        let text = std::fs::read_to_string(wd.path(&draft)).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        let kind = |name: &str| -> String {
            value["variables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["name"].as_str() == Some(name))
                .map_or(String::new(), |v| v["type"].as_str().unwrap().to_string())
        };
        assert_eq!(kind("wijk"), "categorical", "{data}: {text}");
        assert_eq!(kind("buurt"), "categorical", "{data}: {text}");
        let by = value["tables"][0]["by"].as_array().unwrap();
        assert!(
            by.iter().any(|b| b.as_str() == Some("wijk"))
                && by.iter().any(|b| b.as_str() == Some("buurt")),
            "{data}: {by:?}"
        );
        if data == "agency.sav" {
            // Value labels on a Scale variable name every value: codes with their labels.
            assert_eq!(kind("gesl_stpr"), "categorical", "{text}");
            assert!(
                text.contains("{ code = \"8\", label = \"Buitengebied\" }"),
                "{text}"
            );
        }
        if data == "data.csv" {
            assert!(
                text.contains(
                    "encoding = \"windows-1252\"  # detected: line 2 is not UTF-8 (check)"
                ),
                "{text}"
            );
        }
        let mut args = vec!["validate", data, "-c", draft.as_str()];
        args.extend(extra);
        let r = wd.run(&args);
        r.expect_code(0);
        assert!(
            r.stdout().contains("3500 valid"),
            "{data}: {}",
            r.describe()
        );
    }
}

/// Calibration cells are the ones respondents fill: raking on four variables of 100 categories
/// (10⁸ joint cells) costs what its 20,000 respondents cost (issue 21).
#[test]
fn raking_on_many_categories_does_not_allocate_their_product() {
    let wd = Workdir::new();
    let (vars, levels, n) = (4usize, 100usize, 20_000usize);
    let mut state: u64 = 2026;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut counts = vec![vec![0usize; levels]; vars];
    let mut data = (0..vars)
        .map(|k| format!("v{k}"))
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    for _ in 0..n {
        let row: Vec<String> = (0..vars)
            .map(|k| {
                let c = next() % levels;
                counts[k][c] += 1;
                (c + 1).to_string()
            })
            .collect();
        data.push_str(&(row.join(",") + "\n"));
    }
    wd.write("data.csv", data);
    // Each margin: the sample's counts tilted, scaled to one population of 1,000,000.
    let mut pop = String::from("variable,code,count\n");
    for (k, c) in counts.iter().enumerate() {
        let tilted: Vec<f64> = c
            .iter()
            .enumerate()
            .map(|(i, &x)| x as f64 * (1.0 + 0.5 * (i as f64 / levels as f64)))
            .collect();
        let total: f64 = tilted.iter().sum();
        for (i, t) in tilted.iter().enumerate() {
            pop.push_str(&format!("v{k},{},{}\n", i + 1, t * 1e6 / total));
        }
    }
    wd.write("pop.csv", pop);
    let codes: Vec<String> = (1..=levels)
        .map(|c| format!("{{ code = \"{c}\" }}"))
        .collect();
    let mut cb = String::from("[weighting]\nmethod = \"rake\"\nmargins = \"pop.csv\"\nvariables = [\"v0\", \"v1\", \"v2\", \"v3\"]\n");
    for k in 0..vars {
        cb.push_str(&format!(
            "[[variables]]\nname = \"v{k}\"\ntype = \"categorical\"\nvalues = [{}]\n",
            codes.join(", ")
        ));
    }
    cb.push_str("[[tables]]\nname = \"v0\"\nrows = \"v0\"\n");
    wd.write("cb.toml", cb);
    let start = std::time::Instant::now();
    let r = wd.run(&["validate", "data.csv", "-c", "cb.toml"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("weighting (rake, v0, v1, v2, v3)"),
        "{}",
        r.describe()
    );
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}
