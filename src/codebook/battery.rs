//! A table's rows: one variable, or a statement battery (`rows = ["st_1", "st_2"]`: single-choice
//! statements on one answer scale), and its NETs (`nets = [{ label, codes }]`: the share who gave
//! any of a few answers, e.g. "(helemaal) mee eens" for codes 1 and 2).

use super::error::{CbResult, CodebookError};
use super::label::LabelSlot;
use super::raw::{codes, RawNet, RawRows};
use super::variables::Texts;
use super::{Net, Table, Variable};

impl super::Codebook {
    /// A table's question: a battery's title (else its name), a table's rows variable's label.
    pub fn question(&self, t: &Table) -> String {
        match (&t.title, t.is_battery()) {
            (Some(title), true) => title.clone(),
            (None, true) => t.name.clone(),
            _ => self.variables[t.rows].label.clone(),
        }
    }

    /// What a year-on-year view of a table shows (kerncijfers, trend charts): its public title
    /// (`title`, else the question); a battery's with the NET it follows, "Stellingen over de
    /// buurt: (Helemaal) mee eens" (without NETs, the answers themselves).
    pub fn trend_title(&self, t: &Table) -> String {
        let title = t.title.clone().unwrap_or_else(|| self.question(t));
        match t.nets.first().filter(|_| t.is_battery()) {
            Some(net) => format!("{title}: {}", net.label),
            None => title,
        }
    }
}

/// The rows variable and, for a battery, every statement (in order, the first being `rows`).
/// Variables are found by name in `names` (a codebook drafted from a wide file has tens of
/// thousands of tables: a search per table made reading it quadratic).
pub(super) fn rows(
    context: &str,
    raw: &RawRows,
    variables: &[Variable],
    names: &super::filter::Names<'_>,
) -> CbResult<(usize, Vec<usize>)> {
    let find = |n: &str| {
        names
            .get(n)
            .copied()
            .ok_or_else(|| CodebookError::UnknownVariable {
                context: context.to_string(),
                key: "rows",
                name: n.to_string(),
            })
    };
    let names = match raw {
        RawRows::One(n) => return Ok((find(n)?, Vec::new())),
        RawRows::Battery(names) => names,
    };
    if names.len() < 2 {
        return Err(CodebookError::invalid(
            context,
            format!(
                "rows = [{}]: a statement battery lists at least 2 statements (write rows = \"name\" for one variable)",
                names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut items: Vec<usize> = Vec::new();
    for n in names {
        let i = find(n)?;
        if items.contains(&i) {
            return Err(CodebookError::invalid(
                context,
                format!("rows = [.. \"{n}\" ..]: listed twice"),
            ));
        }
        let v = &variables[i];
        let Some(answers) = v.groups().filter(|_| v.type_name() != "bins") else {
            return Err(CodebookError::invalid(
                context,
                format!(
                    "rows = [.. \"{n}\" ..]: '{n}' is {}; the statements of a battery are single-choice (categorical or recode) variables",
                    v.type_name()
                ),
            ));
        };
        if let Some(&first) = items.first() {
            let scale = variables[first].groups().unwrap_or_default();
            if answers != scale {
                return Err(CodebookError::invalid(
                    context,
                    format!(
                        "rows = [.. \"{n}\" ..]: its answers ({}) differ from those of '{}' ({}); the statements of a battery share one answer scale (codes and labels)",
                        summary(&answers),
                        variables[first].name,
                        summary(&scale)
                    ),
                ));
            }
        }
        items.push(i);
    }
    Ok((items[0], items))
}

fn summary(cats: &[super::Category]) -> String {
    cats.iter()
        .map(|c| format!("{} = {}", c.key, c.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The NETs of table number `table`, whose rows variable is `rows`.
pub(super) fn nets(
    context: &str,
    raw: Option<Vec<RawNet>>,
    rows: &Variable,
    table: usize,
    texts: &mut Texts,
) -> CbResult<Vec<Net>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let Some(answers) = rows.groups().filter(|_| !rows.is_numeric()) else {
        return Err(CodebookError::invalid(
            context,
            format!(
                "'nets' needs single-choice rows; '{}' is {}",
                rows.name,
                rows.type_name()
            ),
        ));
    };
    let mut out: Vec<Net> = Vec::new();
    for n in raw {
        let list = codes(Some(n.codes));
        let key = list.join("+");
        let label = texts.resolve(Some(n.label), "", LabelSlot::Net(table, out.len()));
        let what = || format!("nets = [.. {{ label = \"{label}\", codes = [{key}] }} ..]");
        if list.is_empty() || label.trim().is_empty() {
            return Err(CodebookError::invalid(
                context,
                format!("{}: a NET needs a label and at least one code", what()),
            ));
        }
        let mut slots = Vec::new();
        for c in &list {
            let slot = answers.iter().position(|a| a.key == *c).ok_or_else(|| {
                CodebookError::invalid(
                    context,
                    format!(
                        "{}: '{c}' is not a code of '{}' (codes: {})",
                        what(),
                        rows.name,
                        answers
                            .iter()
                            .map(|a| a.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            if slots.contains(&slot) {
                return Err(CodebookError::invalid(
                    context,
                    format!("{}: code '{c}' is listed twice", what()),
                ));
            }
            slots.push(slot);
        }
        if out.iter().any(|o| o.key == key) || answers.iter().any(|a| a.key == key) {
            return Err(CodebookError::invalid(
                context,
                format!("{}: a NET of these codes is already a category", what()),
            ));
        }
        out.push(Net { key, label, slots });
    }
    Ok(out)
}
