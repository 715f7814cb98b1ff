//! What an output writer would refuse, refused when the codebook is read: a codebook that
//! passes here writes every output. Each message names the key and shows the value.
//!
//! - Control characters in any text that reaches an output (an escape sequence in a label
//!   colours a terminal, U+0001 makes a chart's SVG invalid XML, a line break splits a Markdown
//!   table row).
//! - Texts longer than [`MAX_TEXT`] characters (an Excel cell holds 32,767; some cells join
//!   several labels).
//! - Table names: empty, the name of a combined file (`estimates`, `comparisons`, `tests`,
//!   `scales`, `response`), a
//!   Windows device name, two names written as one file (`a/b` and `a_b` are both `a_b.csv`;
//!   case is ignored, as on Windows and macOS), file names over [`MAX_FILE_NAME`] bytes.
//! - `min`/`max` of `nan`, which no value compares with, so the bound would silently do nothing.

use super::error::{CbResult, CodebookError};
use super::raw::RawVariable;
use super::{Codebook, VariableKind};
use crate::naming::{file_stem, table_files, COMBINED_STEMS};
use crate::text::escape::terminal;
use crate::text::quote_value;
use std::collections::HashMap;

/// The longest text (label, title, name, code) in characters: far above any question text, and
/// low enough that cells joining a few labels stay under Excel's 32,767.
pub const MAX_TEXT: usize = 4_000;

/// An Excel cell's limit, in characters.
const EXCEL_CELL: usize = 32_767;

/// The longest file name a report writes, in bytes (file systems allow 255; the temporary name
/// beside it adds up to 40).
pub const MAX_FILE_NAME: usize = 200;

/// Names Windows reserves for devices, whatever the extension: such files cannot be opened there.
const DEVICE_NAMES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// `min` and `max` of numeric variables and bins must not be `nan` (checked on the raw shape,
/// before other checks compare them and report a confusing order).
pub(super) fn check_bounds(variables: &[RawVariable]) -> CbResult<()> {
    let nan = |context: String, key: &str, hint: &str| {
        Err(CodebookError::invalid(
            context,
            format!(
                "key '{key}' = nan: no value compares with nan, so the bound would do nothing; \
                 give a number{hint}"
            ),
        ))
    };
    for v in variables {
        for (key, x) in [("min", v.min), ("max", v.max)] {
            if x.is_some_and(f64::is_nan) {
                return nan(
                    format!("variable '{}'", terminal(&v.name)),
                    key,
                    ", or leave the key out for no bound",
                );
            }
        }
        for b in v.bins.iter().flatten() {
            for (key, x) in [("min", Some(b.min)), ("max", b.max)] {
                if x.is_some_and(f64::is_nan) {
                    return nan(
                        format!(
                            "variable '{}', bin '{}'",
                            terminal(&v.name),
                            terminal(&b.label.both().nl)
                        ),
                        key,
                        " (-inf and inf give an open end)",
                    );
                }
            }
        }
    }
    Ok(())
}

/// Everything the writers need of a validated codebook.
pub(super) fn check_writer_limits(cb: &Codebook) -> CbResult<()> {
    check_texts(cb)?;
    check_column_names(cb)?;
    check_table_names(cb)?;
    check_joined_labels(cb)
}

/// One text: no control character, at most [`MAX_TEXT`] characters.
fn text(context: &str, key: &str, value: &str) -> CbResult<()> {
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(CodebookError::invalid(
            context,
            format!(
                "key '{key}' = {}: contains the control character U+{:04X}, which outputs cannot \
                 show; remove it",
                quote_value(value),
                c as u32
            ),
        ));
    }
    let n = value.chars().count();
    if n > MAX_TEXT {
        return Err(CodebookError::invalid(
            context,
            format!(
                "key '{key}' = {}: {n} characters; at most {MAX_TEXT} (Excel cells hold 32,767 \
                 and some join several labels): shorten it",
                quote_value(value)
            ),
        ));
    }
    Ok(())
}

fn check_texts(cb: &Codebook) -> CbResult<()> {
    text("top level", "title", &cb.title)?;
    if let Some(d) = &cb.design {
        for (key, col) in [
            ("weight", &d.weight),
            ("strata", &d.strata),
            ("cluster", &d.cluster),
            ("fpc", &d.fpc),
        ] {
            if let Some(c) = col {
                text("[design]", key, c)?;
            }
        }
    }
    for v in &cb.variables {
        let context = format!("variable '{}'", terminal(&v.name));
        text(&context, "name", &v.name)?;
        text(&context, "label", &v.label)?;
        match &v.kind {
            VariableKind::Categorical { values, .. } | VariableKind::Recode { values, .. } => {
                for c in values {
                    let context = format!("{context}, value '{}'", terminal(&c.code));
                    text(&context, "code", &c.code)?;
                    text(&context, "label", &c.label)?;
                }
            }
            VariableKind::Bins { bins, .. } => {
                for (i, b) in bins.iter().enumerate() {
                    text(&format!("{context}, bin {}", i + 1), "label", &b.label)?;
                }
            }
            VariableKind::Multi { items, .. } => {
                for it in items {
                    let context = format!("{context}, item '{}'", terminal(&it.column));
                    text(&context, "column", &it.column)?;
                    text(&context, "label", &it.label)?;
                }
            }
            VariableKind::Numeric { .. } | VariableKind::Scale(_) => {}
        }
    }
    for (i, t) in cb.tables.iter().enumerate() {
        text(&format!("[[tables]] number {}", i + 1), "name", &t.name)?;
        let context = format!("table '{}'", terminal(&t.name));
        for (key, value) in [
            ("title", &t.title),
            ("note", &t.note),
            ("population", &t.population),
        ] {
            if let Some(v) = value {
                text(&context, key, v)?;
            }
        }
    }
    // The other language's texts reach the outputs of `--language` too.
    for (slot, label) in &cb.translations {
        for (lang, value) in [("nl", &label.nl), ("en", &label.en)] {
            text(&slot_context(cb, slot), &format!("label.{lang}"), value)?;
        }
    }
    Ok(())
}

/// Where a translated label sits, for a message.
fn slot_context(cb: &Codebook, slot: &super::label::LabelSlot) -> String {
    use super::label::LabelSlot;
    let var = |v: &usize| format!("variable '{}'", terminal(&cb.variables[*v].name));
    let table = |t: &usize| format!("table '{}'", terminal(&cb.tables[*t].name));
    let kind = |v: &usize| &cb.variables[*v].kind;
    match slot {
        LabelSlot::Title => "top level (title)".into(),
        LabelSlot::Variable(v) => var(v),
        LabelSlot::Value(v, i) => match kind(v) {
            VariableKind::Categorical { values, .. } | VariableKind::Recode { values, .. } => {
                format!("{}, value '{}'", var(v), terminal(&values[*i].code))
            }
            _ => var(v),
        },
        LabelSlot::Bin(v, i) => format!("{}, bin {}", var(v), i + 1),
        LabelSlot::Item(v, i) => match kind(v) {
            VariableKind::Multi { items, .. } => {
                format!("{}, item '{}'", var(v), terminal(&items[*i].column))
            }
            _ => var(v),
        },
        LabelSlot::TableTitle(t) => format!("{} (title)", table(t)),
        LabelSlot::TableNote(t) => format!("{} (note)", table(t)),
        LabelSlot::TablePopulation(t) => format!("{} (population)", table(t)),
        LabelSlot::Net(t, i) => format!("{} (NET number {})", table(t), i + 1),
    }
}

/// The columns the codebook reads must be names a header can hold: header cells are trimmed,
/// and a byte order mark (U+FEFF, invisible, left by some editors) is dropped by the reader at
/// the start of a file, so a name that is blank, padded or holds one would match nothing.
fn check_column_names(cb: &Codebook) -> CbResult<()> {
    for (column, what) in cb.columns() {
        text(&terminal(&what), "column", &column)?;
        // Header cells are read trimmed (a blank one gets a name from its position).
        if column.trim().is_empty() || column.trim() != column {
            return Err(CodebookError::invalid(
                terminal(&what),
                format!(
                    "column {} is blank or begins or ends with white space, which a header \
                     name never does (header cells are read trimmed); write the name as the \
                     header has it",
                    quote_value(&column)
                ),
            ));
        }
        if column.contains('\u{feff}') {
            return Err(CodebookError::invalid(
                terminal(&what),
                format!(
                    "column {} contains a byte order mark (U+FEFF), invisible and never part \
                     of a column name in a data file; remove it",
                    quote_value(&column)
                ),
            ));
        }
    }
    Ok(())
}

/// Table names become file names: each must give files of their own, inside the folder.
fn check_table_names(cb: &Codebook) -> CbResult<()> {
    // Lower-cased file name → (table, file name).
    let mut seen: HashMap<String, (&str, String)> = HashMap::new();
    for (i, t) in cb.tables.iter().enumerate() {
        if t.name.trim().is_empty() {
            return Err(CodebookError::invalid(
                format!("[[tables]] number {}", i + 1),
                "key 'name' is empty: a table's name names its files and its Excel sheet",
            ));
        }
        let context = format!("table '{}'", t.name);
        let stem = file_stem(&t.name).to_lowercase();
        if COMBINED_STEMS.contains(&stem.as_str()) {
            return Err(CodebookError::invalid(
                context,
                format!(
                    "key 'name' = {}: the report writes all tables together as {stem}.csv, \
                     so this table's file would collide with it; choose another name",
                    quote_value(&t.name)
                ),
            ));
        }
        if DEVICE_NAMES.contains(&stem.as_str()) {
            return Err(CodebookError::invalid(
                context,
                format!(
                    "key 'name' = {}: {stem} is a device name on Windows, where its files could \
                     not be opened; choose another name",
                    quote_value(&t.name)
                ),
            ));
        }
        let by: Vec<Vec<String>> =
            t.by.iter()
                .map(|vars| vars.iter().map(|&v| cb.variables[v].name.clone()).collect())
                .collect();
        for file in table_files(&t.name, &by) {
            check_file(&context, &t.name, file, &mut seen)?;
        }
    }
    Ok(())
}

fn check_file<'a>(
    context: &str,
    table: &'a str,
    file: String,
    seen: &mut HashMap<String, (&'a str, String)>,
) -> CbResult<()> {
    let name_len = file.rsplit('/').next().map_or(0, str::len);
    if name_len > MAX_FILE_NAME {
        return Err(CodebookError::invalid(
            context,
            format!(
                "the file name {file} would be {name_len} bytes; at most {MAX_FILE_NAME}: \
                 shorten the table's name (or those of its 'by' variables)"
            ),
        ));
    }
    match seen.get(&file.to_lowercase()) {
        Some((other, other_file)) if *other != table => Err(CodebookError::invalid(
            context,
            format!(
                "tables '{other}' and '{table}' would both be written as {other_file} (names \
                 become file names with characters other than letters, digits, '-' and '_' \
                 replaced by '_', and case ignored); rename one"
            ),
        )),
        Some(_) => Err(CodebookError::invalid(
            context,
            format!(
                "two of its charts would both be written as {file} (a 'by' variable whose name \
                 matches another chart's: 'totaal', 'gemiddelden', 'trend', or two variables \
                 with the same file-safe name); rename the variable"
            ),
        )),
        None => {
            seen.insert(file.to_lowercase(), (table, file));
            Ok(())
        }
    }
}

/// A crossed breakdown joins its variables' labels (and its groups' labels) into one Excel
/// cell: together they must fit.
fn check_joined_labels(cb: &Codebook) -> CbResult<()> {
    let chars = |s: &str| s.chars().count();
    let sep = chars(crate::keys::CROSS);
    for t in &cb.tables {
        for vars in t.by.iter().filter(|v| v.len() > 1) {
            let joins = sep * (vars.len() - 1);
            let labels: usize = vars.iter().map(|&v| chars(&cb.variables[v].label)).sum();
            let groups: usize = vars
                .iter()
                .map(|&v| {
                    let groups = cb.variables[v].groups().unwrap_or_default();
                    groups.iter().map(|g| chars(&g.label)).max().unwrap_or(0)
                })
                .sum();
            // Room for the words around them ("Totaal", marks, a letter).
            if labels.max(groups) + joins + 100 > EXCEL_CELL {
                let names: Vec<&str> = vars
                    .iter()
                    .map(|&v| cb.variables[v].name.as_str())
                    .collect();
                return Err(CodebookError::invalid(
                    format!("table '{}'", t.name),
                    format!(
                        "key 'by': the crossing {} joins labels of {} characters into one Excel \
                         cell, which holds {EXCEL_CELL}; shorten the labels or cross fewer \
                         variables",
                        names.join(" × "),
                        labels.max(groups) + joins
                    ),
                ));
            }
        }
    }
    Ok(())
}
