//! What a codebook may ask of a run: crossings, categories, table sizes, calibration settings,
//! population and project files; and the sparse joint groups of crossed breakdowns.

use super::{crosstab_csv, rows, small_codebook, small_csv, with_files};
use crate::common::{num, Workdir};

/// A categorical variable `name` with codes 1..=k.
fn categorical(name: &str, k: usize) -> String {
    let values: Vec<String> = (1..=k).map(|i| format!("{{ code = \"{i}\" }}")).collect();
    format!(
        "[[variables]]\nname = \"{name}\"\ntype = \"categorical\"\nvalues = [{}]\n",
        values.join(", ")
    )
}

#[test]
fn a_crossing_of_a_huge_product_is_refused_at_once() {
    // 200 × 200 × 50 × 200 on a two-row file allocated 149 GB (exit 134).
    let mut cb = String::new();
    for (name, k) in [("a", 200), ("b", 200), ("c", 50), ("d", 200), ("y", 5)] {
        cb.push_str(&categorical(name, k));
    }
    cb.push_str("[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [[\"a\", \"b\", \"c\", \"d\"]]\n");
    let wd = with_files("a,b,c,d,y\n1,1,1,1,1\n2,2,2,2,2\n", &cb);
    let r = wd.run(&["crosstab", "data.csv", "-c", "codebook.toml", "-t", "t"]);
    r.expect_code(2);
    let e = r.stderr();
    assert!(
        e.contains("table 't'") && e.contains("key 'by'") && e.contains("200 × 200 × 50 × 200"),
        "{e}"
    );
}

#[test]
fn empty_joint_groups_are_left_out_and_the_rest_is_unchanged() {
    // 20 × 20 × 10 possible joint groups on 300 rows: 4,000 groups were written, 3,714 of
    // them empty (docs/codebook.md promises they are left out).
    let mut cb = String::new();
    for (name, k) in [("a", 20), ("b", 20), ("c", 10), ("y", 5)] {
        cb.push_str(&categorical(name, k));
    }
    cb.push_str("[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [\"a\", [\"a\", \"b\", \"c\"]]\n");
    let mut data = String::from("a,b,c,y\n");
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..300u64 {
        let (a, b, c) = (1 + i * 7 % 20, 1 + i * 13 % 20, 1 + i * 3 % 10);
        seen.insert(format!("{a} × {b} × {c}"));
        data.push_str(&format!("{a},{b},{c},{}\n", 1 + i % 5));
    }
    let wd = with_files(&data, &cb);
    let r = crosstab_csv(&wd, "t", &[]);
    r.expect_code(0);
    let out = rows(&r.stdout());
    let crossed: Vec<_> = out.iter().filter(|r| r["by"] == "a × b × c").collect();
    let groups: std::collections::BTreeSet<String> =
        crossed.iter().map(|r| r["group"].clone()).collect();
    assert_eq!(groups, seen, "exactly the joint groups with respondents");
    assert!(crossed.iter().all(|r| r["n"] != "0"));
    // The single breakdown keeps all its groups, and every group's base adds up.
    assert_eq!(out.iter().filter(|r| r["by"] == "a").count(), 20 * 5);
    let n_crossed: f64 = crossed
        .iter()
        .filter(|r| r["category"] == "1")
        .map(|r| num(r, "n").unwrap())
        .sum();
    assert_eq!(n_crossed, 300.0);
    // Against the total: one comparison per joint group and category, none for empty ones.
    let r = wd.run(&[
        "compare",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "t",
        "--between",
        "a",
        "--against",
        "total",
        "-f",
        "csv",
    ]);
    r.expect_code(0);
}

#[test]
fn a_table_whose_sums_would_not_fit_is_refused_naming_it() {
    // 1,000 categories (4,000 sums per group with rows) on a design of 600 PSUs, every row in a
    // group of its own: 1,800 (PSU, group) pairs with rows, 58 MB of sums, past what a pass may
    // hold (1 GiB; here set to 16 MiB, so that the test does not take a gigabyte itself).
    let mut cb = String::from("[design]\ncluster = \"p\"\n");
    cb.push_str(&categorical("g", 999));
    cb.push_str(&categorical("y", 1_000));
    cb.push_str("[[tables]]\nname = \"big\"\nrows = \"y\"\nby = [\"g\"]\n");
    let mut data = String::from("p,g,y\n");
    for i in 0..1_200 {
        data.push_str(&format!("{},{},{}\n", i / 2, 1 + i % 999, 1 + i % 1_000));
    }
    let wd = with_files(&data, &cb);
    let r = wd.run_env(
        &["crosstab", "data.csv", "-c", "codebook.toml", "-t", "big"],
        &[("ENQUETE_MAX_SUMS_MIB", "16")],
    );
    r.expect_code(2);
    assert!(
        r.stderr().contains("more than 16 MiB") && r.stderr().contains("'big'"),
        "{}",
        r.describe()
    );
}

#[test]
fn too_many_categories_or_figures_are_refused() {
    let cb = format!(
        "{}[[tables]]\nname = \"t\"\nrows = \"c\"\n",
        categorical("c", 100_001)
    );
    let wd = with_files("c\n1\n", &cb);
    let r = wd.run(&["validate", "data.csv", "-c", "codebook.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("key 'values' has 100,001 entries"),
        "{}",
        r.describe()
    );
    let cb = format!(
        "{}{}[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [\"g\"]\n",
        categorical("g", 20_000),
        categorical("y", 60)
    );
    let wd = with_files("g,y\n1,1\n", &cb);
    let r = wd.run(&["validate", "data.csv", "-c", "codebook.toml"]);
    r.expect_code(2);
    assert!(r.stderr().contains("figures"), "{}", r.describe());
}

#[test]
fn a_codebook_of_a_hundred_thousand_codes_and_their_recode_reads_in_linear_time() {
    // 10⁵ codes took 41 s to read, a recode of them 38 s (quadratic checks).
    let codes: Vec<String> = (0..100_000)
        .map(|i| format!("{{ code = \"{i}\" }}"))
        .collect();
    let even: Vec<String> = (0..100_000)
        .step_by(2)
        .map(|i| format!("\"{i}\""))
        .collect();
    let odd: Vec<String> = (1..100_000)
        .step_by(2)
        .map(|i| format!("\"{i}\""))
        .collect();
    let cb = format!(
        "[[variables]]\nname = \"c\"\ntype = \"categorical\"\nvalues = [{}]\n\
         [[variables]]\nname = \"r\"\ntype = \"recode\"\nfrom = \"c\"\nvalues = [\n\
         {{ codes = [{}], code = \"even\" }},\n{{ codes = [{}], code = \"odd\" }},\n]\n\
         [[tables]]\nname = \"t\"\nrows = \"r\"\n",
        codes.join(", "),
        even.join(", "),
        odd.join(", ")
    );
    let wd = with_files("c\n1\n2\n99998\n", &cb);
    let start = std::time::Instant::now();
    let r = crosstab_csv(&wd, "t", &[]);
    r.expect_code(0);
    let out = rows(&r.stdout());
    assert_eq!(out[0]["count"], "2", "even: 2 and 99998");
    assert!(start.elapsed().as_secs() < 120, "{:?}", start.elapsed());
}

/// The small codebook with a `[weighting]` section and its margins file.
fn weighted(wd: &Workdir, settings: &str) {
    wd.write("data.csv", small_csv(90));
    wd.write(
        "margins.csv",
        "variable,code,count\nwijk,1,300\nwijk,2,300\nwijk,3,300\n",
    );
    let weighting = format!(
        "[weighting]\nmethod = \"rake\"\nmargins = \"margins.csv\"\nvariables = [\"wijk\"]\n{settings}\n"
    );
    wd.write(
        "codebook.toml",
        format!("{weighting}{}", small_codebook(None, "")),
    );
}

#[test]
fn calibration_settings_that_would_run_for_days_are_refused() {
    // epsilon = 5e-324 with 4,294,967,295 iterations was accepted (about four days).
    for (settings, key) in [
        ("epsilon = 5e-324\nmax_iterations = 100", "epsilon"),
        (
            "epsilon = 1e-10\nmax_iterations = 4294967295",
            "max_iterations",
        ),
        ("epsilon = 1e-16", "epsilon"),
    ] {
        let wd = Workdir::new();
        weighted(&wd, settings);
        let r = wd.run(&["validate", "data.csv", "-c", "codebook.toml"]);
        r.expect_code(2);
        assert!(
            r.stderr().contains(&format!("key '{key}'")),
            "{}",
            r.describe()
        );
    }
    let wd = Workdir::new();
    weighted(&wd, "epsilon = 1e-15\nmax_iterations = 10000");
    wd.run(&["crosstab", "data.csv", "-c", "codebook.toml", "-t", "t"])
        .expect_code(0);
}

#[test]
#[cfg(unix)]
fn population_and_project_files_at_dev_zero_are_refused_at_once() {
    // Both were read to 2.1 GB before failing.
    let wd = Workdir::new();
    weighted(&wd, "");
    let cb = std::fs::read_to_string(wd.path("codebook.toml"))
        .unwrap()
        .replace("margins.csv", "/dev/zero");
    wd.write("codebook.toml", cb);
    let start = std::time::Instant::now();
    let r = wd.run(&["validate", "data.csv", "-c", "codebook.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("larger than 16 MiB"),
        "{}",
        r.describe()
    );
    let r = wd.run(&["batch", "/dev/zero", "--out", "out"]);
    r.expect_code(2);
    assert!(r.stderr().contains("larger than 1 MiB"), "{}", r.describe());
    assert!(start.elapsed().as_secs() < 30);
}

#[test]
fn a_codebook_of_fifty_thousand_tables_reads_in_linear_time() {
    // A draft of a 60,000-column file has a variable and a table per column: each table's rows
    // variable was searched by name through every variable, and reading it back took 34 s
    // (15,000: 1.2 s; 30,000: 6.9 s).
    let n = 50_000;
    let mut cb = String::with_capacity(n * 120);
    for i in 0..n {
        cb.push_str(&format!(
            "[[variables]]\nname = \"v{i}\"\ntype = \"categorical\"\nvalues = [{{ code = \"1\" }}, {{ code = \"2\" }}]\n"
        ));
    }
    for i in 0..n {
        cb.push_str(&format!("[[tables]]\nname = \"t{i}\"\nrows = \"v{i}\"\n"));
    }
    let header: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
    let row: Vec<&str> = (0..n).map(|i| if i % 2 == 0 { "1" } else { "2" }).collect();
    let data = format!("{}\n{}\n", header.join(","), row.join(","));
    let wd = with_files(&data, &cb);
    let start = std::time::Instant::now();
    wd.run(&["validate", "data.csv", "-c", "codebook.toml"])
        .expect_code(0);
    // 2.3 s in a debug build; 27 s with the search per table.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}
