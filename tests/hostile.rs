//! The second hostile campaign (issue 21), one test per case, on the real binary: nothing aborts
//! (deep filters, crossings of huge products, ZIP bombs), nothing runs away (tiny epsilons, long
//! code lists, `/dev/zero` as a population or project file), nothing is lost or wrong (inputs
//! inside the output folder, damaged Parquet pages, filters on absent columns, formulas without
//! values), nothing unsafe is written (a hard link at the lock, bidirectional overrides on the
//! terminal), and messages say what the file says (exponents, decimal commas).

mod common;

use common::{read_csv_str, Workdir};

#[path = "hostile/filters.rs"]
mod filters;
#[path = "hostile/inputs.rs"]
mod inputs;
#[path = "hostile/outputs.rs"]
mod outputs;
#[path = "hostile/sizes.rs"]
mod sizes;

/// A small survey: leeftijd, taal (NL/EN), wijk (1-3), info (1/2), y (0-4), `n` rows.
pub fn small_csv(n: usize) -> String {
    let mut s = String::from("id,leeftijd,taal,wijk,info,y\n");
    for i in 0..n {
        s.push_str(&format!(
            "{},{},{},{},{},{}\n",
            i + 1,
            18 + i % 70,
            if i % 3 == 0 { "EN" } else { "NL" },
            1 + i % 3,
            1 + i % 2,
            i % 5
        ));
    }
    s
}

/// Its codebook, with a top-level `filter` (TOML literal string) and `extra` variables/tables.
pub fn small_codebook(filter: Option<&str>, extra: &str) -> String {
    let mut s = String::new();
    if let Some(f) = filter {
        s.push_str(&format!("filter = '''{f}'''\n"));
    }
    s.push_str(
        r#"
[[variables]]
name = "leeftijd"
type = "numeric"
[[variables]]
name = "taal"
type = "categorical"
values = [ { code = "NL" }, { code = "EN" } ]
[[variables]]
name = "wijk"
type = "categorical"
values = [ { code = "1" }, { code = "2" }, { code = "3" } ]
[[variables]]
name = "info"
type = "categorical"
values = [ { code = "1" }, { code = "2" } ]
[[variables]]
name = "y"
type = "numeric"
"#,
    );
    s.push_str(extra);
    if !extra.contains("[[tables]]") {
        s.push_str("[[tables]]\nname = \"t\"\nrows = \"info\"\nby = [\"taal\"]\n");
    }
    s
}

/// The rows of a tidy CSV output.
pub fn rows(text: &str) -> Vec<common::Row> {
    read_csv_str(text)
}

/// `crosstab data.csv -c codebook.toml -t TABLE -f csv EXTRA…` in `wd` (a folder from
/// [`with_files`]).
pub fn crosstab_csv(wd: &Workdir, table: &str, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        table,
        "-f",
        "csv",
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

/// Run in a fresh folder holding `data.csv` and `codebook.toml`.
pub fn with_files(data: &str, codebook: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write("data.csv", data);
    wd.write("codebook.toml", codebook);
    wd
}
