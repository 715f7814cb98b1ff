//! What a report says for publication: a filtered table's own heading and base, titles and notes,
//! hidden answers, labels in the report's language, and a tabellenboek that prints one page wide
//! (at most 30 columns, however many breakdowns a table has).

mod common;

use calamine::{open_workbook, Reader, Xlsx};
use common::{read_csv, repo, Workdir};

fn report(w: &Workdir, codebook: &str, out: &str, extra: &[&str]) {
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let mut args = vec![
        "report",
        data.to_str().unwrap(),
        "--codebook",
        codebook,
        "--out",
        out,
        "--no-progress",
    ];
    args.extend(extra);
    w.run(&args).expect_code(0);
}

#[test]
fn a_filtered_table_says_so_and_gives_its_own_base() {
    let w = Workdir::new();
    let cb = repo().join("samples/codebook-bureau.toml");
    report(&w, cb.to_str().unwrap(), "b", &[]);
    let page = std::fs::read_to_string(w.path("b/index.html")).unwrap();
    assert!(page.contains(">Voorkeur voor contact, inwoners van 65 jaar en ouder</h2>"));
    assert!(page.contains("<span class=\"sub\">Alleen inwoners van 65 jaar en ouder</span>"));
    // The chart's footer gives the table's base (respondents of 65 and over), not the sample's.
    let estimates = read_csv(&w.path("b/kanaal_65plus.csv"));
    let base: u64 = estimates
        .iter()
        .filter(|e| e["by"] == "(all)")
        .map(|e| e["n"].parse::<u64>().unwrap())
        .max()
        .unwrap();
    assert!(base > 500 && base < 4000, "{base}");
    let svg = std::fs::read_to_string(w.path("b/charts/kanaal_65plus-taal.svg")).unwrap();
    let n = base.to_string();
    let dutch = format!("{}.{} respondenten", &n[..n.len() - 3], &n[n.len() - 3..]);
    let dutch = if base < 1000 {
        format!("{n} respondenten")
    } else {
        dutch
    };
    assert!(svg.contains(&dutch), "chart footer without '{dutch}'");
    assert!(!svg.contains("4.000 respondenten"));
    assert!(svg.contains("<title id=\"chart-title\">Voorkeur voor contact, inwoners van 65"));
    // The note and the title reach the Markdown report too.
    let md = std::fs::read_to_string(w.path("b/report.md")).unwrap();
    assert!(md.contains("## Voorkeur voor contact met de gemeente"));
    assert!(md.contains("Meer antwoorden mogelijk"));
    assert!(md.contains("*Alleen inwoners van 65 jaar en ouder*"));
}

#[test]
fn the_sample_shows_what_a_monitor_publishes() {
    let w = Workdir::new();
    let cb = repo().join("samples/codebook.toml");
    report(&w, cb.to_str().unwrap(), "s", &["--no-charts"]);
    // A scale score with its alpha, its median, the number of residents per channel, tests
    // against the benchmark, response rates and a statement battery with its NETs.
    let scales = read_csv(&w.path("s/scales.csv"));
    assert_eq!(scales.len(), 1);
    assert_eq!(scales[0]["scale"], "leefbaarheid");
    let alpha: f64 = scales[0]["alpha"].parse().unwrap();
    assert!(alpha > 0.7 && alpha < 0.9, "{alpha}");
    let scale = read_csv(&w.path("s/leefbaarheid.csv"));
    assert!(scale.iter().any(|e| e["by"] == "(all)"
        && e["statistic"] == "quantile"
        && e["category"] == "0.5"
        && e["category_label"] == "mediaan"));
    let kanaal = read_csv(&w.path("s/kanaal.csv"));
    assert_eq!(
        kanaal
            .iter()
            .filter(|e| e["by"] == "(all)" && e["statistic"] == "total")
            .count(),
        7
    );
    let benchmarked: Vec<_> = read_csv(&w.path("s/comparisons.csv"))
        .into_iter()
        .filter(|c| c["group_a"] == "(benchmark)" && c["group_b"] == "(all)")
        .map(|c| {
            (
                c["table"].clone(),
                c["variable"].clone(),
                c["category"].clone(),
            )
        })
        .collect();
    for t in ["tevredenheid", "kanaal", "buurt", "leefbaarheid"] {
        assert!(benchmarked.iter().any(|b| b.0 == t), "{t}: {benchmarked:?}");
    }
    let response = read_csv(&w.path("s/response.csv"));
    assert_eq!(response.len(), 11, "ten districts and the total");
    let buurt = read_csv(&w.path("s/buurt.csv"));
    assert!(buurt
        .iter()
        .any(|e| e["variable"] == "st_veilig" && e["category"] == "1+2"));
    // The battery's answers: a row per statement with that statement's own base (the
    // statements' respondents differ), and no row of bases under answers that belong to
    // different statements.
    let md = std::fs::read_to_string(w.path("s/report.md")).unwrap();
    let block = md
        .split("## Stellingen over de buurt")
        .nth(1)
        .and_then(|b| b.split("###").next())
        .unwrap();
    let mut bases = Vec::new();
    for item in ["st_schoon", "st_veilig", "st_contact", "st_voorzieningen"] {
        let n: u64 = buurt
            .iter()
            .find(|e| e["by"] == "(all)" && e["variable"] == item)
            .map(|e| e["n"].parse().unwrap())
            .unwrap();
        let n = format!("(n = {}.{:03})", n / 1000, n % 1000);
        assert!(block.contains(&n), "{item}: {n} not in\n{block}");
        bases.push(n);
    }
    bases.dedup();
    assert!(
        bases.len() > 1,
        "the sample's statements have different bases"
    );
    assert!(!block.contains("| *n* |"), "{block}");
}

#[test]
fn a_filter_without_words_is_said_with_labels() {
    let w = Workdir::new();
    let cb = std::fs::read_to_string(repo().join("samples/codebook-bureau.toml"))
        .unwrap()
        .replace(
            "population = { nl = \"Alleen inwoners van 65 jaar en ouder\", en = \"Only residents aged 65 and over\" }\n",
            "",
        );
    w.write("cb.toml", cb);
    report(&w, "cb.toml", "nl", &[]);
    report(&w, "cb.toml", "en", &["--language", "en"]);
    let nl = std::fs::read_to_string(w.path("nl/index.html")).unwrap();
    assert!(nl.contains("Alleen respondenten met: Leeftijd ≥ 65"));
    let en = std::fs::read_to_string(w.path("en/index.html")).unwrap();
    assert!(en.contains("Only respondents with: Age ≥ 65"));
}

#[test]
fn hidden_answers_leave_the_readable_outputs_and_stay_in_the_data() {
    let w = Workdir::new();
    let cb = repo().join("samples/codebook.toml");
    report(&w, cb.to_str().unwrap(), "r", &[]);
    let page = std::fs::read_to_string(w.path("r/index.html")).unwrap();
    assert!(page.contains("8 of hoger") && !page.contains("7 of lager"));
    let md = std::fs::read_to_string(w.path("r/report.md")).unwrap();
    assert!(!md.contains("7 of lager"));
    let svg = std::fs::read_to_string(w.path("r/charts/tevreden-leeftijdsgroep.svg")).unwrap();
    assert!(!svg.contains("7 of lager"));
    let csv = read_csv(&w.path("r/tevreden.csv"));
    assert!(
        csv.iter().any(|e| e["category"] == "1-7"),
        "the CSV keeps every answer"
    );
}

#[test]
fn english_reports_use_the_english_labels() {
    let w = Workdir::new();
    let cb = repo().join("samples/codebook.toml");
    report(
        &w,
        cb.to_str().unwrap(),
        "en",
        &["--language", "en", "--no-charts"],
    );
    let csv = read_csv(&w.path("en/kanaal.csv"));
    assert!(csv.iter().any(|e| e["category_label"] == "Telephone"));
    assert!(csv.iter().any(|e| e["group_label"] == "English"));
    let book: Xlsx<_> = open_workbook(w.path("en/tabellenboek.xlsx")).unwrap();
    assert!(book
        .sheet_names()
        .contains(&"How do you prefer to contact".to_string()));
}

#[test]
fn a_table_of_four_wide_breakdowns_prints_at_most_thirty_columns_wide() {
    let w = Workdir::new();
    // Four breakdowns of 7 to 10 groups: 35 groups and the whole sample.
    let base = std::fs::read_to_string(repo().join("samples/codebook-bureau.toml")).unwrap();
    let (head, _) = base.split_once("[[tables]]").unwrap();
    let extra = r#"
[[variables]]
name = "cijfergroep"
label = "Rapportcijfer"
type = "bins"
from = "tevredenheid"
bins = [
  { label = "1", min = 1, max = 1 }, { label = "2", min = 2, max = 2 },
  { label = "3", min = 3, max = 3 }, { label = "4", min = 4, max = 4 },
  { label = "5", min = 5, max = 5 }, { label = "6", min = 6, max = 6 },
  { label = "7", min = 7, max = 7 }, { label = "8", min = 8, max = 8 },
  { label = "9", min = 9, max = 9 }, { label = "10", min = 10, max = 10 },
]

[[variables]]
name = "leeftijd7"
label = "Leeftijd in zeven groepen"
type = "bins"
from = "leeftijd"
bins = [
  { label = "18-24", min = 18, max = 24 }, { label = "25-34", min = 25, max = 34 },
  { label = "35-44", min = 35, max = 44 }, { label = "45-54", min = 45, max = 54 },
  { label = "55-64", min = 55, max = 64 }, { label = "65-74", min = 65, max = 74 },
  { label = "75+", min = 75 },
]

[[variables]]
name = "stadsdeel"
label = "Stadsdeel"
type = "recode"
from = "wijk"
values = [
  { codes = ["1"], code = "a", label = "A" }, { codes = ["2"], code = "b", label = "B" },
  { codes = ["3"], code = "c", label = "C" }, { codes = ["4"], code = "d", label = "D" },
  { codes = ["5"], code = "e", label = "E" }, { codes = ["6"], code = "f", label = "F" },
  { codes = ["7", "8"], code = "g", label = "G" }, { codes = ["9", "10"], code = "h", label = "H" },
]

[[tables]]
name = "breed"
title = "Vier brede indelingen"
rows = "kanaal"
by = ["wijk", "cijfergroep", "leeftijd7", "stadsdeel"]
"#;
    w.write("cb.toml", format!("{head}{extra}"));
    report(&w, "cb.toml", "r", &["--no-charts", "--intervals"]);
    let mut book: Xlsx<_> = open_workbook(w.path("r/tabellenboek.xlsx")).unwrap();
    for name in ["Vier brede indelingen", "BI Vier brede indelingen"] {
        let range = book.worksheet_range(name).unwrap();
        let (_, width) = range.get_size();
        assert!(width <= 30, "{name}: {width} columns");
        assert!(width >= 20, "{name}: {width} columns (bands are filled)");
    }
}

#[test]
fn batch_writes_the_key_figures_with_years_as_columns() {
    let w = Workdir::new();
    let project = repo().join("samples/project.toml");
    w.run(&[
        "batch",
        project.to_str().unwrap(),
        "--out",
        "b",
        "--no-progress",
    ])
    .expect_code(0);
    let page = std::fs::read_to_string(w.path("b/index.html")).unwrap();
    for link in [
        "2019/index.html",
        "2023/index.html",
        "charts/kanaal-trend.svg",
    ] {
        assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
    }
    assert!(page.contains(
        "<th scope=\"col\">2019</th><th scope=\"col\">2021</th><th scope=\"col\">2023</th>"
    ));
    // The changes marked are those trends.csv finds significant, for all respondents, of the
    // figures the page shows: each table's primary statistic (not the totals of kanaal or the
    // quantiles of leefbaarheid), and of the battery buurt its first NET only.
    let trends = read_csv(&w.path("b/trends.csv"));
    let changed = trends
        .iter()
        .filter(|r| {
            r["by"] == "(all)"
                && r["change_significant"] == "true"
                && r["category"] != "1-7"
                && (r["statistic"] == "proportion" || r["statistic"] == "mean")
                && (r["table"] != "buurt" || r["category"] == "1+2")
        })
        .count();
    assert!(changed > 0);
    let marks = page.matches("<span aria-hidden=\"true\">▲</span>").count()
        + page.matches("<span aria-hidden=\"true\">▼</span>").count();
    assert_eq!(marks, changed, "one mark per significant change");
    let mut book: Xlsx<_> = open_workbook(w.path("b/kerncijfers.xlsx")).unwrap();
    let sheet = book.worksheet_range("Kerncijfers").unwrap();
    let cells: Vec<(usize, usize, calamine::Data)> =
        sheet.cells().map(|(r, c, d)| (r, c, d.clone())).collect();
    let header = cells
        .iter()
        .find(|(_, _, d)| *d == calamine::Data::Float(2019.0))
        .expect("the years head the columns");
    let phone = cells
        .iter()
        .find(|(_, _, d)| *d == calamine::Data::String("Telefoon".into()))
        .unwrap();
    assert!(phone.0 > header.0);
    let total_2023 = trends
        .iter()
        .find(|r| r["year"] == "2023" && r["by"] == "(all)" && r["category"] == "kan_telefoon")
        .unwrap();
    // Column D (relative 3): 2023, after the labels and 2019, 2021.
    let value = sheet.get((phone.0, 3));
    assert_eq!(
        value,
        Some(&calamine::Data::Float(
            total_2023["estimate"].parse().unwrap()
        )),
        "numbers as numbers"
    );
}
