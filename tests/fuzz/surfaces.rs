//! Issue 21's surfaces: filters (compiled and evaluated against an independent reading of the
//! grammar), crossed breakdowns (joint groups against an independent count), population files,
//! Excel workbooks (ZIP bombs, formulas, exponents) and Parquet files. The seeds include every
//! case of the second hostile campaign (tests/hostile/).

use super::*;
use crate::csv_binary::run_checks;
use enquete::codebook::filter::{compile, Names};

/// The sample's codebook, and its variables by name.
fn sample_codebook() -> Codebook {
    Codebook::from_path(&repo().join("samples/codebook.toml")).unwrap()
}

fn names(cb: &Codebook) -> Names<'_> {
    cb.variables
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.as_str(), i))
        .collect()
}

const FILTER_TOKENS: &[&str] = &[
    "(",
    ")",
    "not ",
    " and ",
    " or ",
    " == ",
    " != ",
    " >= ",
    " < ",
    " in [",
    "]",
    ", ",
    "\"",
    "'",
    " is missing",
    " is not missing",
    "leeftijd",
    "taal",
    "wijk",
    "geslacht",
    "leeftijdsgroep",
    "\"EN\"",
    "\"NL\"",
    "\"3\"",
    "\"65+\"",
    "65",
    "-1",
    "1e400",
    "\u{202e}",
    "=>",
    " en ",
    " of ",
    "niet ",
    "\u{1b}[31m",
    "tevredenheid",
];

fn filter_seeds() -> Vec<(Vec<u8>, usize)> {
    let mut seeds: Vec<String> = vec![
        "leeftijd >= 65".into(),
        "taal == \"EN\" or tevredenheid is missing".into(),
        "leeftijd >= 18 and not (wijk in [\"9\", \"10\"])".into(),
        "not (leeftijd >= 65) and (geslacht != \"2\" or geslacht is missing)".into(),
        "leeftijdsgroep in [\"18-29\", \"65+\"] or taal == 'EN' and wijk != 3".into(),
        // The campaign's cases (issue 21): deep, long, escaped, Dutch operators.
        format!("{}leeftijd > 1{}", "(".repeat(8_700), ")".repeat(8_700)),
        format!("{}leeftijd > 1", "not ".repeat(15_900)),
        vec!["leeftijd > 1"; 32_700].join(" and "),
        format!("{}leeftijd > 1{}", "(".repeat(24), ")".repeat(24)),
        "taal == \"N\u{202e}L\"".into(),
        "leeftijd => 65 en taal == \"EN\"".into(),
    ];
    let wijken: Vec<String> = (1..=10).map(|i| format!("\"{i}\"")).collect();
    seeds.push(format!("wijk in [{}]", wijken.join(", ")));
    seeds.into_iter().map(|s| (s.into_bytes(), 0)).collect()
}

/// An independent reading of the filter grammar (docs/codebook.md), recursive, on the text:
/// what a respondent's values make of it. None where it cannot read the text.
struct Reference<'a> {
    tokens: Vec<String>,
    at: usize,
    cb: &'a Codebook,
    codes: &'a [u32],
    numbers: &'a [f64],
}

impl Reference<'_> {
    fn lex(text: &str) -> Option<Vec<String>> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_whitespace() {
                i += 1;
            } else if "()[],".contains(c) {
                out.push(c.to_string());
                i += 1;
            } else if c == '"' || c == '\'' {
                let end = chars[i + 1..].iter().position(|&d| d == c)?;
                let s: String = chars[i + 1..i + 1 + end].iter().collect();
                out.push(format!("\"{}", s.trim()));
                i += end + 2;
            } else if "=!<>".contains(c) {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op = ["==", "!=", "<=", ">="].into_iter().find(|o| *o == two);
                match (op, c) {
                    (Some(o), _) => {
                        out.push(o.into());
                        i += 2;
                    }
                    (None, '<' | '>') => {
                        out.push(c.to_string());
                        i += 1;
                    }
                    _ => return None,
                }
            } else {
                let start = i;
                let number = c.is_ascii_digit() || c == '-' || c == '.';
                while i < chars.len()
                    && (if number {
                        chars[i].is_ascii_digit()
                            || chars[i] == '.'
                            || chars[i] == 'e'
                            || i == start
                    } else {
                        chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.'
                    })
                {
                    i += 1;
                }
                if i == start {
                    return None;
                }
                out.push(chars[start..i].iter().collect());
            }
        }
        Some(out)
    }

    fn peek_is(&self, w: &str) -> bool {
        self.tokens
            .get(self.at)
            .is_some_and(|t| t.eq_ignore_ascii_case(w))
    }

    fn expr(&mut self) -> Option<bool> {
        let mut v = self.conj()?;
        while self.peek_is("or") {
            self.at += 1;
            let r = self.conj()?;
            v = v || r;
        }
        Some(v)
    }

    fn conj(&mut self) -> Option<bool> {
        let mut v = self.unary()?;
        while self.peek_is("and") {
            self.at += 1;
            let r = self.unary()?;
            v = v && r;
        }
        Some(v)
    }

    fn unary(&mut self) -> Option<bool> {
        if self.peek_is("not") {
            self.at += 1;
            return Some(!self.unary()?);
        }
        if self.peek_is("(") {
            self.at += 1;
            let v = self.expr()?;
            if !self.peek_is(")") {
                return None;
            }
            self.at += 1;
            return Some(v);
        }
        self.test()
    }

    fn value(&mut self) -> Option<String> {
        let t = self.tokens.get(self.at)?.clone();
        self.at += 1;
        Some(t.strip_prefix('"').map_or(t.clone(), str::to_string))
    }

    fn test(&mut self) -> Option<bool> {
        let name = self.tokens.get(self.at)?.clone();
        self.at += 1;
        let var = self.cb.variables.iter().position(|v| v.name == name)?;
        let groups: Option<Vec<String>> = self.cb.variables[var]
            .groups()
            .map(|g| g.into_iter().map(|c| c.key).collect());
        let code = self.codes[var];
        let x = self.numbers[var];
        let missing = match &groups {
            Some(_) => code == u32::MAX,
            None => x.is_nan(),
        };
        if self.peek_is("is") {
            self.at += 1;
            let negate = self.peek_is("not");
            self.at += usize::from(negate);
            if !self.peek_is("missing") {
                return None;
            }
            self.at += 1;
            return Some(missing != negate);
        }
        let is_code = |v: &str| {
            groups.as_ref().and_then(|g| g.iter().position(|k| k == v)) == Some(code as usize)
        };
        if self.peek_is("in") {
            self.at += 1;
            if !self.peek_is("[") {
                return None;
            }
            self.at += 1;
            let mut hit = false;
            loop {
                let v = self.value()?;
                hit |= !missing && is_code(&v);
                if self.peek_is(",") {
                    self.at += 1;
                } else {
                    break;
                }
            }
            if !self.peek_is("]") {
                return None;
            }
            self.at += 1;
            return Some(hit);
        }
        let op = self.tokens.get(self.at)?.clone();
        self.at += 1;
        let v = self.value()?;
        if missing {
            return Some(false);
        }
        Some(match (groups.is_some(), op.as_str()) {
            (true, "==") => is_code(&v),
            (true, "!=") => !is_code(&v),
            (false, op) => {
                let y: f64 = v.parse().ok()?;
                match op {
                    "==" => x == y,
                    "!=" => x != y,
                    "<" => x < y,
                    "<=" => x <= y,
                    ">" => x > y,
                    ">=" => x >= y,
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}

/// Random decoded values for the sample codebook's variables (a third missing).
fn random_row(rng: &mut Rng, cb: &Codebook) -> (Vec<u32>, Vec<f64>) {
    let mut codes = vec![u32::MAX; cb.variables.len()];
    let mut numbers = vec![f64::NAN; cb.variables.len()];
    for (i, v) in cb.variables.iter().enumerate() {
        if rng.chance(1, 3) {
            continue;
        }
        match v.groups() {
            Some(g) if !g.is_empty() => codes[i] = rng.below(g.len()) as u32,
            _ => numbers[i] = rng.range(0, 100) as f64,
        }
    }
    (codes, numbers)
}

/// A well-formed filter on the codebook's variables, `depth` levels deep at most: what a
/// mutation of the seeds rarely is, so that evaluation (against the reference) is exercised.
fn random_filter(rng: &mut Rng, cb: &Codebook, depth: usize) -> String {
    if depth == 0 || rng.chance(2, 5) {
        return random_test(rng, cb);
    }
    match rng.below(4) {
        0 => format!("not {}", random_filter(rng, cb, depth - 1)),
        1 => format!("({})", random_filter(rng, cb, depth - 1)),
        _ => {
            let op = if rng.chance(1, 2) { " and " } else { " or " };
            let a = random_filter(rng, cb, depth - 1);
            let b = random_filter(rng, cb, depth - 1);
            format!("{a}{op}{b}")
        }
    }
}

/// One test on a variable: a code, a list of codes, a number, or missing.
fn random_test(rng: &mut Rng, cb: &Codebook) -> String {
    let usable: Vec<&enquete::codebook::Variable> = cb
        .variables
        .iter()
        .filter(|v| !matches!(v.kind, VariableKind::Multi { .. }))
        .collect();
    let v = *rng.pick(&usable);
    if rng.chance(1, 6) {
        let not = if rng.chance(1, 2) { "not " } else { "" };
        return format!("{} is {not}missing", v.name);
    }
    match v.groups() {
        Some(g) if !g.is_empty() => {
            let code = |rng: &mut Rng| format!("{:?}", g[rng.below(g.len())].key);
            if rng.chance(1, 3) {
                let listed: Vec<String> = (0..rng.range(1, 4)).map(|_| code(rng)).collect();
                format!("{} in [{}]", v.name, listed.join(", "))
            } else {
                let op = if rng.chance(1, 2) { "==" } else { "!=" };
                format!("{} {op} {}", v.name, code(rng))
            }
        }
        _ => {
            let op = *rng.pick(&["==", "!=", "<", "<=", ">", ">="]);
            format!("{} {op} {}", v.name, rng.range(0, 100))
        }
    }
}

#[test]
fn fuzz_filters() {
    let mut stats = Stats::new("filters");
    let mut rng = rng_for(stats.target);
    let cb = sample_codebook();
    let sample = std::fs::read_to_string(repo().join("samples/codebook.toml")).unwrap();
    let dir = workdir();
    let wd = dir.path();
    let seeds = filter_seeds();
    let mut pool = Pool::new(seeds.clone());
    let mut queue = seeds;
    let end = Instant::now() + budget();
    let mutator = |r: &mut Rng, d: &mut Vec<u8>, o: &[u8]| {
        if r.chance(2, 3) {
            let at = r.below(d.len() + 1);
            let t = r.pick(FILTER_TOKENS).as_bytes().to_vec();
            d.splice(at..at, t);
        } else {
            mutate::bytes(r, d, o);
        }
    };
    let mut n = 0u64;
    while Instant::now() < end || !queue.is_empty() {
        let (data, _) = match queue.pop() {
            Some(seed) => seed,
            None if rng.chance(1, 3) => (random_filter(&mut rng, &cb, 6).into_bytes(), 0),
            None => pool.next(&mut rng, &mutator),
        };
        n += 1;
        stats.inputs += 1;
        let text = String::from_utf8_lossy(&data).into_owned();
        let (text2, cb2) = (text.clone(), cb.clone());
        let rows: Vec<(Vec<u32>, Vec<f64>)> = (0..32).map(|_| random_row(&mut rng, &cb)).collect();
        let outcome = with_deadline(CALL_LIMIT, move || {
            let names = names(&cb2);
            let f = compile(&text2, &cb2.variables, &names, "fuzz");
            let results: Vec<bool> = match &f {
                Ok(f) => rows.iter().map(|(c, x)| f.matches(c, x)).collect(),
                Err(_) => Vec::new(),
            };
            (f.map(|_| ()).map_err(|e| e.to_string()), results, rows)
        });
        let (compiled, results, rows) = match outcome {
            Outcome::Done(r) => r,
            Outcome::Panicked(m) => {
                stats.found(Finding::Panic, &data, "txt", format!("panic: {m}"));
                continue;
            }
            Outcome::Hung => {
                stats.found(
                    Finding::Hang,
                    &data,
                    "txt",
                    "compile or evaluate hung".into(),
                );
                continue;
            }
        };
        if let Err(e) = &compiled {
            if let Err(t) = terminal_safe(enquete::text::escape::terminal_message(e).as_bytes()) {
                stats.found(Finding::UnsafeOutput, &data, "txt", format!("{t}: {e}"));
                continue;
            }
        }
        if compiled.is_ok() {
            stats.accepted += 1;
            // Compare with the independent reading wherever it reads the text.
            for ((codes, numbers), got) in rows.iter().zip(&results) {
                let Some(tokens) = Reference::lex(&text) else {
                    break;
                };
                let mut r = Reference {
                    tokens,
                    at: 0,
                    cb: &cb,
                    codes,
                    numbers,
                };
                if let Some(want) = r.expr().filter(|_| r.at == r.tokens.len()) {
                    if want != *got {
                        stats.found(
                            Finding::SilentLoss,
                            &data,
                            "txt",
                            format!("filter {text:?} gives {got}, the grammar {want}: {codes:?} {numbers:?}"),
                        );
                        break;
                    }
                }
            }
        }
        if n.is_multiple_of(32) {
            let codebook = format!("filter = {}\n{sample}", toml_string(&text));
            std::fs::write(wd.join("codebook.toml"), &codebook).unwrap();
            let s = |x: &str| x.to_string();
            let data_path = repo().join("samples/inwonersenquete-2023.csv");
            let args = vec![
                s("crosstab"),
                data_path.to_string_lossy().into_owned(),
                s("-c"),
                s("codebook.toml"),
                s("--table=kanaal"),
            ];
            stats.binary_runs += 1;
            let run = run_binary(wd, &args, None, RUN_LIMIT);
            if run_checks(&mut stats, &run, &data, "txt") && !matches!(run.code, Some(0 | 2)) {
                stats.found(Finding::Panic, &data, "txt", run.describe());
            }
        }
        let outcome = compiled.err().unwrap_or_else(|| "ok".into());
        pool.learn(&outcome, &data, 0, outcome == "ok");
    }
    stats.finish();
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn fuzz_crossings() {
    let mut stats = Stats::new("crossings");
    let mut rng = rng_for(stats.target);
    let dir = workdir();
    let wd = dir.path();
    let end = Instant::now() + budget();
    // The campaign's case first: a product of 400,000,000 on two rows.
    let mut first = Some(vec![200usize, 200, 50, 200]);
    while Instant::now() < end || first.is_some() {
        let sizes: Vec<usize> = first
            .take()
            .unwrap_or_else(|| (0..rng.range(2, 5)).map(|_| 1 + rng.below(60)).collect());
        stats.inputs += 1;
        let rows = if sizes.iter().product::<usize>() > 1_000_000 {
            2
        } else {
            rng.range(1, 400)
        };
        let mut cb = String::new();
        for (i, &k) in sizes.iter().enumerate() {
            let v: Vec<String> = (1..=k).map(|c| format!("{{ code = \"{c}\" }}")).collect();
            cb.push_str(&format!("[[variables]]\nname = \"v{i}\"\ntype = \"categorical\"\nvalues = [{}]\nmissing = [\"9999\"]\n", v.join(", ")));
        }
        cb.push_str("[[variables]]\nname = \"y\"\ntype = \"numeric\"\n");
        let by: Vec<String> = (0..sizes.len()).map(|i| format!("\"v{i}\"")).collect();
        cb.push_str(&format!(
            "[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [[{}]]\n",
            by.join(", ")
        ));
        let mut data = (0..sizes.len())
            .map(|i| format!("v{i}"))
            .collect::<Vec<_>>()
            .join(",")
            + ",y\n";
        let mut expected: std::collections::BTreeMap<String, u64> = Default::default();
        for _ in 0..rows {
            let cells: Vec<String> = sizes
                .iter()
                .map(|&k| match rng.below(12) {
                    0 => String::new(),
                    1 => "9999".into(),
                    _ => {
                        let spread = k.min(3 + rng.below(k));
                        (1 + rng.below(spread)).to_string()
                    }
                })
                .collect();
            let y = if rng.chance(1, 10) {
                String::new()
            } else {
                rng.below(10).to_string()
            };
            if cells.iter().all(|c| !c.is_empty() && c != "9999") && !y.is_empty() {
                *expected.entry(cells.join(" × ")).or_default() += 1;
            }
            data.push_str(&format!("{},{y}\n", cells.join(",")));
        }
        std::fs::write(wd.join("data.csv"), &data).unwrap();
        std::fs::write(wd.join("codebook.toml"), &cb).unwrap();
        let s = |x: &str| x.to_string();
        let args = vec![
            s("crosstab"),
            s("data.csv"),
            s("-c"),
            s("codebook.toml"),
            s("-t"),
            s("t"),
            s("-f"),
            s("csv"),
        ];
        stats.binary_runs += 1;
        let run = run_binary(wd, &args, None, RUN_LIMIT);
        let input = format!("{cb}\n---\n{data}").into_bytes();
        if !run_checks(&mut stats, &run, &input, "txt") {
            continue;
        }
        let product: usize = sizes.iter().product();
        match run.code {
            Some(2) if product > enquete::codebook::MAX_CROSSED_GROUPS => continue,
            Some(0) => {}
            _ => {
                stats.found(Finding::Panic, &input, "txt", run.describe());
                continue;
            }
        }
        stats.accepted += 1;
        let out = String::from_utf8_lossy(&run.stdout).into_owned();
        let mut got: std::collections::BTreeMap<String, u64> = Default::default();
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let header = reader.headers().unwrap().clone();
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        for rec in reader.records().flatten() {
            if rec[col("by")].contains('×') {
                got.insert(
                    rec[col("group")].to_string(),
                    rec[col("n")].parse().unwrap(),
                );
            }
        }
        if got != expected {
            stats.found(
                Finding::SilentLoss,
                &input,
                "txt",
                format!("joint groups and bases {got:?}, counted {expected:?}"),
            );
        }
    }
    stats.finish();
}
