//! The gross sample (`[response] invited = "FILE"`): how many residents were invited per
//! stratum or district (`variable;code;invited`), so that the report can give response rates.
//! The variable is a grouping variable of the codebook and every code one of its codes.

use super::error::CbResult;
use super::sidefile::SideFile;
use super::Variable;
use std::path::{Path, PathBuf};

/// The `[response]` section, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub file: PathBuf,
    pub invited: Vec<Invited>,
}

/// The residents invited in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Invited {
    /// Index into `Codebook::variables`.
    pub variable: usize,
    /// The group's position among the variable's groups.
    pub level: usize,
    pub invited: f64,
}

impl Response {
    /// The variables the file names, in order of first appearance.
    pub fn variables(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for i in &self.invited {
            if !out.contains(&i.variable) {
                out.push(i.variable);
            }
        }
        out
    }
}

impl super::Codebook {
    /// Take the gross sample from another file (a batch year's own), checked as the codebook's
    /// own would be.
    pub fn set_invited(&mut self, file: &Path) -> CbResult<()> {
        if self.response.is_none() {
            return Err(super::error::CodebookError::invalid(
                file.display().to_string(),
                "a gross sample for response rates, but the codebook has no [response] section",
            ));
        }
        let r = response(
            file,
            self.format.delimiter,
            self.format.decimal,
            &self.variables,
        )?;
        self.response = Some(r);
        Ok(())
    }
}

pub(super) fn response(
    path: &Path,
    delimiter: u8,
    decimal: u8,
    variables: &[Variable],
) -> CbResult<Response> {
    let file = SideFile::read(
        path,
        "[response] invited",
        delimiter,
        decimal,
        &["variable", "code", "invited"],
        &["variable", "code", "invited"],
    )?;
    let mut invited: Vec<Invited> = Vec::new();
    for (line, cells) in &file.rows {
        let line = *line;
        let name = file.cell(cells, "variable");
        let variable = variables
            .iter()
            .position(|v| v.name == name)
            .ok_or_else(|| {
                file.at(
                    line,
                    format!("variable {name:?} is not a variable of the codebook"),
                )
            })?;
        let var = &variables[variable];
        let Some(groups) = var.groups() else {
            return Err(file.at(
                line,
                format!(
                    "variable {name:?} is {}; response is counted per group of a categorical, bins or recode variable",
                    var.type_name()
                ),
            ));
        };
        let code = file.cell(cells, "code");
        let level = groups.iter().position(|g| g.key == code).ok_or_else(|| {
            file.at(
                line,
                format!(
                    "code {code:?} is not a code of '{name}' (codes: {})",
                    groups
                        .iter()
                        .map(|g| g.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let raw = file.cell(cells, "invited");
        let n = file.number(line, "invited", raw)?;
        if !(n > 0.0) {
            return Err(file.at(line, format!("invited {raw:?}: expected a positive number")));
        }
        if invited
            .iter()
            .any(|i| i.variable == variable && i.level == level)
        {
            return Err(file.at(line, format!("a second row for {name} = {code:?}")));
        }
        invited.push(Invited {
            variable,
            level,
            invited: n,
        });
    }
    if invited.is_empty() {
        return Err(file.at(1, "no rows after the header".into()));
    }
    Ok(Response {
        file: path.to_path_buf(),
        invited,
    })
}

#[cfg(test)]
mod tests {
    use crate::codebook::Codebook;

    fn with(file: &str) -> Result<Codebook, String> {
        let dir = std::env::temp_dir().join(format!(
            "enquete-response-{}-{}",
            std::process::id(),
            file.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("invited.csv"), file).unwrap();
        let text = "[response]\ninvited = \"invited.csv\"\n[[variables]]\nname = \"wijk\"\ntype = \"categorical\"\nvalues = [ { code = \"1\" }, { code = \"2\" } ]\n[[variables]]\nname = \"age\"\ntype = \"numeric\"\n";
        let r = Codebook::parse_at(text, &[], &dir).map_err(|e| e.to_string());
        std::fs::remove_dir_all(&dir).ok();
        r
    }

    #[test]
    fn the_gross_sample_is_read_per_code() {
        let cb = with("variable;code;invited\nwijk;2;640\nwijk;1;1450\n").unwrap();
        let r = cb.response.unwrap();
        assert_eq!(r.invited.len(), 2);
        assert_eq!((r.invited[0].level, r.invited[0].invited), (1, 640.0));
        assert_eq!(r.variables(), vec![0]);
    }

    #[test]
    fn unknown_codes_and_variables_are_refused_with_file_and_line() {
        let cases = [
            (
                "variable;code;invited\nwijk;3;100\n",
                ":2",
                "code \"3\" is not a code of 'wijk'",
            ),
            (
                "variable;code;invited\nbuurt;1;100\n",
                ":2",
                "\"buurt\" is not a variable",
            ),
            ("variable;code;invited\nage;1;100\n", ":2", "is numeric"),
            ("variable;code;invited\nwijk;1;0\n", ":2", "positive number"),
            (
                "variable;code;invited\nwijk;1;10\nwijk;1;12\n",
                ":3",
                "a second row",
            ),
            (
                "variable;code\nwijk;1\n",
                ":1",
                "lacks the column 'invited'",
            ),
        ];
        for (file, line, expected) in cases {
            let e = with(file).unwrap_err();
            assert!(e.contains(line) && e.contains(expected), "{file}\n→ {e}");
        }
    }
}
