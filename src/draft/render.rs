//! Writing a draft as commented TOML, one section at a time.

use super::{Draft, DraftKind, DraftVariable, AGE_BINS};
use crate::codebook::Language;
use std::fmt::Write;

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
    let quoted: Vec<String> = v.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A comment line per line of `text`. Names from the file may hold line breaks and other
/// control characters, which TOML does not allow in comments: they are shown escaped.
fn comment(s: &mut String, prefix: &str, text: &str) {
    for line in text.split('\n') {
        let _ = write!(s, "#{prefix}");
        for c in line.chars() {
            if c.is_control() && c != '\t' {
                let _ = write!(s, "\\u{:04X}", c as u32);
            } else {
                s.push(c);
            }
        }
        s.push('\n');
    }
}

/// How labels are written: one text, or the same text under each language's key (the draft
/// knows one text per label, the file's own; the others are copies to translate).
struct Labels<'a>(&'a [Language]);

impl Labels<'_> {
    fn text(&self, label: &str) -> String {
        let text = toml_str(label);
        if self.0.len() < 2 {
            return text;
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|l| format!("{} = {text}", l.tag()))
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }
}

impl Draft {
    /// The draft as commented TOML, with one text per label.
    pub fn to_toml(&self) -> String {
        self.to_toml_in(&[])
    }

    /// The draft as commented TOML. With two `languages`, every label is written as a text per
    /// language (`{ nl = "...", en = "..." }`, all the file's text) and the first language is
    /// the codebook's `language`; with one, that language is the codebook's `language`.
    pub fn to_toml_in(&self, languages: &[Language]) -> String {
        let labels = Labels(languages);
        let mut s = String::new();
        self.write_top(&mut s, &labels);
        self.write_design(&mut s);
        self.write_data(&mut s);
        for v in &self.variables {
            write_variable(&mut s, v, &labels);
        }
        self.write_tables(&mut s);
        if !self.skipped.is_empty() {
            let _ = writeln!(s, "\n# Columns not described (ignored when reading):");
            for (c, why) in &self.skipped {
                comment(&mut s, "   ", &format!("{c}: {why}"));
            }
        }
        s
    }

    fn write_top(&self, s: &mut String, labels: &Labels) {
        let version = env!("CARGO_PKG_VERSION");
        comment(
            s,
            " ",
            &format!(
                "Codebook drafted by enquete {version} from {}.",
                self.source
            ),
        );
        let _ = writeln!(
            s,
            "# Check every inference marked 'check' before publishing; see docs/codebook.md."
        );
        for note in &self.notes {
            comment(s, " ", note);
        }
        if let [first, rest @ ..] = labels.0 {
            if let Some(other) = rest.first() {
                let _ = writeln!(
                    s,
                    "# Every label has a text per language, all copied from the file: translate the \
                     '{}' texts (`--language {}` reports in that language).",
                    other.tag(),
                    other.tag()
                );
            }
            let _ = writeln!(s, "language = \"{}\"", first.tag());
        }
        let _ = writeln!(s, "title = {}", labels.text(&self.title));
    }

    fn write_design(&self, s: &mut String) {
        if let Some((w, why)) = &self.weight {
            let _ = writeln!(s, "\n[design]\nweight = {}   # {why}", toml_str(w));
            let _ = writeln!(
                s,
                "# strata = \"...\"   # add the stratification variable, if any (e.g. the district)"
            );
        } else {
            let _ = writeln!(
                s,
                "\n# No weight variable found: unweighted. Add a [design] section if the sample is weighted:"
            );
            let _ = writeln!(s, "# [design]\n# weight = \"...\"\n# strata = \"...\"");
        }
    }

    fn write_data(&self, s: &mut String) {
        if self.delimiter.is_none() && self.decimal.is_none() && self.encoding.is_none() {
            return;
        }
        let _ = writeln!(s, "\n[data]");
        if let Some(d) = &self.delimiter {
            // A tab is written as TOML's own escape, "\t".
            let value = toml_str(&(d.value as char).to_string());
            let _ = writeln!(s, "delimiter = {value}   # {}", d.why);
        }
        if let Some(d) = &self.decimal {
            let value = toml_str(&(d.value as char).to_string());
            let _ = writeln!(s, "decimal = {value}     # {}", d.why);
        }
        if let Some(e) = &self.encoding {
            let value = toml_str(e.value.name());
            let _ = writeln!(s, "encoding = {value}  # {}", e.why);
        }
    }

    /// A table for every question: not for grouping variables, age groups, or an age that
    /// has its groups.
    fn write_tables(&self, s: &mut String) {
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
                let name = toml_str(&v.name);
                let _ = writeln!(s, "\n[[tables]]\nname = {name}\nrows = {name}\nby = {by}");
            }
        }
    }
}

fn write_variable(s: &mut String, v: &DraftVariable, labels: &Labels) {
    let _ = writeln!(s, "\n[[variables]]");
    if let Some(c) = &v.comment {
        comment(s, " ", c);
    }
    let _ = writeln!(s, "name = {}", toml_str(&v.name));
    let _ = writeln!(s, "label = {}", labels.text(&v.label));
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
                let (code, label) = (toml_str(code), labels.text(label));
                let _ = writeln!(s, "  {{ code = {code}, label = {label} }},");
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
            if unselected.is_empty() {
                let _ = writeln!(s, "unselected = \"\"   # an empty cell means not selected");
            } else if unselected != "0" {
                let _ = writeln!(s, "unselected = {}", toml_str(unselected));
            }
            let _ = writeln!(s, "items = [");
            for (column, label) in items {
                let (column, label) = (toml_str(column), labels.text(label));
                let _ = writeln!(s, "  {{ column = {column}, label = {label} }},");
            }
            let _ = writeln!(s, "]");
        }
        DraftKind::AgeBins { from } => {
            let _ = writeln!(s, "type = \"bins\"\nfrom = {}\nbins = [", toml_str(from));
            for (label, min, max) in AGE_BINS {
                let label = labels.text(label);
                let _ = match max {
                    Some(max) => writeln!(s, "  {{ label = {label}, min = {min}, max = {max} }},"),
                    None => writeln!(s, "  {{ label = {label}, min = {min} }},"),
                };
            }
            let _ = writeln!(s, "]");
        }
    }
}
