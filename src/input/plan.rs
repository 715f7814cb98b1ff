//! Resolving a codebook against a file's header, once: which column feeds which variable, and
//! which columns the codebook expects that the file lacks.

use super::lookup::{pack, Codes, NumberMap, Ranges, NO_KEY};
use crate::codebook::{Codebook, VariableKind};
use std::collections::HashMap;

/// What to do with each variable, resolved against the file's header.
#[derive(Debug, Clone)]
pub struct Plan {
    pub header: Vec<String>,
    pub format: crate::codebook::DataFormat,
    pub(super) weight: Option<usize>,
    pub(super) strata: Option<usize>,
    pub(super) cluster: Option<usize>,
    pub(super) fpc: Option<usize>,
    pub(super) vars: Vec<VarPlan>,
    /// Offsets of each variable's items in [`DecodedRow::items`].
    pub item_offsets: Vec<usize>,
    pub n_items: usize,
    /// Header columns the codebook does not use (ignored).
    pub unused_columns: Vec<String>,
    /// The codebook's variable names (for messages).
    pub names: Vec<String>,
    /// Records made from another format than CSV (Excel, Parquet, SPSS): `[data]` does not
    /// apply, numbers arrive as `1.5`.
    pub(super) text_records: bool,
    /// The respondent id column (the codebook's `id`, else the first column).
    pub id: usize,
    /// Copy each row's id into [`DecodedRow::id`] (for `enquete weight`).
    pub keep_id: bool,
    /// Variables every row must have a valid value of (the `[weighting]` variables, unless
    /// `unknown = "own-category"`: a respondent without one cannot be weighted).
    pub required: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(super) enum VarPlan {
    Numeric {
        col: usize,
        missing: Codes,
        missing_values: Vec<f64>,
        min: f64,
        max: f64,
    },
    Categorical {
        col: usize,
        codes: Codes,
        missing: Codes,
    },
    Multi {
        cols: Vec<usize>,
        selected: Vec<u8>,
        unselected: Vec<u8>,
        /// `selected` and `unselected` [`pack`]ed ([`NO_KEY`] when longer), to tell the usual
        /// answers without comparing bytes.
        keys: (u64, u64),
        missing: Codes,
    },
    Bins {
        from: usize,
        bins: Ranges,
    },
    /// Codes from a categorical source: per source code, the result code (or missing).
    RecodeCodes {
        from: usize,
        map: Vec<u32>,
    },
    /// Codes from a numeric source: value → result code (or missing).
    RecodeNumbers {
        from: usize,
        map: NumberMap,
    },
    /// A scale score from other variables' values.
    Scale {
        items: super::scale::ScaleItems,
        scale: crate::codebook::Scale,
    },
    /// A variable whose columns are absent from the file (only with `allow_absent`).
    Absent,
}

/// Columns looked up by header name.
struct Columns<'h> {
    index: HashMap<&'h str, usize>,
    /// Codebook columns the header lacks.
    absent: Vec<String>,
}

impl Columns<'_> {
    fn find(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The column of a variable, or `None` (noted as absent).
    fn of(&mut self, name: &str) -> Option<usize> {
        let found = self.find(name);
        if found.is_none() {
            self.absent.push(name.to_string());
        }
        found
    }
}

fn to_bytes(v: &[String]) -> Codes {
    Codes::new(v.iter().map(|s| s.as_bytes().to_vec()).collect())
}

impl Plan {
    /// Resolve a codebook against a header: the plan, and the columns the codebook expects that
    /// the file lacks (an error unless absent columns are allowed).
    pub fn new(
        codebook: &Codebook,
        header: Vec<String>,
        allow_absent: bool,
    ) -> Result<(Plan, Vec<String>), String> {
        let mut columns = Columns {
            index: header
                .iter()
                .enumerate()
                .map(|(i, h)| (h.as_str(), i))
                .collect(),
            absent: Vec::new(),
        };
        let mut missing_required = Vec::new();
        let mut design_column = |col: Option<&String>, key: &str| -> Option<usize> {
            let name = col?;
            let found = columns.find(name);
            if found.is_none() {
                missing_required.push(format!("'{name}' ([design] {key})"));
            }
            found
        };
        let d = codebook.design.clone().unwrap_or_default();
        let weight = design_column(d.weight.as_ref(), "weight");
        let strata = design_column(d.strata.as_ref(), "strata");
        let cluster = design_column(d.cluster.as_ref(), "cluster");
        let fpc = design_column(d.fpc.as_ref(), "fpc");
        let mut id_column = 0;
        if let Some(id) = &codebook.id {
            match columns.find(id) {
                Some(c) => id_column = c,
                None => missing_required.push(format!("'{id}' (id)")),
            }
        }

        let mut vars = Vec::with_capacity(codebook.variables.len());
        let mut item_offsets = Vec::with_capacity(codebook.variables.len());
        let mut n_items = 0;
        for v in &codebook.variables {
            item_offsets.push(n_items);
            if let VariableKind::Multi { items, .. } = &v.kind {
                n_items += items.len();
            }
            vars.push(var_plan(codebook, v, &mut columns));
        }
        absent_derived(&mut vars);
        let absent_columns = columns.absent;

        if !missing_required.is_empty() {
            return Err(header_message(&missing_required, &header, codebook));
        }
        if !absent_columns.is_empty() && !allow_absent {
            let list: Vec<String> = absent_columns.iter().map(|c| format!("'{c}'")).collect();
            return Err(header_message(&list, &header, codebook));
        }
        let used: std::collections::HashSet<String> =
            codebook.columns().into_iter().map(|(c, _)| c).collect();
        let unused_columns = header
            .iter()
            .filter(|h| !used.contains(*h))
            .cloned()
            .collect();
        Ok((
            Plan {
                unused_columns,
                header,
                format: codebook.format,
                weight,
                strata,
                cluster,
                fpc,
                id: id_column,
                keep_id: false,
                names: codebook.variables.iter().map(|v| v.name.clone()).collect(),
                required: codebook
                    .weighting
                    .as_ref()
                    .filter(|w| w.unknown == crate::codebook::weighting::Unknown::Error)
                    .map(|w| w.variables.clone())
                    .unwrap_or_default(),
                vars,
                item_offsets,
                n_items,
                text_records: false,
            },
            absent_columns,
        ))
    }

    /// Header positions of the columns the codebook reads (design columns and variables, and
    /// the id when it is kept).
    pub fn used_columns(&self) -> Vec<usize> {
        let mut cols: Vec<usize> = [self.weight, self.strata, self.cluster, self.fpc]
            .into_iter()
            .flatten()
            .collect();
        if self.keep_id {
            cols.push(self.id);
        }
        for v in &self.vars {
            match v {
                VarPlan::Numeric { col, .. } | VarPlan::Categorical { col, .. } => cols.push(*col),
                VarPlan::Multi { cols: c, .. } => {
                    cols.extend(c.iter().copied().filter(|&c| c != usize::MAX))
                }
                _ => {}
            }
        }
        cols.sort_unstable();
        cols.dedup();
        cols
    }

    pub fn n_vars(&self) -> usize {
        self.vars.len()
    }

    /// Whether a variable's column(s) exist in this file.
    pub fn is_absent(&self, var: usize) -> bool {
        matches!(self.vars[var], VarPlan::Absent)
    }

    /// The column a variable's value is read from (a bins or recode variable's source's).
    pub fn source_column(&self, var: usize) -> Option<usize> {
        match &self.vars[var] {
            VarPlan::Numeric { col, .. } | VarPlan::Categorical { col, .. } => Some(*col),
            VarPlan::Bins { from, .. }
            | VarPlan::RecodeCodes { from, .. }
            | VarPlan::RecodeNumbers { from, .. } => self.source_column(*from),
            VarPlan::Multi { .. } | VarPlan::Scale { .. } | VarPlan::Absent => None,
        }
    }

    pub fn has_clusters(&self) -> bool {
        self.cluster.is_some()
    }
}

/// What to do with one variable.
fn var_plan(codebook: &Codebook, v: &crate::codebook::Variable, columns: &mut Columns) -> VarPlan {
    match &v.kind {
        VariableKind::Numeric { missing, min, max } => match columns.of(&v.name) {
            Some(col) => VarPlan::Numeric {
                col,
                missing: to_bytes(missing),
                missing_values: missing
                    .iter()
                    .filter_map(|m| m.replace(',', ".").parse::<f64>().ok())
                    .collect(),
                min: min.unwrap_or(f64::NEG_INFINITY),
                max: max.unwrap_or(f64::INFINITY),
            },
            None => VarPlan::Absent,
        },
        VariableKind::Categorical { values, missing } => match columns.of(&v.name) {
            Some(col) => VarPlan::Categorical {
                col,
                codes: Codes::new(values.iter().map(|c| c.code.as_bytes().to_vec()).collect()),
                missing: to_bytes(missing),
            },
            None => VarPlan::Absent,
        },
        VariableKind::Multi {
            selected,
            unselected,
            missing,
            items,
        } => {
            let (selected, unselected) = (selected.trim().as_bytes(), unselected.trim().as_bytes());
            VarPlan::Multi {
                // An absent item column is marked with usize::MAX: always missing.
                cols: items
                    .iter()
                    .map(|i| columns.of(&i.column).unwrap_or(usize::MAX))
                    .collect(),
                selected: selected.to_vec(),
                unselected: unselected.to_vec(),
                keys: (
                    pack(selected).unwrap_or(NO_KEY),
                    pack(unselected).unwrap_or(NO_KEY),
                ),
                missing: to_bytes(missing),
            }
        }
        VariableKind::Bins { from, bins } => VarPlan::Bins {
            from: *from,
            bins: Ranges::new(&bins.iter().map(|b| (b.min, b.max)).collect::<Vec<_>>()),
        },
        VariableKind::Recode { from, map, .. } => recode_plan(codebook, *from, map),
        VariableKind::Scale(scale) => VarPlan::Scale {
            items: super::scale::ScaleItems::of(codebook, scale),
            scale: scale.clone(),
        },
    }
}

/// A variable derived from an absent variable is absent too; so is a scale with an absent item
/// (its score would silently mean something else).
fn absent_derived(vars: &mut [VarPlan]) {
    for i in 0..vars.len() {
        if let VarPlan::Scale { items, .. } = &vars[i] {
            if items.vars().any(|v| matches!(vars[v], VarPlan::Absent)) {
                vars[i] = VarPlan::Absent;
            }
        }
    }
    for i in 0..vars.len() {
        let from = match vars[i] {
            VarPlan::Bins { from, .. }
            | VarPlan::RecodeCodes { from, .. }
            | VarPlan::RecodeNumbers { from, .. } => from,
            _ => continue,
        };
        if matches!(vars[from], VarPlan::Absent) {
            vars[i] = VarPlan::Absent;
        }
    }
}

/// How a recode turns its source's codes (or numbers) into its own.
fn recode_plan(codebook: &Codebook, from: usize, map: &[(Vec<String>, Option<usize>)]) -> VarPlan {
    let target = |t: &Option<usize>| t.map_or(super::MISSING_CODE, |i| i as u32);
    match &codebook.variables[from].kind {
        VariableKind::Categorical { values, .. } => {
            let position = Codes::new(values.iter().map(|v| v.code.as_bytes().to_vec()).collect());
            let mut out = vec![super::MISSING_CODE; values.len()];
            for (codes, t) in map {
                for c in codes {
                    if let Some(k) = position.find(c.as_bytes()) {
                        out[k as usize] = target(t);
                    }
                }
            }
            VarPlan::RecodeCodes { from, map: out }
        }
        _ => VarPlan::RecodeNumbers {
            from,
            map: NumberMap::new(
                map.iter()
                    .flat_map(|(codes, t)| {
                        codes
                            .iter()
                            .filter_map(|c| c.replace(',', ".").parse::<f64>().ok())
                            .map(move |x| (x, target(t)))
                    })
                    .collect(),
            ),
        },
    }
}

fn header_message(missing: &[String], header: &[String], codebook: &Codebook) -> String {
    let mut msg = format!(
        "the header lacks column{} {} that the codebook uses",
        if missing.len() == 1 { "" } else { "s" },
        missing.join(", ")
    );
    let delim = codebook.format.delimiter as char;
    if header.len() == 1 {
        let other = [',', ';', '\t', '|']
            .into_iter()
            .find(|c| *c != delim && header[0].contains(*c));
        msg.push_str(&format!(
            "; the header has a single column{}",
            match other {
                Some(c) => format!(
                    ", split by {c:?} rather than the codebook's delimiter {delim:?} (set [data] delimiter)"
                ),
                None => String::new(),
            }
        ));
    } else {
        let shown: Vec<&str> = header.iter().take(20).map(|s| s.as_str()).collect();
        msg.push_str(&format!(
            " (header: {}{})",
            shown.join(", "),
            if header.len() > 20 { ", ..." } else { "" }
        ));
    }
    msg
}
