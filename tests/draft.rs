//! `enquete codebook`: drafted codebooks run as they are.

mod common;

use common::{repo, Workdir};

#[test]
fn drafted_codebook_of_the_sample_runs_every_table() {
    let wd = Workdir::new();
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let r = wd.run(&["codebook", data.to_str().unwrap(), "-o", "draft.toml"]);
    r.expect_code(0);
    let text = std::fs::read_to_string(wd.path("draft.toml")).unwrap();
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
    wd.run(&[
        "report",
        data.to_str().unwrap(),
        "-c",
        "draft.toml",
        "--out",
        "rep",
    ])
    .expect_code(0);
    assert!(wd.path("rep/kan.csv").exists());
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
    let r = wd.run(&["codebook", "d.csv"]);
    r.expect_code(0);
    let text = r.stdout();
    assert!(
        !text.contains("[data]"),
        "comma and point are the defaults: {text}"
    );
    assert!(
        text.contains("name = \"q\"") && text.contains("type = \"multi\""),
        "{text}"
    );
    assert!(text.contains("code = \"North, upper\""), "{text}");
    assert!(
        text.contains("comment: text with more than 30 distinct values"),
        "{text}"
    );
    wd.write("draft.toml", &text);
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
