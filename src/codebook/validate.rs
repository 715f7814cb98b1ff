//! Turning the TOML shape into a [`Codebook`]: every key checked, every reference resolved, one
//! section at a time, so that a typo is reported against the codebook before any data is read.

use super::error::{CbResult, CodebookError};
use super::label::LabelSlot;
use super::raw::{single_byte, RawCodebook, RawCompare, RawData, RawVariable};
use super::variables::{check_recode_sources, variable, Texts};
use super::*;
use std::collections::HashSet;

impl RawCodebook {
    pub(super) fn validate(self, base: &std::path::Path) -> CbResult<Codebook> {
        let design = self.design.map(design).transpose()?;
        let format = data_format(self.data)?;
        check_names(&self.variables)?;
        super::limits::check_bounds(&self.variables)?;
        let kinds = super::variables::Kinds::new(
            self.variables
                .iter()
                .map(|v| (v.name.clone(), v.kind.clone()))
                .collect(),
        );
        let mut texts = Texts {
            language: self.language.unwrap_or_default(),
            translations: Vec::new(),
        };
        let title = texts.resolve(self.title, "Enquête", LabelSlot::Title);
        let variables = self
            .variables
            .into_iter()
            .enumerate()
            .map(|(i, rv)| variable(rv, i, &kinds, &mut texts))
            .collect::<CbResult<Vec<_>>>()?;
        check_recode_sources(&variables)?;
        super::scale::check_items(&variables)?;
        // Names are looked up once each: a codebook of 100,000 variables reads in linear time.
        let names: super::filter::Names<'_> = variables
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.as_str(), i))
            .collect();
        let filter = self
            .filter
            .map(|t| {
                let f = super::filter::compile(&t, &variables, &names, "top level")?;
                Ok::<_, CodebookError>((f, t))
            })
            .transpose()?;
        let tables = tables(self.tables, &variables, &names, &mut texts)?;
        let weighting = self
            .weighting
            .map(|w| super::weighting::weighting(w, &variables, base, &format))
            .transpose()?;
        let compare = self.compare.map(|c| compare(c, &variables)).transpose()?;
        let benchmarks = match &self.benchmark {
            Some(file) => super::benchmark::benchmarks(
                &base.join(file),
                format.delimiter,
                format.decimal,
                &tables,
                &variables,
            )?,
            None => Vec::new(),
        };
        let response = self
            .response
            .map(|r| {
                super::response::response(
                    &base.join(&r.invited),
                    format.delimiter,
                    format.decimal,
                    &variables,
                )
            })
            .transpose()?;
        let codebook = Codebook {
            title,
            language: self.language,
            label_language: texts.language,
            translations: texts.translations,
            filter,
            id: self.id,
            weighting,
            min_base_test: self
                .min_base_test
                .unwrap_or(crate::codebook::DEFAULT_MIN_BASE),
            design,
            format,
            variables,
            tables,
            compare,
            benchmarks,
            benchmark_file: self.benchmark.as_ref().map(|f| base.join(f)),
            response,
        };
        // What a run could not bear, and what an output writer would refuse, refused now.
        super::sizes::check_sizes(&codebook)?;
        super::limits::check_writer_limits(&codebook)?;
        Ok(codebook)
    }
}

fn design(d: super::raw::RawDesign) -> CbResult<DesignSpec> {
    if d.fpc.is_some() && d.strata.is_none() && d.cluster.is_none() {
        // One stratum: the fpc column then holds the population size of the whole sample.
    }
    Ok(DesignSpec {
        weight: d.weight,
        strata: d.strata,
        cluster: d.cluster,
        fpc: d.fpc,
    })
}

fn data_format(data: Option<RawData>) -> CbResult<DataFormat> {
    let mut format = DataFormat::default();
    if let Some(d) = data {
        if let Some(s) = d.delimiter {
            format.delimiter = single_byte("delimiter", &s, &[])?;
            if format.delimiter == b'"' || format.delimiter == b'\n' {
                return Err(CodebookError::invalid(
                    format!("[data] delimiter = {s:?}"),
                    "cannot be used",
                ));
            }
        }
        if let Some(s) = d.decimal {
            format.decimal = single_byte("decimal", &s, b".,")?;
        }
        if let Some(s) = d.encoding {
            format.encoding = super::Encoding::parse(&s).ok_or_else(|| {
                CodebookError::invalid(
                    format!("[data] encoding = {s:?}"),
                    format!(
                        "expected {} (Excel in Western Europe writes windows-1252)",
                        super::Encoding::NAMES
                    ),
                )
            })?;
        }
    }
    if format.decimal == format.delimiter {
        return Err(CodebookError::invalid(
            "[data]",
            "the decimal mark and the delimiter must differ",
        ));
    }
    Ok(format)
}

/// Names first, so that `from` may refer to a variable declared later.
fn check_names(variables: &[RawVariable]) -> CbResult<()> {
    let mut seen = HashSet::new();
    for v in variables {
        if v.name.trim().is_empty() {
            return Err(CodebookError::invalid(
                "[[variables]]",
                "a variable has an empty name",
            ));
        }
        if !seen.insert(v.name.clone()) {
            return Err(CodebookError::Duplicate {
                what: format!("variable '{}'", v.name),
            });
        }
    }
    Ok(())
}

fn tables(
    raw: Vec<super::raw::RawTable>,
    variables: &[Variable],
    names: &super::filter::Names<'_>,
    texts: &mut Texts,
) -> CbResult<Vec<Table>> {
    let mut tables: Vec<Table> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (index, t) in raw.into_iter().enumerate() {
        if !seen.insert(t.name.clone()) {
            return Err(CodebookError::Duplicate {
                what: format!("table '{}'", t.name),
            });
        }
        let context = format!("table '{}'", t.name);
        let find = |n: &str, key: &'static str| {
            names
                .get(n)
                .copied()
                .ok_or_else(|| CodebookError::UnknownVariable {
                    context: context.clone(),
                    key,
                    name: n.to_string(),
                })
        };
        let (rows, items) = super::battery::rows(&context, &t.rows, variables, names)?;
        let mut by: Vec<Vec<usize>> = Vec::new();
        for entry in &t.by {
            let names = entry.names();
            if names.is_empty() {
                return Err(CodebookError::invalid(
                    &context,
                    "a 'by' entry is an empty list",
                ));
            }
            let mut vars = Vec::new();
            for b in &names {
                let i = find(b, "by")?;
                check_grouping(&context, variables, i, rows)?;
                if items.contains(&i) {
                    return Err(CodebookError::invalid(
                        &context,
                        format!("'{b}' cannot be both a statement and a 'by' variable"),
                    ));
                }
                if vars.contains(&i) {
                    return Err(CodebookError::invalid(
                        &context,
                        format!("a crossed 'by' entry lists '{b}' twice"),
                    ));
                }
                vars.push(i);
            }
            if by.contains(&vars) {
                return Err(CodebookError::invalid(
                    &context,
                    format!("'by' lists '{}' twice", names.join(" × ")),
                ));
            }
            by.push(vars);
        }
        let filter = match t.filter {
            Some(text) => Some((
                super::filter::compile(&text, variables, names, &context)?,
                text,
            )),
            None => None,
        };
        let hide = hidden(&context, &variables[rows], super::raw::codes(t.hide))?;
        let (statistics, quantiles) =
            super::statistics::statistics(&context, &variables[rows], t.statistics, t.quantiles)?;
        let nets = super::battery::nets(&context, t.nets, &variables[rows], index, texts)?;
        let mut optional = |label: Option<super::label::RawLabel>, slot| {
            label.map(|l| texts.resolve(Some(l), "", slot))
        };
        let title = optional(t.title, LabelSlot::TableTitle(index));
        let note = optional(t.note, LabelSlot::TableNote(index));
        let population = optional(t.population, LabelSlot::TablePopulation(index));
        tables.push(Table {
            name: t.name,
            rows,
            by,
            letters: t.letters,
            filter,
            title,
            note,
            population,
            hide,
            statistics,
            quantiles,
            items,
            nets,
        });
    }
    Ok(tables)
}

/// `hide`: answers of the rows variable (codes, item columns, bin labels); a numeric question has
/// none, and hiding every answer would leave an empty table.
fn hidden(context: &str, rows: &Variable, hide: Vec<String>) -> CbResult<Vec<String>> {
    let answers: Vec<String> = match rows.kind {
        VariableKind::Numeric { .. } => Vec::new(),
        _ => rows.categories().into_iter().map(|c| c.key).collect(),
    };
    let known: HashSet<&String> = answers.iter().collect();
    for h in &hide {
        if !known.contains(h) {
            return Err(CodebookError::invalid(
                context,
                format!(
                    "key 'hide': '{h}' is not an answer of '{}' (expected one of: {})",
                    rows.name,
                    answers.join(", ")
                ),
            ));
        }
    }
    let hidden: HashSet<&String> = hide.iter().collect();
    if !hide.is_empty() && answers.iter().all(|a| hidden.contains(a)) {
        return Err(CodebookError::invalid(
            context,
            "key 'hide' leaves out every answer; remove the table instead",
        ));
    }
    Ok(hide)
}

/// A `by` variable must be able to group respondents and differ from the rows variable.
fn check_grouping(context: &str, variables: &[Variable], i: usize, rows: usize) -> CbResult<()> {
    let v = &variables[i];
    if v.groups().is_none() {
        return Err(CodebookError::invalid(
            context,
            format!(
                "'by' variable '{}' is {}; only categorical and bins variables can group respondents",
                v.name,
                v.type_name()
            ),
        ));
    }
    if i == rows {
        return Err(CodebookError::invalid(
            context,
            format!(
                "'{}' cannot be both the rows variable and a 'by' variable",
                v.name
            ),
        ));
    }
    Ok(())
}

fn compare(c: RawCompare, variables: &[Variable]) -> CbResult<CompareSettings> {
    let group_var = |name: &str, key: &'static str| -> CbResult<usize> {
        let i = variables
            .iter()
            .position(|v| v.name == name)
            .ok_or_else(|| CodebookError::UnknownVariable {
                context: "[compare]".into(),
                key,
                name: name.to_string(),
            })?;
        if variables[i].groups().is_none() {
            return Err(CodebookError::invalid(
                format!("[compare] {key}"),
                format!(
                    "'{name}' is {}; only categorical and bins variables have groups",
                    variables[i].type_name()
                ),
            ));
        }
        Ok(i)
    };
    let between = group_var(&c.between, "between")?;
    let standardize = c
        .standardize
        .as_deref()
        .map(|s| group_var(s, "standardize"))
        .transpose()?;
    if standardize == Some(between) {
        return Err(CodebookError::invalid(
            "[compare]",
            "'standardize' must differ from 'between'",
        ));
    }
    if standardize.is_some()
        && c.against
            .is_some_and(|a| a != crate::codebook::Against::Pairs)
    {
        return Err(CodebookError::invalid(
            "[compare]",
            "'standardize' compares pairs of groups; it cannot be combined with against = \"total\" or \"rest\"",
        ));
    }
    Ok(CompareSettings {
        between,
        standardize,
        against: c.against,
    })
}
