//! A table's subpopulation in words, from its filter: variable and code labels instead of names
//! and codes ("Leeftijd ≥ 65", "Taal van de vragenlijst: Engels"), for headings, charts and
//! sheets. A table's own `population` text replaces it.

use super::Vocabulary;
use crate::codebook::filter::{Filter, Op, Test};
use crate::codebook::{Codebook, Table};

/// Filters nested deeper than this are not said in words (the heading would not be read
/// anyway); the words then fall back to the filter as written.
const MAX_DEPTH: usize = 6;

/// "Alleen respondenten met: Leeftijd ≥ 65", for a table that filters (itself or through the
/// codebook's `filter`); none for a table of all respondents.
pub fn population(codebook: &Codebook, table: &Table, v: &Vocabulary) -> Option<String> {
    let filters: Vec<(&Filter, &String)> = [codebook.filter.as_ref(), table.filter.as_ref()]
        .into_iter()
        .flatten()
        .map(|(f, t)| (f, t))
        .collect();
    if filters.is_empty() {
        return None;
    }
    let parts: Vec<String> = filters
        .iter()
        .map(|(f, text)| describe(codebook, f, v).unwrap_or_else(|| (*text).clone()))
        .collect();
    let and = v.pick(" en ", " and ");
    Some(format!(
        "{}: {}",
        v.pick("Alleen respondenten met", "Only respondents with"),
        parts.join(and)
    ))
}

/// A part of a filter in words: its text, its connective, and how deep its expression is.
struct Part {
    text: String,
    joined_by: Option<Joined>,
    depth: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Joined {
    And,
    Or,
}

/// The filter in words; none when it is nested deeper than [`MAX_DEPTH`].
fn describe(codebook: &Codebook, f: &Filter, v: &Vocabulary) -> Option<String> {
    let label = |var: &usize| codebook.variables[*var].label.clone();
    // A part that joins with another connective is put in brackets.
    let part = |p: Part, joined_by: Joined| match p.joined_by {
        Some(j) if j != joined_by => format!("({})", p.text),
        _ => p.text,
    };
    let join = |a: Part, b: Part, joined_by: Joined, word: &str| Part {
        depth: a.depth.max(b.depth) + 1,
        text: format!("{}{word}{}", part(a, joined_by), part(b, joined_by)),
        joined_by: Some(joined_by),
    };
    let said = f.fold(
        |t| Part {
            text: test(codebook, t, v, &label),
            joined_by: None,
            depth: 0,
        },
        |a| Part {
            text: format!("{} ({})", v.pick("niet", "not"), a.text),
            joined_by: None,
            depth: a.depth + 1,
        },
        |a, b| join(a, b, Joined::And, v.pick(" en ", " and ")),
        |a, b| join(a, b, Joined::Or, v.pick(" of ", " or ")),
    );
    (said.depth <= MAX_DEPTH).then_some(said.text)
}

/// One test in words.
fn test(
    codebook: &Codebook,
    t: &Test,
    v: &Vocabulary,
    label: &impl Fn(&usize) -> String,
) -> String {
    match t {
        Test::Number { var, op, value } => {
            let op = match op {
                Op::Eq => "=",
                Op::Ne => "≠",
                Op::Lt => "<",
                Op::Le => "≤",
                Op::Gt => ">",
                Op::Ge => "≥",
            };
            let digits = if value.fract() == 0.0 { 0 } else { 2 };
            format!("{} {op} {}", label(var), v.decimal(*value, digits))
        }
        Test::Codes {
            var,
            listed,
            negate,
            ..
        } => {
            let groups = codebook.variables[*var].groups().unwrap_or_default();
            let names: Vec<String> = listed
                .iter()
                .filter_map(|&c| groups.get(c as usize).map(|g| g.label.clone()))
                .collect();
            let list = names.join(v.pick(" of ", " or "));
            match negate {
                false => format!("{}: {list}", label(var)),
                true => format!("{}: {} {list}", label(var), v.pick("niet", "not")),
            }
        }
        Test::Missing { var, .. } => {
            format!("{}: {}", label(var), v.pick("onbekend", "unknown"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Language;

    #[test]
    fn filters_are_said_with_labels() {
        let cb = Codebook::parse(
            r#"
[[variables]]
name = "leeftijd"
label = { nl = "Leeftijd", en = "Age" }
type = "numeric"
[[variables]]
name = "taal"
label = "Taal"
type = "categorical"
values = [ { code = "NL", label = "Nederlands" }, { code = "EN", label = "Engels" } ]
[[tables]]
name = "a"
rows = "leeftijd"
filter = "leeftijd >= 65 and (taal == 'EN' or taal is missing)"
[[tables]]
name = "b"
rows = "leeftijd"
"#,
        )
        .unwrap();
        let nl = Vocabulary::new(Language::Nl);
        assert_eq!(
            population(&cb, &cb.tables[0], &nl).unwrap(),
            "Alleen respondenten met: Leeftijd ≥ 65 en (Taal: Engels of Taal: onbekend)"
        );
        assert_eq!(population(&cb, &cb.tables[1], &nl), None);
        let mut en = cb.clone();
        en.localize(Language::En);
        assert!(
            population(&en, &en.tables[0], &Vocabulary::new(Language::En))
                .unwrap()
                .starts_with("Only respondents with: Age ≥ 65 and")
        );
    }
}
