//! Codebook values that a writer would refuse (or that would collide as file names), refused
//! when the codebook is read, naming the key and showing the value; and no escape code from a
//! label reaches the terminal.

use super::common::Workdir;
use super::{codebook, plain_codebook, rows, TABLES};

/// `crosstab` with this codebook: must fail with exit code 2 before writing anything, naming
/// everything in `expected`.
fn refused(codebook: &str, expected: &[&str]) -> String {
    let wd = Workdir::new();
    wd.write("codebook.toml", codebook);
    wd.write("data.csv", rows(50));
    let r = wd.run(&["report", "data.csv", "-c", "codebook.toml", "--out", "rep"]);
    r.expect_code(2);
    let err = r.stderr();
    for e in expected {
        assert!(err.contains(e), "{e:?} not in:\n{err}");
    }
    assert!(!err.contains('\u{1b}') && !err.contains('\u{1}'), "{err:?}");
    assert!(!wd.path("rep").exists());
    err
}

fn with_tables(tables: &str) -> String {
    codebook("Kanaal", "Telefoon", "Nederlands", "Engels", tables)
}

#[test]
fn table_names_that_collide_as_files_are_refused() {
    refused(
        &with_tables("[[tables]]\nname = \"estimates\"\nrows = \"kanaal\"\n"),
        &["table 'estimates'", "estimates.csv", "choose another name"],
    );
    refused(
        &with_tables("[[tables]]\nname = \"Tests\"\nrows = \"kanaal\"\n"),
        &["table 'Tests'", "tests.csv"],
    );
    refused(
        &with_tables(
            "[[tables]]\nname = \"a/b\"\nrows = \"kanaal\"\n[[tables]]\nname = \"a_b\"\nrows = \"oordeel\"\n",
        ),
        &["tables 'a/b' and 'a_b'", "a_b.csv", "rename one"],
    );
    refused(
        &with_tables(
            "[[tables]]\nname = \"Kanaal\"\nrows = \"kanaal\"\n[[tables]]\nname = \"kanaal\"\nrows = \"oordeel\"\n",
        ),
        &["tables 'Kanaal' and 'kanaal'"],
    );
    refused(
        &with_tables("[[tables]]\nname = \"\"\nrows = \"kanaal\"\n"),
        &["[[tables]] number 1", "key 'name' is empty"],
    );
    refused(
        &with_tables("[[tables]]\nname = \"nul\"\nrows = \"kanaal\"\n"),
        &["device name on Windows"],
    );
    let long = "t".repeat(230);
    refused(
        &with_tables(&format!(
            "[[tables]]\nname = \"{long}\"\nrows = \"kanaal\"\n"
        )),
        &["bytes; at most 200"],
    );
    // A name with a slash stays inside the folder, as a_b.csv.
    let wd = Workdir::new();
    wd.write(
        "codebook.toml",
        with_tables("[[tables]]\nname = \"../a/b\"\nrows = \"kanaal\"\n"),
    );
    wd.write("data.csv", rows(100));
    wd.run(&["report", "data.csv", "-c", "codebook.toml", "--out", "rep"])
        .expect_code(0);
    assert!(wd.path("rep/___a_b.csv").exists());
    assert!(!wd.path("a").exists() && !wd.path("b.csv").exists());
}

#[test]
fn labels_writers_cannot_hold_are_refused_naming_the_key() {
    let long = "x".repeat(40_000);
    refused(
        &codebook(&long, "Telefoon", "Nederlands", "Engels", TABLES),
        &[
            "variable 'kanaal'",
            "key 'label'",
            "40000 characters",
            "at most 4000",
        ],
    );
    refused(
        &codebook("Kanaal", "Tele\u{1}foon", "Nederlands", "Engels", TABLES),
        &[
            "variable 'kanaal', item 'k_tel'",
            "key 'label'",
            "\"Tele\\u{1}foon\"",
            "U+0001",
        ],
    );
    refused(
        &codebook("Kanaal", "Telefoon", "Neder\nlands", "Engels", TABLES),
        &["variable 'taal', value 'NL'", "key 'label'", "U+000A"],
    );
    let title = plain_codebook().replace("title = \"Test\"", "title = \"a\\tb\"");
    refused(&title, &["top level", "key 'title'", "U+0009"]);
}

#[test]
fn nan_bounds_are_refused() {
    let numeric = "[[variables]]\nname = \"leeftijd\"\ntype = \"numeric\"\nmin = nan\n";
    refused(
        &(plain_codebook() + numeric),
        &[
            "variable 'leeftijd'",
            "key 'min' = nan",
            "leave the key out",
        ],
    );
    let bins = "[[variables]]\nname = \"leeftijd\"\ntype = \"numeric\"\n\
                [[variables]]\nname = \"groep\"\ntype = \"bins\"\nfrom = \"leeftijd\"\n\
                bins = [ { label = \"jong\", min = 0, max = nan } ]\n";
    refused(
        &(plain_codebook() + bins),
        &["variable 'groep', bin 'jong'", "key 'max' = nan"],
    );
}

#[test]
fn column_names_no_header_can_hold_are_refused() {
    // Found by the fuzz campaign: `id = "\u{feff}"` passed the check and matched nothing.
    refused(
        &plain_codebook().replace("title = \"Test\"", "title = \"Test\"\nid = \"\u{feff}id\""),
        &["id", "byte order mark (U+FEFF)", "remove it"],
    );
    refused(
        &plain_codebook().replace("column = \"k_mail\"", "column = \" \""),
        &["item of variable 'kanaal'", "column \" \"", "white space"],
    );
    refused(
        &plain_codebook().replace("column = \"k_mail\"", "column = \"k_mail \""),
        &["column \"k_mail \"", "read trimmed"],
    );
    refused(
        &plain_codebook().replace("weight = \"w\"", "weight = \"w\\u0007\""),
        &["[design]", "key 'weight'", "control character U+0007"],
    );
}

#[test]
fn crosstab_prints_no_escape_code_from_a_label() {
    let wd = Workdir::new();
    wd.write(
        "codebook.toml",
        codebook(
            "\u{1b}[31mKanaal",
            "Telefoon",
            "Nederlands",
            "Engels",
            TABLES,
        ),
    );
    wd.write("data.csv", rows(100));
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
    ]);
    r.expect_code(2);
    let (out, err) = (r.stdout(), r.stderr());
    assert!(
        !out.contains('\u{1b}') && !err.contains('\u{1b}'),
        "{err:?}"
    );
    assert!(err.contains("key 'label'") && err.contains("\\u{1b}[31mKanaal"));
    // A raw escape byte in the file is a TOML error; its message, which quotes the line,
    // reaches the terminal without it.
    let raw = codebook("Kanaal", "Telefoon", "Nederlands", "Engels", TABLES)
        .replace("title = \"Test\"", "title = \"\u{1b}[31mTest\"");
    wd.write("codebook.toml", raw);
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
    ]);
    r.expect_code(2);
    assert!(!r.stderr().contains('\u{1b}'), "{:?}", r.stderr());
}
