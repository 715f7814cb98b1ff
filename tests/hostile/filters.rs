//! Filters: deep and long expressions refused instead of overflowing the stack, long code lists
//! looked up in a set, codes escaped in messages, filters on absent columns.

use super::{crosstab_csv, rows, small_codebook, small_csv, with_files};
use crate::common::Workdir;

#[test]
fn deep_and_long_filters_are_refused_not_a_stack_overflow() {
    // Each of these ended with exit code 134 (stack overflow) in crosstab and validate.
    let cases = [
        (
            format!("{}leeftijd > 1{}", "(".repeat(8_700), ")".repeat(8_700)),
            "nested more than 24 levels",
        ),
        (
            format!("{}leeftijd > 1", "not ".repeat(15_900)),
            "nested more than 24 levels",
        ),
        (
            vec!["leeftijd > 1"; 32_700].join(" and "),
            "more than 1000 tests",
        ),
        (
            vec!["leeftijd > 1"; 32_700].join(" or "),
            "more than 1000 tests",
        ),
    ];
    for (filter, why) in cases {
        let wd = with_files(&small_csv(50), &small_codebook(Some(&filter), ""));
        for args in [
            &["crosstab", "data.csv", "-c", "codebook.toml", "-t", "t"][..],
            &["validate", "data.csv", "-c", "codebook.toml"][..],
        ] {
            let r = wd.run(args);
            r.expect_code(2);
            assert!(
                r.stderr().contains("filter") && r.stderr().contains(why),
                "{}",
                r.describe()
            );
            assert!(r.stderr().len() < 2_000, "the filter is shown shortened");
        }
    }
}

#[test]
fn filters_at_the_limits_still_work() {
    let deep = format!("{}leeftijd >= 30{}", "(".repeat(24), ")".repeat(24));
    let chain = vec!["leeftijd >= 30"; 1_000].join(" and ");
    for filter in [deep, chain] {
        let wd = with_files(&small_csv(100), &small_codebook(Some(&filter), ""));
        let r = crosstab_csv(&wd, "t", &[]);
        r.expect_code(0);
        let total = rows(&r.stdout())
            .into_iter()
            .find(|row| row["by"] == "(all)")
            .unwrap();
        // Ages 18..87 cycling: 100 rows, of which those aged 18–29 are left out.
        let expected = (0..100).filter(|i| 18 + i % 70 >= 30).count();
        assert_eq!(total["n"], expected.to_string(), "{}", r.describe());
    }
}

#[test]
fn a_long_in_list_is_a_set() {
    // 99,999 codes; the filter lists every even one. An `in` list of 10⁶ entries was scanned per
    // row (33 s on 200k rows) and compiled in quadratic time.
    let codes: Vec<String> = (0..99_999)
        .map(|i| format!("{{ code = \"{i}\" }}"))
        .collect();
    let listed: Vec<String> = (0..99_999).step_by(2).map(|i| format!("\"{i}\"")).collect();
    let codebook = format!(
        "filter = '''c in [{}]'''\n[[variables]]\nname = \"c\"\ntype = \"categorical\"\nvalues = [{}]\n\
         [[variables]]\nname = \"y\"\ntype = \"numeric\"\n[[tables]]\nname = \"t\"\nrows = \"y\"\n",
        listed.join(", "),
        codes.join(", ")
    );
    let mut data = String::from("c,y\n");
    for i in 0..2_000 {
        data.push_str(&format!("{},{}\n", (i * 7919) % 99_999, i % 10));
    }
    let wd = with_files(&data, &codebook);
    let start = std::time::Instant::now();
    let r = crosstab_csv(&wd, "t", &[]);
    r.expect_code(0);
    let expected = (0..2_000)
        .filter(|i| ((i * 7919) % 99_999) % 2 == 0)
        .count();
    assert_eq!(rows(&r.stdout())[0]["n"], expected.to_string());
    assert!(
        start.elapsed().as_secs() < 120,
        "reading and filtering stay linear: {:?}",
        start.elapsed()
    );
}

#[test]
fn codes_with_bidirectional_overrides_are_escaped_in_messages() {
    // U+202E reached the terminal raw in the second half of the message.
    for filter in ["taal == \"N\u{202e}L\"", "ta\u{202e}al == \"NL\""] {
        let wd = with_files(&small_csv(10), &small_codebook(Some(filter), ""));
        let r = wd.run(&["validate", "data.csv", "-c", "codebook.toml"]);
        r.expect_code(2);
        let e = r.stderr();
        assert!(!e.contains('\u{202e}') && e.contains("\\u{202e}"), "{e}");
    }
}

/// The data without its `info` column.
fn without_info(n: usize) -> String {
    small_csv(n)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{},{},{}\n", f[0], f[1], f[2], f[3], f[5])
        })
        .collect()
}

#[test]
fn a_table_filter_on_an_absent_column_makes_the_table_not_asked() {
    // It gave n = 0 for `info == "1"` and no filter at all for `not (info == "1")`.
    for filter in ["info == \"1\"", "not (info == \"1\")"] {
        let table = format!(
            "[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [\"taal\"]\nfilter = '{filter}'\n\
             [[tables]]\nname = \"u\"\nrows = \"y\"\n"
        );
        let wd = with_files(&without_info(60), &small_codebook(None, &table));
        let r = crosstab_csv(&wd, "t", &["--allow-absent"]);
        r.expect_code(0);
        for row in rows(&r.stdout()) {
            assert_eq!(row["n"], "0", "{}", r.describe());
            assert!(
                row["note"].contains("filter reads 'info'") && row["note"].contains("absent"),
                "{row:?}"
            );
        }
        // The other table is unaffected.
        let r = crosstab_csv(&wd, "u", &["--allow-absent"]);
        r.expect_code(0);
        assert_eq!(rows(&r.stdout())[0]["n"], "60");
        // Without --allow-absent the absent column is an error, as before.
        let r = wd.run(&["crosstab", "data.csv", "-c", "codebook.toml", "-t", "t"]);
        r.expect_code(2);
    }
}

#[test]
fn the_codebook_filter_on_an_absent_column_is_an_error() {
    let wd = with_files(
        &without_info(60),
        &small_codebook(Some("info == \"1\""), ""),
    );
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "t",
        "--allow-absent",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("codebook's filter reads 'info'"),
        "{}",
        r.describe()
    );
}

#[test]
fn a_batch_year_without_the_filter_column_has_the_table_not_asked() {
    let wd = Workdir::new();
    wd.write("2021.csv", without_info(60));
    wd.write("2023.csv", small_csv(60));
    let table = "[[tables]]\nname = \"t\"\nrows = \"y\"\nfilter = 'info == \"1\"'\n";
    wd.write("codebook.toml", small_codebook(None, table));
    wd.write(
        "project.toml",
        "title = \"p\"\ncodebook = \"codebook.toml\"\n[[survey]]\nyear = 2021\ndata = \"2021.csv\"\n\
         [[survey]]\nyear = 2023\ndata = \"2023.csv\"\n",
    );
    let r = wd.run(&["batch", "project.toml", "--out", "out", "--no-progress"]);
    r.expect_code(0);
    let trends = std::fs::read_to_string(wd.path("out/trends.csv")).unwrap();
    let rows = rows(&trends);
    let y2021 = rows.iter().find(|r| r["year"] == "2021").unwrap();
    assert!(y2021["note"].contains("filter reads 'info'"), "{y2021:?}");
    let y2023 = rows.iter().find(|r| r["year"] == "2023").unwrap();
    assert_eq!(y2023["n"], "30", "{y2023:?}");
}
