//! Cells that cannot run: CSV formulas quoted (numbers not), Markdown without HTML or links,
//! the workbook dated by its data and set up for print.

use super::common::{read_csv, read_csv_str};
use super::{codebook, report, setup, TABLES};
use std::io::Read;

#[test]
fn csv_text_cells_that_look_like_formulas_are_quoted_and_numbers_are_not() {
    let wd = setup(
        &codebook(
            "Kanaal",
            "+1+1",
            "=HYPERLINK(\"http://evil.example\",\"klik\")",
            "@SUM(A1:A9)",
            TABLES,
        ),
        600,
    );
    report(&wd, "rep").expect_code(0);
    let est = read_csv(&wd.path("rep/estimates.csv"));
    let labels: Vec<&str> = est.iter().map(|e| e["group_label"].as_str()).collect();
    assert!(labels.contains(&"'=HYPERLINK(\"http://evil.example\",\"klik\")"));
    assert!(labels.contains(&"'@SUM(A1:A9)"));
    assert!(est.iter().any(|e| e["category_label"] == "'+1+1"));
    // A code that is a number stays that number.
    assert!(est.iter().any(|e| e["category"] == "-1"));
    for e in &est {
        for c in ["n", "estimate", "se"] {
            assert!(e[c].parse::<f64>().is_ok(), "{c}: {}", e[c]);
        }
    }
    // Comparisons: labels quoted, negative differences still plain numbers.
    let cmp = read_csv(&wd.path("rep/comparisons.csv"));
    assert!(cmp.iter().all(|c| !c["group_a_label"].starts_with('=')));
    let diffs: Vec<f64> = cmp
        .iter()
        .filter(|c| !c["difference"].is_empty())
        .map(|c| c["difference"].parse().unwrap())
        .collect();
    assert!(diffs.iter().any(|d| *d < 0.0), "{diffs:?}");
    // Every CSV of the folder, and crosstab's: no cell begins a formula.
    let mut csvs: Vec<String> = std::fs::read_dir(wd.path("rep"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--format",
        "csv",
    ]);
    r.expect_code(0);
    csvs.push(r.stdout());
    for text in &csvs {
        for row in read_csv_str(text) {
            for v in row.values() {
                let risky = v.starts_with(['=', '+', '@'])
                    || (v.starts_with('-') && v.parse::<f64>().is_err());
                assert!(!risky, "unquoted formula-like cell {v:?}");
            }
        }
    }
}

#[test]
fn ordinary_labels_give_the_same_csv_bytes_as_before() {
    // The escaping touches only cells that begin like a formula.
    let wd = setup(&super::plain_codebook(), 300);
    report(&wd, "rep").expect_code(0);
    let text = std::fs::read_to_string(wd.path("rep/estimates.csv")).unwrap();
    assert!(!text.contains('\''), "{text}");
    assert!(text.contains(",Telefoon,") && text.contains(",-1,weet niet,"));
}

#[test]
fn markdown_shows_script_tags_and_javascript_links_as_text() {
    let wd = setup(
        &codebook(
            "<script>alert(1)</script>",
            "[klik](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            "Engels | meer",
            TABLES,
        ),
        300,
    );
    report(&wd, "rep").expect_code(0);
    let md = std::fs::read_to_string(wd.path("rep/report.md")).unwrap();
    for line in md.lines() {
        // Every `<` that could open a tag or an autolink is escaped.
        for (i, _) in line.match_indices('<') {
            let next = line[i + 1..].chars().next().unwrap_or(' ');
            let escaped = i > 0 && line.as_bytes()[i - 1] == b'\\';
            assert!(
                escaped || !(next.is_ascii_alphabetic() || "/!?".contains(next)),
                "raw HTML in {line:?}"
            );
        }
        assert!(!line.contains("[klik]("), "a link in {line:?}");
    }
    assert!(md.contains("\\<script>alert(1)\\</script>"), "{md}");
    assert!(md.contains("\\[klik\\](javascript:alert(1))"), "{md}");
    assert!(md.contains("Engels \\| meer"), "{md}");
    // The HTML page was already escaped.
    let html = std::fs::read_to_string(wd.path("rep/index.html")).unwrap();
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>alert"));
}

#[test]
fn column_names_in_the_design_sentence_are_text_in_markdown() {
    // Found by the fuzz campaign: the weight's column name reached report.md unescaped.
    let name = "<script>alert(1)</script>";
    let cb = super::plain_codebook().replace(
        "weight = \"w\"",
        &format!("weight = {}", super::toml_str(name)),
    );
    let wd = setup(&cb, 300);
    let data = std::fs::read_to_string(wd.path("data.csv")).unwrap();
    wd.write("data.csv", data.replacen(";w;", &format!(";{name};"), 1));
    report(&wd, "rep").expect_code(0);
    let md = std::fs::read_to_string(wd.path("rep/report.md")).unwrap();
    assert!(md.contains("'\\<script>alert(1)\\</script>'"), "{md}");
    assert!(!md.replace("\\<", "").contains("<script"), "{md}");
}

/// A file of the workbook (a zip archive), as text.
fn xlsx_part(path: &std::path::Path, name: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_workbook_is_dated_by_its_data_and_set_up_for_print() {
    let wd = setup(&super::plain_codebook(), 300);
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(wd.path("data.csv"))
        .unwrap()
        .set_modified(when)
        .unwrap();
    report(&wd, "a").expect_code(0);
    report(&wd, "b").expect_code(0);
    let (a, b) = (
        wd.path("a/tabellenboek.xlsx"),
        wd.path("b/tabellenboek.xlsx"),
    );
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    let core = xlsx_part(&a, "docProps/core.xml");
    assert!(core.contains("2023-11-14T22:13:20Z"), "{core}");
    assert!(!core.contains("2000-01-01"), "{core}");
    let sheet = xlsx_part(&a, "xl/worksheets/sheet2.xml");
    assert!(
        sheet.contains("paperSize=\"9\"")
            && sheet.contains("orientation=\"landscape\"")
            && sheet.contains("fitToHeight=\"0\"")
            && sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
        "{sheet}"
    );
    let book = xlsx_part(&a, "xl/workbook.xml");
    assert!(
        // The title and the subpopulation repeat on every page (the column headings are per
        // band of the layout).
        book.contains("_xlnm.Print_Titles") && book.contains("Kanaal!$1:$2"),
        "{book}"
    );
}

#[test]
fn respondent_ids_in_the_weights_file_cannot_run() {
    let wd = setup(&super::plain_codebook(), 50);
    wd.write("data.csv", super::rows(50).replacen("\n0;", "\n=1+1;", 1));
    let r = wd.run(&["weight", "data.csv", "-c", "codebook.toml"]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(out.contains("\n'=1+1;"), "{out}");
    assert!(out.contains("\n1;") && !out.contains("'1;"), "{out}");
}
