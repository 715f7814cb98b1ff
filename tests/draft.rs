//! `enquete codebook`: drafted codebooks run as they are. Every draft made here is also parsed
//! by the codebook check ([`draft`]), so a draft never holds what the check refuses.

mod common;

use common::{num, read_csv_str, repo, Run, Workdir};
use enquete::codebook::Codebook;
use std::collections::HashMap;

/// Run `enquete codebook ARGS` (writing to standard output), require success, and require the
/// codebook check to accept the draft; the draft is also written to `draft.toml`.
fn draft(wd: &Workdir, args: &[&str]) -> String {
    let mut all = vec!["codebook"];
    all.extend_from_slice(args);
    let r = wd.run(&all);
    r.expect_code(0);
    let text = r.stdout();
    if let Err(e) = Codebook::parse(&text) {
        panic!("the codebook check refuses the draft: {e}\n{text}");
    }
    wd.write("draft.toml", &text);
    text
}

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn drafted_codebook_of_the_sample_runs_every_table() {
    let wd = Workdir::new();
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let text = draft(&wd, &[data.to_str().unwrap()]);
    assert!(text.contains("weight = \"weegfactor\""), "{text}");
    assert!(
        text.contains("delimiter = \";\"") && text.contains("decimal = \",\""),
        "{text}"
    );
    assert!(
        text.contains("type = \"multi\"") && text.contains("column = \"kan_telefoon\""),
        "{text}"
    );
    assert!(
        text.contains("type = \"bins\""),
        "age groups suggested: {text}"
    );
    assert!(text.contains("respondent: a running number"), "{text}");
    assert!(text.contains("invuldatum: dates"), "{text}");
    assert!(text.contains("missing = [\"999\"]"), "age 999: {text}");
    wd.run(&[
        "report",
        data.to_str().unwrap(),
        "-c",
        "draft.toml",
        "--out",
        "rep",
        "--no-charts",
    ])
    .expect_code(0);
    assert!(wd.path("rep/kan.csv").exists());
    assert!(!wd.path("rep/invuldatum.csv").exists());
}

#[test]
fn drafts_from_comma_separated_files_with_quotes_and_text_codes() {
    let wd = Workdir::new();
    let mut csv = String::from("id,lang,region,score,q_a,q_b,q_c,comment\n");
    for i in 0..120 {
        csv.push_str(&format!(
            "{i},{},\"{}\",{}.5,{},{},{},\"free, text {i}\"\n",
            if i % 3 == 0 { "EN" } else { "NL" },
            ["North, upper", "South"][i % 2],
            i % 9,
            i % 2,
            (i / 2) % 2,
            if i % 7 == 0 { "" } else { "1" }
        ));
    }
    wd.write("d.csv", csv);
    let text = draft(&wd, &["d.csv"]);
    assert!(
        !text.contains("[data]"),
        "comma and point are the defaults: {text}"
    );
    assert!(
        text.contains("name = \"q\"") && text.contains("type = \"multi\""),
        "{text}"
    );
    assert!(
        !text.contains("unselected"),
        "items coded 0/1 keep the default: {text}"
    );
    assert!(text.contains("code = \"North, upper\""), "{text}");
    assert!(
        text.contains("comment: text with more than 30 distinct values"),
        "{text}"
    );
    wd.run(&["crosstab", "d.csv", "-c", "draft.toml", "-t", "q"])
        .expect_code(0);
    wd.run(&[
        "crosstab",
        "d.csv",
        "-c",
        "draft.toml",
        "-t",
        "score",
        "-f",
        "csv",
    ])
    .expect_code(0);
}

/// The fixture's rows as maps from column to value, read independently of enquete.
fn fixture_rows(path: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .unwrap();
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn crosstab_csv(wd: &Workdir, data: &str, table: &str) -> Vec<HashMap<String, String>> {
    let r: Run = wd.run(&[
        "crosstab",
        data,
        "-c",
        "draft.toml",
        "-t",
        table,
        "-f",
        "csv",
    ]);
    r.expect_code(0);
    read_csv_str(&r.stdout())
}

/// The issue's file: `;`-delimited with decimal commas, a free-text column with quoted `;`
/// (and quotes and a line break), age 999, a shuffled respondent number, a date, `weging`, and
/// a select-all question coded 1/empty (some respondents skipped it entirely).
#[test]
fn the_issue_file_runs_as_drafted_with_the_right_tables() {
    let wd = Workdir::new();
    let data = fixture("drafts/resident-survey.csv");
    let rows = fixture_rows(&data);
    assert_eq!(rows.len(), 200);
    let text = draft(&wd, &[&data]);

    // The header is split into its 13 columns, quoted `;` notwithstanding.
    assert!(text.contains("delimiter = \";\"") && text.contains("decimal = \",\""));
    for name in ["geslacht", "leeftijd", "taal", "tevredenheid", "cijfer"] {
        assert!(
            text.contains(&format!("name = \"{name}\"")),
            "{name}: {text}"
        );
    }
    assert!(!text.contains("respnr;"), "{text}");
    assert!(text.contains("opmerking: text with more than 30"), "{text}");
    // Identifier and date are left out, and say so.
    assert!(text.contains("respnr: an identifier"), "{text}");
    assert!(text.contains("invuldatum: dates"), "{text}");
    assert!(!text.contains("rows = \"respnr\"") && !text.contains("rows = \"invuldatum\""));
    // The weight; missing codes standing apart; the select-all question coded 1/empty.
    assert!(text.contains("weight = \"weging\""), "{text}");
    assert!(text.contains("missing = [\"999\"]"), "{text}");
    assert!(
        text.contains("missing = [\"99\"]"),
        "rating 1-10 plus 99: {text}"
    );
    assert!(text.contains("unselected = \"\""), "{text}");
    assert!(text.contains("counts as 'none selected'"), "{text}");

    wd.run(&["crosstab", &data, "-c", "draft.toml", "-t", "respnr"])
        .expect_code(2);
    wd.run(&["crosstab", &data, "-c", "draft.toml", "-t", "invuldatum"])
        .expect_code(2);

    let kan = crosstab_csv(&wd, &data, "kan");
    let weight =
        |r: &HashMap<String, String>| r["weging"].replace(',', ".").parse::<f64>().unwrap();
    let total_w: f64 = rows.iter().map(weight).sum();
    for item in ["kan_telefoon", "kan_email", "kan_balie", "kan_website"] {
        let row = kan
            .iter()
            .find(|r| r["category"] == item && r["by"] == "(all)")
            .unwrap_or_else(|| panic!("{item}"));
        let selected: Vec<&HashMap<String, String>> =
            rows.iter().filter(|r| r[item] == "1").collect();
        let share = selected.iter().map(|r| weight(r)).sum::<f64>() / total_w;
        assert_eq!(
            num(row, "n"),
            Some(200.0),
            "{item}: everyone is in the base"
        );
        assert_eq!(num(row, "count"), Some(selected.len() as f64), "{item}");
        let estimate = num(row, "estimate").unwrap();
        assert!(
            (estimate - share).abs() < 1e-12,
            "{item}: {estimate} vs {share}"
        );
        assert!(estimate < 0.9, "{item}: {estimate}");
    }

    // Age 999 is missing: no age group takes those respondents, 65+ only the real ages.
    let age = |r: &HashMap<String, String>| r["leeftijd"].parse::<f64>().unwrap();
    let unknown = rows.iter().filter(|r| age(r) == 999.0).count();
    assert_eq!(unknown, 15);
    let old = rows
        .iter()
        .filter(|r| (65.0..999.0).contains(&age(r)))
        .count();
    let in_group = |group: &str| {
        kan.iter()
            .find(|r| {
                r["by"] == "leeftijdsgroep" && r["group"] == group && r["category"] == "kan_email"
            })
            .and_then(|r| num(r, "n"))
            .unwrap_or(0.0) as usize
    };
    assert_eq!(in_group("65+"), old);
    let grouped: usize = ["18-29", "30-44", "45-54", "55-64", "65+"]
        .iter()
        .map(|g| in_group(g))
        .sum();
    assert_eq!(grouped, 200 - unknown);

    // The rating's mean leaves 99 (and empty cells) out.
    let cijfer = crosstab_csv(&wd, &data, "cijfer");
    let all = cijfer.iter().find(|r| r["by"] == "(all)").unwrap();
    let valid: Vec<&HashMap<String, String>> = rows
        .iter()
        .filter(|r| !r["cijfer"].is_empty() && r["cijfer"] != "99")
        .collect();
    let mean = valid
        .iter()
        .map(|r| weight(r) * r["cijfer"].parse::<f64>().unwrap())
        .sum::<f64>()
        / valid.iter().map(|r| weight(r)).sum::<f64>();
    assert_eq!(num(all, "n"), Some(valid.len() as f64));
    assert!((num(all, "estimate").unwrap() - mean).abs() < 1e-9);

    wd.run(&[
        "report",
        &data,
        "-c",
        "draft.toml",
        "--out",
        "rep",
        "--no-charts",
    ])
    .expect_code(0);
    assert!(wd.path("rep/kan.csv").exists() && wd.path("rep/cijfer.csv").exists());
    assert!(!wd.path("rep/respnr.csv").exists() && !wd.path("rep/invuldatum.csv").exists());
}

#[test]
fn blank_and_repeated_header_names_get_the_readers_names() {
    let wd = Workdir::new();
    let mut csv = String::from("id,,taal,taal,score,score\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "{i},{},{},{},{},{}\n",
            i % 3,
            ["NL", "EN"][i % 2],
            ["NL", "EN"][(i / 3) % 2],
            i % 5,
            (i * 7) % 11
        ));
    }
    wd.write("h.csv", csv);
    let text = draft(&wd, &["h.csv"]);
    for name in ["column_2", "taal_4", "score_6"] {
        assert!(
            text.contains(&format!("name = \"{name}\"")),
            "{name}: {text}"
        );
    }
    assert!(
        text.contains("column 2 has no name in the header; it is called 'column_2' (check)"),
        "{text}"
    );
    assert!(
        text.contains("column 4 repeats the name 'taal'; it is called 'taal_4' (check)"),
        "{text}"
    );
    assert!(
        text.contains("'score_6' is a name given by position (check)"),
        "{text}"
    );
}

#[test]
fn names_made_up_by_the_draft_clash_with_no_column() {
    let wd = Workdir::new();
    // A column named like the select-all prefix and one named like the age groups.
    let mut csv = String::from("leeftijd;leeftijdsgroep;q;q_a;q_b\n");
    for i in 0..60 {
        csv.push_str(&format!(
            "{};{};{};{};{}\n",
            18 + (i * 7) % 60,
            1 + i % 4,
            ["x", "y"][i % 2],
            i % 2,
            (i / 2) % 2
        ));
    }
    wd.write("n.csv", csv);
    let text = draft(&wd, &["n.csv"]);
    assert!(text.contains("name = \"leeftijdsgroep_2\""), "{text}");
    assert!(text.contains("name = \"q_set\""), "{text}");
    wd.run(&[
        "report",
        "n.csv",
        "-c",
        "draft.toml",
        "--out",
        "rep",
        "--no-charts",
    ])
    .expect_code(0);
}

#[test]
fn weights_named_wf_or_wgt_are_used_when_complete() {
    let wd = Workdir::new();
    let mut csv = String::from("Wgt\tqa\twf\n");
    for i in 0..50 {
        let wf = if i == 7 { String::new() } else { "1.5".into() };
        csv.push_str(&format!("{}.25\t{}\t{wf}\n", 1 + i % 3, i % 4));
    }
    wd.write("w.tsv", csv);
    let text = draft(&wd, &["w.tsv"]);
    assert!(text.contains("weight = \"Wgt\""), "{text}");
    assert!(text.contains("delimiter = \"\\t\""), "{text}");
    wd.write(
        "w2.tsv",
        std::fs::read_to_string(wd.path("w.tsv"))
            .unwrap()
            .replace("Wgt", "x"),
    );
    let text = draft(&wd, &["w2.tsv"]);
    assert!(
        text.contains(
            "named like a weight, but 1 rows have no value: not used as the weight (check)"
        ),
        "{text}"
    );
    assert!(!text.contains("\n[design]"), "{text}");
    wd.run(&["crosstab", "w2.tsv", "-c", "draft.toml", "-t", "qa"])
        .expect_code(0);
}

#[test]
fn delimiter_and_decimal_can_be_given() {
    let wd = Workdir::new();
    // Pipes inside the text make the sniffer prefer '|' ... unless told.
    let mut csv = String::from("a|b:score:note\n");
    for i in 0..30 {
        csv.push_str(&format!("{}:{},5:x|{}|y\n", i % 3, i % 10, i % 4));
    }
    wd.write("c.txt", &csv);
    let text = draft(&wd, &["c.txt", "--delimiter", ":", "--decimal", ","]);
    assert!(text.contains("delimiter = \":\"   # as given"), "{text}");
    assert!(text.contains("decimal = \",\"     # as given"), "{text}");
    assert!(text.contains("name = \"a|b\""), "{text}");
    wd.run(&["crosstab", "c.txt", "-c", "draft.toml", "-t", "score"])
        .expect_code(0);

    let r = wd.run(&["codebook", "c.txt", "--delimiter", ";;"]);
    r.expect_code(2);
    assert!(r.stderr().contains("one character"), "{}", r.describe());
    let r = wd.run(&["codebook", "c.txt", "--decimal", ";"]);
    r.expect_code(2);
    let r = wd.run(&["codebook", "c.txt", "--delimiter", ",", "--decimal", ","]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("also the delimiter"),
        "{}",
        r.describe()
    );
    let sav = fixture("spss/survey.sav");
    let r = wd.run(&["codebook", &sav, "--delimiter", ";"]);
    r.expect_code(2);
    assert!(r.stderr().contains("SPSS"), "{}", r.describe());
}

#[test]
fn the_spss_draft_passes_the_codebook_check() {
    let wd = Workdir::new();
    let text = draft(&wd, &[&fixture("spss/survey.sav")]);
    assert!(text.contains("type = \"multi\""), "{text}");
}

/// A file that is not UTF-8 (what Excel writes) is drafted in Windows-1252, which the draft says
/// (issue 18); its codes are the text as it reads then.
#[test]
fn a_windows_1252_file_is_drafted_with_its_encoding() {
    let wd = Workdir::new();
    wd.write("latin1.csv", b"a;b\n1;caf\xe9\n2;th\xe9\n".as_slice());
    let text = draft(&wd, &["latin1.csv"]);
    assert!(
        text.contains("encoding = \"windows-1252\"  # detected: line 2 is not UTF-8 (check)")
            && text.contains("{ code = \"café\", label = \"café\" }"),
        "{text}"
    );
}

#[test]
fn files_that_cannot_be_drafted_fail_cleanly() {
    let wd = Workdir::new();
    wd.write("empty.csv", "");
    wd.write("header.csv", "a;b\n");
    for (name, expected) in [
        ("empty.csv", "empty"),
        ("header.csv", "no data rows"),
        ("absent.csv", "cannot read"),
    ] {
        let r = wd.run(&["codebook", name]);
        assert_ne!(r.code(), 0, "{}", r.describe());
        assert!(r.stderr().contains(expected), "{}", r.describe());
        assert!(!r.stderr().contains("panicked"), "{}", r.describe());
    }
}

/// `--languages nl,en` (issue 19): every label gets a text per language, the file's text under
/// both keys, and the codebook's `language` is the first; the draft runs in either language.
#[test]
fn a_draft_in_two_languages_runs_in_both() {
    let wd = Workdir::new();
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let data = data.to_str().unwrap();
    let text = draft(&wd, &[data, "--languages", "nl,en"]);
    assert!(text.contains("\nlanguage = \"nl\"\n"), "{text}");
    assert!(text.contains("translate the 'en' texts"), "{text}");
    assert!(
        text.contains("{ column = \"kan_telefoon\", label = { nl = \"kan_telefoon\", en = \"kan_telefoon\" } }"),
        "{text}"
    );
    assert!(
        text.contains("{ label = { nl = \"65+\", en = \"65+\" }, min = 65 }"),
        "{text}"
    );
    // No plain label is left: every `label = ` is followed by a table.
    assert!(
        !text.contains("label = \""),
        "a plain label in a two-language draft: {text}"
    );
    for language in ["nl", "en"] {
        let out = format!("rep-{language}");
        wd.run(&[
            "report",
            data,
            "-c",
            "draft.toml",
            "--language",
            language,
            "--out",
            &out,
        ])
        .expect_code(0);
    }
    // One language: plain labels, that language the codebook's.
    let text = draft(&wd, &[data, "--languages", "en"]);
    assert!(
        text.contains("\nlanguage = \"en\"\n") && !text.contains("nl = "),
        "{text}"
    );
    for (bad, expected) in [
        ("fr", "\"fr\" is not a language"),
        ("nl,nl", "nl given twice"),
    ] {
        let r = wd.run(&["codebook", data, "--languages", bad]);
        r.expect_code(2);
        assert!(r.stderr().contains(expected), "{}", r.describe());
    }
}
