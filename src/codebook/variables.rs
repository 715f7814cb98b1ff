//! Validating one `[[variables]]` entry per type, and the recodes' sources against the
//! variables they read.

use super::error::{CbResult, CodebookError};
use super::label::{Label, LabelSlot, RawLabel};
use super::raw::{codes, CodeText, RawVariable};
use super::*;
use std::collections::HashSet;

/// (name, type) of every variable, for `from` references, found by name in constant time.
pub(super) struct Kinds {
    list: Vec<(String, String)>,
    index: std::collections::HashMap<String, usize>,
}

impl Kinds {
    pub fn new(list: Vec<(String, String)>) -> Kinds {
        let mut index = std::collections::HashMap::with_capacity(list.len());
        for (i, (name, _)) in list.iter().enumerate() {
            index.entry(name.clone()).or_insert(i);
        }
        Kinds { list, index }
    }

    pub(super) fn find(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

impl std::ops::Index<usize> for Kinds {
    type Output = (String, String);

    fn index(&self, i: usize) -> &(String, String) {
        &self.list[i]
    }
}

/// Texts with a version per language, gathered while the codebook is validated in its own
/// language (see [`super::label`]).
pub(super) struct Texts {
    pub language: Language,
    pub translations: Vec<(LabelSlot, Label)>,
}

impl Texts {
    /// The text of a label in the codebook's language (`fallback` when there is none); a label
    /// that differs per language is kept for [`Codebook::localize`].
    pub fn resolve(&mut self, label: Option<RawLabel>, fallback: &str, slot: LabelSlot) -> String {
        match label {
            None => fallback.to_string(),
            Some(l) => {
                if l.is_bilingual() {
                    self.translations.push((slot, l.both()));
                }
                l.get(self.language)
            }
        }
    }
}

/// One variable (number `index`); `kinds` are (name, type) of all variables, for `from`
/// references.
pub(super) fn variable(
    rv: RawVariable,
    index: usize,
    kinds: &Kinds,
    texts: &mut Texts,
) -> CbResult<Variable> {
    let label = texts.resolve(rv.label.clone(), &rv.name, LabelSlot::Variable(index));
    let name = rv.name.clone();
    let kind = match rv.kind.as_str() {
        "numeric" => numeric(rv)?,
        "bins" => bins(rv, index, kinds, texts)?,
        "categorical" => categorical(rv, index, texts)?,
        "recode" => recode(rv, index, kinds, texts)?,
        "multi" => multi(rv, index, texts)?,
        "scale" => super::scale::scale(rv, kinds)?,
        other => {
            return Err(CodebookError::invalid(
                format!("variable '{name}'"),
                format!(
                    "unknown type \"{other}\" (expected numeric, bins, categorical, recode, multi or scale)"
                ),
            ))
        }
    };
    Ok(Variable { name, label, kind })
}

fn numeric(rv: RawVariable) -> CbResult<VariableKind> {
    rv.only(&["missing", "min", "max"])?;
    if let (Some(lo), Some(hi)) = (rv.min, rv.max) {
        if lo > hi {
            return Err(CodebookError::invalid(
                format!("variable '{}'", rv.name),
                format!("min {lo} is above max {hi}"),
            ));
        }
    }
    Ok(VariableKind::Numeric {
        missing: codes(rv.missing),
        min: rv.min,
        max: rv.max,
    })
}

pub(super) fn required<T>(
    value: Option<T>,
    name: &str,
    kind: &str,
    key: &'static str,
) -> CbResult<T> {
    value.ok_or(CodebookError::Required {
        context: format!("variable '{name}' ({kind})"),
        key,
        hint: "",
    })
}

/// The variable a derived one (bins, recode) is made `from`: its name and its position among
/// the variables declared before.
fn source(
    from: Option<String>,
    name: &str,
    kind: &str,
    kinds: &Kinds,
) -> CbResult<(String, usize)> {
    let from_name = required(from, name, kind, "from")?;
    let from = kinds
        .find(&from_name)
        .ok_or_else(|| CodebookError::UnknownVariable {
            context: format!("variable '{name}'"),
            key: "from",
            name: from_name.clone(),
        })?;
    Ok((from_name, from))
}

/// A bin as validated: its key in the codebook's language.
struct RawBinKeyed {
    label: String,
    min: f64,
    max: Option<f64>,
}

fn bins(rv: RawVariable, index: usize, kinds: &Kinds, texts: &mut Texts) -> CbResult<VariableKind> {
    rv.only(&["from", "bins"])?;
    let name = rv.name.clone();
    let context = || format!("variable '{name}'");
    let (from_name, from) = source(rv.from, &name, "bins", kinds)?;
    if !["numeric", "scale"].contains(&kinds[from].1.as_str()) {
        return Err(CodebookError::invalid(
            context(),
            format!(
                "'from' must name a numeric variable or a scale; '{from_name}' is {}",
                kinds[from].1
            ),
        ));
    }
    let raw_bins = required(rv.bins, &name, "bins", "bins")?;
    if raw_bins.is_empty() {
        return Err(CodebookError::invalid(context(), "'bins' is empty"));
    }
    let mut bins: Vec<Bin> = Vec::new();
    let mut labels = HashSet::new();
    for raw in raw_bins {
        // A bin's key (for filters and population files) is its label in the codebook's
        // language; its shown text follows the report's.
        let key = raw.label.get(texts.language);
        let b = RawBinKeyed {
            label: key.clone(),
            min: raw.min,
            max: raw.max,
        };
        let text = texts.resolve(Some(raw.label), &key, LabelSlot::Bin(index, bins.len()));
        let max = b.max.unwrap_or(f64::INFINITY);
        if !(b.min <= max) {
            return Err(CodebookError::invalid(
                context(),
                format!("bin '{}' has min {} above max {}", b.label, b.min, max),
            ));
        }
        if !labels.insert(b.label.clone()) {
            return Err(CodebookError::invalid(
                context(),
                format!("bin label '{}' is used twice", b.label),
            ));
        }
        bins.push(Bin {
            label: b.label,
            text,
            min: b.min,
            max,
        });
    }
    // Overlaps, in one sorted pass: a bin overlaps another when it starts before that one ends.
    let mut order: Vec<usize> = (0..bins.len()).collect();
    order.sort_by(|&a, &b| bins[a].min.total_cmp(&bins[b].min).then(a.cmp(&b)));
    for w in order.windows(2) {
        let (a, b) = (&bins[w[0]], &bins[w[1]]);
        if b.min <= a.max {
            let (first, second) = if w[0] < w[1] { (a, b) } else { (b, a) };
            return Err(CodebookError::invalid(
                context(),
                format!("bins '{}' and '{}' overlap", first.label, second.label),
            ));
        }
    }
    Ok(VariableKind::Bins { from, bins })
}

fn categorical(rv: RawVariable, index: usize, texts: &mut Texts) -> CbResult<VariableKind> {
    rv.only(&["values", "missing"])?;
    if let Some(v) = rv.values.iter().flatten().find(|v| v.codes.is_some()) {
        return Err(CodebookError::invalid(
            format!("variable '{}'", rv.name),
            format!(
                "value '{}' has 'codes', which only a recode's values have (type = \"recode\")",
                v.code.clone().into_string()
            ),
        ));
    }
    let name = rv.name.clone();
    let context = || format!("variable '{name}'");
    let raw = required(rv.values, &name, "categorical", "values")?;
    if raw.is_empty() {
        return Err(CodebookError::invalid(context(), "'values' is empty"));
    }
    let missing = codes(rv.missing);
    let missing_set: HashSet<&String> = missing.iter().collect();
    let mut values: Vec<Code> = Vec::new();
    let mut seen = HashSet::new();
    for v in raw {
        let code = v.code.into_string().trim().to_string();
        if code.is_empty() {
            return Err(CodebookError::invalid(
                context(),
                "an empty code cannot be declared (empty cells are missing)",
            ));
        }
        if !seen.insert(code.clone()) {
            return Err(CodebookError::invalid(
                context(),
                format!("code '{code}' is declared twice"),
            ));
        }
        if missing_set.contains(&code) {
            return Err(CodebookError::invalid(
                context(),
                format!("code '{code}' is both a value and a missing code"),
            ));
        }
        let label = texts.resolve(v.label, &code, LabelSlot::Value(index, values.len()));
        values.push(Code { code, label });
    }
    Ok(VariableKind::Categorical { values, missing })
}

/// A recode: result codes from lists of source codes. The source must be known and not itself
/// derived from numbers by bins; every declared code of a categorical source must be listed
/// (or be one of its missing codes), so no answer is silently dropped.
fn recode(
    rv: RawVariable,
    index: usize,
    kinds: &Kinds,
    texts: &mut Texts,
) -> CbResult<VariableKind> {
    rv.only(&["from", "values", "missing"])?;
    let name = rv.name.clone();
    let context = || format!("variable '{name}'");
    let (from_name, from) = source(rv.from, &name, "recode", kinds)?;
    if !["categorical", "numeric", "scale"].contains(&kinds[from].1.as_str()) {
        return Err(CodebookError::invalid(
            context(),
            format!(
                "'from' must name a categorical or numeric variable (or a scale); '{from_name}' is {}",
                kinds[from].1
            ),
        ));
    }
    let raw = required(rv.values, &name, "recode", "values")?;
    if raw.is_empty() {
        return Err(CodebookError::invalid(context(), "'values' is empty"));
    }
    let missing = codes(rv.missing);
    let mut values: Vec<Code> = Vec::new();
    let mut map: Vec<(Vec<String>, Option<usize>)> = Vec::new();
    let mut seen_sources: HashSet<String> = HashSet::new();
    let mut seen_results: HashSet<String> = HashSet::new();
    for v in raw {
        let code = v.code.into_string().trim().to_string();
        if code.is_empty() {
            return Err(CodebookError::invalid(
                context(),
                "an empty result code cannot be declared",
            ));
        }
        if !seen_results.insert(code.clone()) {
            return Err(CodebookError::invalid(
                context(),
                format!("result code '{code}' is declared twice"),
            ));
        }
        let sources = codes(v.codes);
        if sources.is_empty() {
            return Err(CodebookError::invalid(
                context(),
                format!("result code '{code}' lists no source 'codes'"),
            ));
        }
        for s in &sources {
            if !seen_sources.insert(s.clone()) {
                return Err(CodebookError::invalid(
                    context(),
                    format!("source code '{s}' is listed twice"),
                ));
            }
        }
        let target = if missing.contains(&code) {
            None
        } else {
            values.push(Code {
                label: texts.resolve(v.label, &code, LabelSlot::Value(index, values.len())),
                code,
            });
            Some(values.len() - 1)
        };
        map.push((sources, target));
    }
    if let Some(m) = missing.iter().find(|m| !seen_results.contains(*m)) {
        return Err(CodebookError::invalid(
            context(),
            format!("missing result code '{m}' is not one of the values' codes"),
        ));
    }
    if values.is_empty() {
        return Err(CodebookError::invalid(
            context(),
            "every result code is missing",
        ));
    }
    Ok(VariableKind::Recode {
        from,
        values,
        map,
        missing,
    })
}

fn multi(rv: RawVariable, index: usize, texts: &mut Texts) -> CbResult<VariableKind> {
    rv.only(&["items", "selected", "unselected", "missing"])?;
    let name = rv.name.clone();
    let context = || format!("variable '{name}'");
    let selected = rv
        .selected
        .map(CodeText::into_string)
        .unwrap_or_else(|| "1".into());
    let unselected = rv
        .unselected
        .map(CodeText::into_string)
        .unwrap_or_else(|| "0".into());
    if selected == unselected {
        return Err(CodebookError::invalid(
            context(),
            format!("'selected' and 'unselected' are both '{selected}'"),
        ));
    }
    let raw = required(rv.items, &name, "multi", "items")?;
    if raw.is_empty() {
        return Err(CodebookError::invalid(context(), "'items' is empty"));
    }
    let mut items: Vec<Item> = Vec::new();
    let mut columns = HashSet::new();
    for it in raw {
        if it.bare {
            return Err(CodebookError::invalid(
                context(),
                format!(
                    "item \"{}\": the items of a select-all set are tables {{ column = \"...\", label = \"...\" }}",
                    it.column
                ),
            ));
        }
        if !columns.insert(it.column.clone()) {
            return Err(CodebookError::invalid(
                context(),
                format!("item column '{}' is listed twice", it.column),
            ));
        }
        let label = texts.resolve(it.label, &it.column, LabelSlot::Item(index, items.len()));
        items.push(Item {
            column: it.column,
            label,
        });
    }
    let missing = codes(rv.missing);
    if missing.contains(&selected) || missing.contains(&unselected) {
        return Err(CodebookError::invalid(
            context(),
            "a missing code equals 'selected' or 'unselected'",
        ));
    }
    Ok(VariableKind::Multi {
        selected,
        unselected,
        missing,
        items,
    })
}

/// Every source code a recode lists must exist in its source, and every declared code of a
/// categorical source must be listed (or be one of the source's missing codes).
pub(super) fn check_recode_sources(variables: &[Variable]) -> CbResult<()> {
    for v in variables {
        let VariableKind::Recode { from, map, .. } = &v.kind else {
            continue;
        };
        let context = format!("variable '{}'", v.name);
        let source = &variables[*from];
        let listed: Vec<&String> = map.iter().flat_map(|(codes, _)| codes).collect();
        match &source.kind {
            VariableKind::Categorical { values, missing } => {
                let declared: HashSet<&String> = values.iter().map(|x| &x.code).collect();
                for c in &listed {
                    if !declared.contains(*c) {
                        return Err(CodebookError::invalid(
                            &context,
                            format!(
                                "source code '{c}' is not a declared code of '{}'{}",
                                source.name,
                                if missing.contains(c) {
                                    " (it is one of its missing codes, which stay missing)"
                                } else {
                                    ""
                                }
                            ),
                        ));
                    }
                }
                let listed: HashSet<&String> = listed.iter().copied().collect();
                if let Some(x) = values.iter().find(|x| !listed.contains(&&x.code)) {
                    return Err(CodebookError::invalid(
                        &context,
                        format!(
                            "code '{}' of '{}' is not listed; list it under a result code (or add that result code to 'missing')",
                            x.code, source.name
                        ),
                    ));
                }
            }
            VariableKind::Numeric { .. } | VariableKind::Scale(_) => {
                if let Some(c) = listed
                    .iter()
                    .find(|c| c.replace(',', ".").parse::<f64>().is_err())
                {
                    return Err(CodebookError::invalid(
                        &context,
                        format!(
                            "source code '{c}' is not a number, but '{}' is numeric",
                            source.name
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
