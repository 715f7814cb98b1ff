//! External benchmarks (`benchmark = "FILE"`): figures from elsewhere (the national average,
//! municipalities of similar size) that a table's estimates are tested against. The file has a
//! header and one row per figure: `table;category;value`, optionally `se` (the benchmark's own
//! standard error, for an independent survey) and `variable` (the statement of a battery).
//! The category is empty for a mean; a code, bin label, item column or NET key (`1+2`)
//! otherwise. Values are on the scale of estimates.csv: a proportion between 0 and 1.

use super::error::CbResult;
use super::sidefile::SideFile;
use super::{Table, Variable};
use std::path::Path;

/// One benchmark figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Benchmark {
    /// Index into `Codebook::tables`.
    pub table: usize,
    /// The variable estimated (a battery's statement, else the table's rows variable).
    pub variable: usize,
    /// The category as estimates.csv writes it (empty for a mean).
    pub category: String,
    pub value: f64,
    /// The benchmark's own standard error (0 when not given).
    pub se: f64,
    /// Whether `se` was given.
    pub has_se: bool,
}

const COLUMNS: [&str; 5] = ["table", "variable", "category", "value", "se"];

/// Read and check the benchmark file.
pub(super) fn benchmarks(
    path: &Path,
    delimiter: u8,
    decimal: u8,
    tables: &[Table],
    variables: &[Variable],
) -> CbResult<Vec<Benchmark>> {
    let file = SideFile::read(
        path,
        "benchmark",
        delimiter,
        decimal,
        &COLUMNS,
        &["table", "category", "value"],
    )?;
    let mut out: Vec<Benchmark> = Vec::new();
    for (line, cells) in &file.rows {
        let line = *line;
        let name = file.cell(cells, "table");
        let t = tables.iter().position(|t| t.name == name).ok_or_else(|| {
            file.at(
                line,
                format!("table {name:?} is not a table of the codebook"),
            )
        })?;
        let table = &tables[t];
        let variable = statement(&file, line, file.cell(cells, "variable"), table, variables)?;
        let var = &variables[variable];
        let category = file.cell(cells, "category").to_string();
        check_category(&file, line, &category, table, var)?;
        let raw = file.cell(cells, "value");
        let value = file.number(line, "value", raw)?;
        if !var.is_numeric() && !(0.0..=1.0).contains(&value) {
            return Err(file.at(
                line,
                format!(
                    "value {raw:?}: a proportion between 0 and 1, as in estimates.csv (write 0.62 for 62%)"
                ),
            ));
        }
        let raw_se = file.cell(cells, "se");
        let se = if raw_se.is_empty() {
            None
        } else {
            Some(file.number(line, "se", raw_se)?)
        };
        if se.is_some_and(|s| !(s >= 0.0)) {
            return Err(file.at(
                line,
                format!("se {raw_se:?}: expected a number of at least 0"),
            ));
        }
        if out
            .iter()
            .any(|b| b.table == t && b.variable == variable && b.category == category)
        {
            return Err(file.at(
                line,
                format!(
                    "a second benchmark for table '{name}', variable '{}', category {category:?}",
                    var.name
                ),
            ));
        }
        out.push(Benchmark {
            table: t,
            variable,
            category,
            value,
            se: se.unwrap_or(0.0),
            has_se: se.is_some(),
        });
    }
    Ok(out)
}

/// The variable a row names: a battery's statement (required there), else the rows variable.
fn statement(
    file: &SideFile,
    line: usize,
    name: &str,
    table: &Table,
    variables: &[Variable],
) -> CbResult<usize> {
    if table.is_battery() {
        return table
            .items
            .iter()
            .copied()
            .find(|&i| variables[i].name == name)
            .ok_or_else(|| {
                file.at(
                    line,
                    format!(
                        "variable {name:?}: table '{}' is a battery; name one of its statements ({})",
                        table.name,
                        table
                            .items
                            .iter()
                            .map(|&i| variables[i].name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            });
    }
    if !name.is_empty() && name != variables[table.rows].name {
        return Err(file.at(
            line,
            format!(
                "variable {name:?}: table '{}' estimates '{}' (leave the column empty)",
                table.name, variables[table.rows].name
            ),
        ));
    }
    Ok(table.rows)
}

/// The category must be one the table estimates.
fn check_category(
    file: &SideFile,
    line: usize,
    category: &str,
    table: &Table,
    var: &Variable,
) -> CbResult<()> {
    let mut known: Vec<String> = var.categories().into_iter().map(|c| c.key).collect();
    known.extend(table.nets.iter().map(|n| n.key.clone()));
    if known.iter().any(|k| k == category) {
        return Ok(());
    }
    Err(file.at(
        line,
        if var.is_numeric() {
            format!(
                "category {category:?}: table '{}' estimates the mean of '{}'; leave the category empty",
                table.name, var.name
            )
        } else {
            format!(
                "category {category:?} is not a category of table '{}' (categories: {})",
                table.name,
                known.join(", ")
            )
        },
    ))
}

#[cfg(test)]
mod tests {
    use crate::codebook::Codebook;

    const CODEBOOK: &str = r#"
benchmark = "benchmark.csv"
[data]
delimiter = ";"
decimal = ","
[[variables]]
name = "cijfer"
type = "numeric"
[[variables]]
name = "st_1"
type = "categorical"
values = [ { code = "1" }, { code = "2" }, { code = "3" } ]
[[variables]]
name = "st_2"
type = "categorical"
values = [ { code = "1" }, { code = "2" }, { code = "3" } ]
[[tables]]
name = "cijfer"
rows = "cijfer"
[[tables]]
name = "st"
rows = ["st_1", "st_2"]
nets = [ { label = "eens", codes = ["1", "2"] } ]
"#;

    fn with(file: &str) -> Result<Codebook, String> {
        let dir = std::env::temp_dir().join(format!(
            "enquete-benchmark-{}-{}",
            std::process::id(),
            file.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("benchmark.csv"), file).unwrap();
        let r = Codebook::parse_at(CODEBOOK, &[], &dir).map_err(|e| e.to_string());
        std::fs::remove_dir_all(&dir).ok();
        r
    }

    #[test]
    fn benchmarks_are_read_with_the_codebooks_decimal_mark() {
        let cb = with("table;variable;category;value;se\ncijfer;;;7,1;0,03\nst;st_2;1+2;0,52;\n")
            .unwrap();
        assert_eq!(cb.benchmarks.len(), 2);
        assert_eq!(cb.benchmarks[0].value, 7.1);
        assert!(cb.benchmarks[0].has_se && cb.benchmarks[0].se == 0.03);
        assert_eq!(cb.benchmarks[1].variable, 2);
        assert_eq!(cb.benchmarks[1].category, "1+2");
        assert!(!cb.benchmarks[1].has_se);
    }

    #[test]
    fn bad_benchmark_rows_are_refused_with_file_and_line() {
        let cases = [
            (
                "table;category;value\nnope;;7\n",
                ":2",
                "table \"nope\" is not a table",
            ),
            (
                "table;category;value\ncijfer;1;7\n",
                ":2",
                "leave the category empty",
            ),
            (
                "table;variable;category;value\nst;st_1;4;0,5\n",
                ":2",
                "category \"4\" is not a category",
            ),
            (
                "table;variable;category;value\nst;;1;0,5\n",
                ":2",
                "is a battery",
            ),
            (
                "table;variable;category;value\nst;st_1;1;62\n",
                ":2",
                "between 0 and 1",
            ),
            (
                "table;category;value\ncijfer;;zeven\n",
                ":2",
                "value \"zeven\"",
            ),
            ("table;category;value;se\ncijfer;;7;-1\n", ":2", "se \"-1\""),
            (
                "table;category;value\ncijfer;;7\ncijfer;;7,5\n",
                ":3",
                "a second benchmark",
            ),
            (
                "table;category;waarde\ncijfer;;7\n",
                ":1",
                "unknown column 'waarde'",
            ),
            (
                "table;value\ncijfer;7\n",
                ":1",
                "lacks the column 'category'",
            ),
        ];
        for (file, line, expected) in cases {
            let e = with(file).unwrap_err();
            assert!(e.contains(line) && e.contains(expected), "{file}\n→ {e}");
        }
    }
}
