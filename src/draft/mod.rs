//! Drafting a codebook from a data file, so that a researcher starts from something that runs.
//!
//! The draft is a proposal, written as commented TOML: every inference says what it was based
//! on, so the user can check it. It is accepted by `crosstab` as it is.

pub mod csv;
pub mod missing;
pub mod names;
pub mod profile;
pub mod sniff;
pub mod spss;

use std::fmt::Write;

/// A variable in a draft.
#[derive(Debug, Clone)]
pub enum DraftKind {
    Numeric {
        missing: Vec<String>,
    },
    Categorical {
        values: Vec<(String, String)>,
        missing: Vec<String>,
    },
    Multi {
        items: Vec<(String, String)>,
        selected: String,
        unselected: String,
    },
    /// Age groups over a numeric variable.
    AgeBins {
        from: String,
    },
}

#[derive(Debug, Clone)]
pub struct DraftVariable {
    pub name: String,
    pub label: String,
    pub kind: DraftKind,
    /// Why it was drafted this way (written as a comment).
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    pub source: String,
    pub weight: Option<(String, String)>,
    pub delimiter: Option<u8>,
    pub decimal: Option<u8>,
    pub variables: Vec<DraftVariable>,
    /// Grouping variables suggested for every table.
    pub by: Vec<String>,
    /// Columns left out, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// An age column, recognised by its name.
pub fn is_age_name(name: &str) -> bool {
    let n = name.to_lowercase();
    n.contains("leeftijd") || n == "age" || n == "lft"
}

/// A column that usually groups respondents in published tables.
pub fn is_grouping_name(name: &str) -> bool {
    let n = name.to_lowercase();
    ["taal", "language", "geslacht", "gender", "sex", "stadsdeel"].contains(&n.as_str())
}

/// A TOML basic string.
pub fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter().map(|s| toml_str(s)).collect::<Vec<_>>().join(", ")
    )
}

/// The standard age groups of Dutch municipal monitors.
pub const AGE_BINS: [(&str, f64, Option<f64>); 5] = [
    ("18-29", 18.0, Some(29.0)),
    ("30-44", 30.0, Some(44.0)),
    ("45-54", 45.0, Some(54.0)),
    ("55-64", 55.0, Some(64.0)),
    ("65+", 65.0, None),
];

impl Draft {
    /// The draft as commented TOML.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Codebook drafted by enquete {} from {}.",
            env!("CARGO_PKG_VERSION"),
            self.source
        );
        let _ = writeln!(
            s,
            "# Check every inference marked 'check' before publishing; see docs/codebook.md."
        );
        let _ = writeln!(s, "title = {}", toml_str(&self.title));
        if let Some((w, why)) = &self.weight {
            let _ = writeln!(s, "\n[design]\nweight = {}   # {why}", toml_str(w));
            let _ = writeln!(s, "# strata = \"...\"   # add the stratification variable, if any (e.g. the district)");
        } else {
            let _ = writeln!(s, "\n# No weight variable found: unweighted. Add a [design] section if the sample is weighted:");
            let _ = writeln!(s, "# [design]\n# weight = \"...\"\n# strata = \"...\"");
        }
        if self.delimiter.is_some() || self.decimal.is_some() {
            let _ = writeln!(s, "\n[data]");
            if let Some(d) = self.delimiter {
                let shown = if d == b'\t' {
                    "\\t".to_string()
                } else {
                    (d as char).to_string()
                };
                let _ = writeln!(s, "delimiter = {}   # detected", toml_str(&shown));
            }
            if let Some(d) = self.decimal {
                let _ = writeln!(
                    s,
                    "decimal = {}     # detected",
                    toml_str(&(d as char).to_string())
                );
            }
        }
        for v in &self.variables {
            let _ = writeln!(s, "\n[[variables]]");
            if let Some(c) = &v.comment {
                for line in c.lines() {
                    let _ = writeln!(s, "# {line}");
                }
            }
            let _ = writeln!(s, "name = {}", toml_str(&v.name));
            let _ = writeln!(s, "label = {}", toml_str(&v.label));
            match &v.kind {
                DraftKind::Numeric { missing } => {
                    let _ = writeln!(s, "type = \"numeric\"");
                    if !missing.is_empty() {
                        let _ = writeln!(s, "missing = {}", list(missing));
                    }
                }
                DraftKind::Categorical { values, missing } => {
                    let _ = writeln!(s, "type = \"categorical\"\nvalues = [");
                    for (code, label) in values {
                        let _ = writeln!(
                            s,
                            "  {{ code = {}, label = {} }},",
                            toml_str(code),
                            toml_str(label)
                        );
                    }
                    let _ = writeln!(s, "]");
                    if !missing.is_empty() {
                        let _ = writeln!(s, "missing = {}", list(missing));
                    }
                }
                DraftKind::Multi {
                    items,
                    selected,
                    unselected,
                } => {
                    let _ = writeln!(s, "type = \"multi\"\nselected = {}", toml_str(selected));
                    if unselected != "0" {
                        let _ = writeln!(s, "unselected = {}", toml_str(unselected));
                    }
                    let _ = writeln!(s, "items = [");
                    for (column, label) in items {
                        let _ = writeln!(
                            s,
                            "  {{ column = {}, label = {} }},",
                            toml_str(column),
                            toml_str(label)
                        );
                    }
                    let _ = writeln!(s, "]");
                }
                DraftKind::AgeBins { from } => {
                    let _ = writeln!(s, "type = \"bins\"\nfrom = {}\nbins = [", toml_str(from));
                    for (label, min, max) in AGE_BINS {
                        match max {
                            Some(max) => {
                                let _ = writeln!(
                                    s,
                                    "  {{ label = {}, min = {min}, max = {max} }},",
                                    toml_str(label)
                                );
                            }
                            None => {
                                let _ = writeln!(
                                    s,
                                    "  {{ label = {}, min = {min} }},",
                                    toml_str(label)
                                );
                            }
                        }
                    }
                    let _ = writeln!(s, "]");
                }
            }
        }
        let by = list(&self.by);
        for v in &self.variables {
            let question = match &v.kind {
                DraftKind::AgeBins { .. } => false,
                DraftKind::Categorical { .. } => !self.by.contains(&v.name),
                DraftKind::Numeric { .. } => !self
                    .variables
                    .iter()
                    .any(|o| matches!(&o.kind, DraftKind::AgeBins { from } if *from == v.name)),
                DraftKind::Multi { .. } => true,
            };
            if question {
                let _ = writeln!(
                    s,
                    "\n[[tables]]\nname = {}\nrows = {}\nby = {by}",
                    toml_str(&v.name),
                    toml_str(&v.name)
                );
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(s, "\n# Columns not described (ignored when reading):");
            for (c, why) in &self.skipped {
                let _ = writeln!(s, "#   {c}: {why}");
            }
        }
        s
    }
}
