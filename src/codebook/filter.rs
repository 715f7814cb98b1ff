//! Subpopulations: a small expression language over codebook variables, for `filter = "..."` at
//! the codebook's top level (every table) and per table.
//!
//! ```text
//! expr       := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | "(" expr ")" | test
//! test       := NAME op value | NAME "in" "[" value ("," value)* "]" | NAME "is" ["not"] "missing"
//! op         := "==" | "!=" | "<" | "<=" | ">" | ">="
//! value      := NUMBER | "quoted code" | 'quoted code'
//! ```
//!
//! A test on a missing value (an empty cell, a missing code, a value outside every bin) is false,
//! whatever the operator: `geslacht != "2"` leaves out respondents without an answer, and
//! `not (leeftijd >= 65)` keeps them. Numeric variables take numbers and every operator;
//! categorical, recode and bins variables take their codes (bin labels), with `==`, `!=` and
//! `in`. Statistically a filter is a domain: excluded respondents stay in the design (R's
//! `subset(design, ...)`), so variances and degrees of freedom are those of the whole design.

use super::error::{CbResult, CodebookError};
use super::{Variable, VariableKind};

/// A compiled filter: variable indices resolved, codes turned into code indices.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// A numeric variable compared with a number.
    Number {
        var: usize,
        op: Op,
        value: f64,
    },
    /// A coded variable (categorical, recode, bins) in a set of code indices; `negate` for `!=`.
    Codes {
        var: usize,
        codes: Vec<u32>,
        negate: bool,
    },
    /// The variable has no valid value (`is missing`).
    Missing {
        var: usize,
        coded: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Filter {
    /// Whether a respondent with these decoded values is in the subpopulation.
    /// `codes[v]` is the code index of a coded variable (`u32::MAX` when missing), `numbers[v]`
    /// the value of a numeric one (NaN when missing).
    pub fn matches(&self, codes: &[u32], numbers: &[f64]) -> bool {
        match self {
            Filter::And(a, b) => a.matches(codes, numbers) && b.matches(codes, numbers),
            Filter::Or(a, b) => a.matches(codes, numbers) || b.matches(codes, numbers),
            Filter::Not(a) => !a.matches(codes, numbers),
            Filter::Number { var, op, value } => {
                let x = numbers[*var];
                if x.is_nan() {
                    return false;
                }
                match op {
                    Op::Eq => x == *value,
                    Op::Ne => x != *value,
                    Op::Lt => x < *value,
                    Op::Le => x <= *value,
                    Op::Gt => x > *value,
                    Op::Ge => x >= *value,
                }
            }
            Filter::Codes {
                var,
                codes: set,
                negate,
            } => {
                let c = codes[*var];
                c != u32::MAX && (set.contains(&c) != *negate)
            }
            Filter::Missing { var, coded } => {
                if *coded {
                    codes[*var] == u32::MAX
                } else {
                    numbers[*var].is_nan()
                }
            }
        }
    }

    /// Both filters must hold.
    pub fn and(a: Option<Filter>, b: Option<Filter>) -> Option<Filter> {
        match (a, b) {
            (Some(a), Some(b)) => Some(Filter::And(Box::new(a), Box::new(b))),
            (a, None) => a,
            (None, b) => b,
        }
    }

    /// The variables the filter reads.
    pub fn variables(&self, out: &mut Vec<usize>) {
        match self {
            Filter::And(a, b) | Filter::Or(a, b) => {
                a.variables(out);
                b.variables(out);
            }
            Filter::Not(a) => a.variables(out),
            Filter::Number { var, .. }
            | Filter::Codes { var, .. }
            | Filter::Missing { var, .. } => {
                if !out.contains(var) {
                    out.push(*var)
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Number(f64, String),
    Text(String),
    Op(Op),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

/// Parse and resolve a filter; `context` names where it was written (for messages).
pub fn compile(text: &str, variables: &[Variable], context: &str) -> CbResult<Filter> {
    let err = |at: usize, what: String| {
        CodebookError::invalid(
            format!("{context}: filter {text:?}"),
            format!("at character {}: {what}", at + 1),
        )
    };
    let tokens = tokenize(text).map_err(|(at, what)| err(at, what))?;
    let mut p = Parser {
        tokens: &tokens,
        at: 0,
        variables,
        text_len: text.chars().count(),
    };
    let f = p.expr().map_err(|(at, what)| err(at, what))?;
    if let Some((pos, t)) = tokens.get(p.at) {
        return Err(err(*pos, format!("unexpected {}{}", describe(t), hint(t))));
    }
    Ok(f)
}

type ParseResult<T> = Result<T, (usize, String)>;

fn tokenize(text: &str) -> ParseResult<Vec<(usize, Token)>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let token = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => Token::LParen,
            ')' => Token::RParen,
            '[' => Token::LBracket,
            ']' => Token::RBracket,
            ',' => Token::Comma,
            '"' | '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&d| d == c)
                    .ok_or((i, format!("the quote {c} is not closed")))?;
                let s: String = chars[i + 1..i + 1 + end].iter().collect();
                i += end + 1;
                Token::Text(s.trim().to_string())
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', _) => (Op::Gt, 1),
                    ('=', Some('>')) => {
                        return Err((i, "write >= for 'at least' (=> is not an operator)".into()))
                    }
                    ('=', Some('<')) => {
                        return Err((i, "write <= for 'at most' (=< is not an operator)".into()))
                    }
                    ('=', _) => {
                        return Err((
                            i,
                            "write == to compare (a single = is not an operator)".into(),
                        ))
                    }
                    _ => return Err((i, "expected != ".into())),
                };
                i += len - 1;
                Token::Op(op)
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let end = (i + 1..chars.len())
                    .find(|&j| !(chars[j].is_ascii_digit() || chars[j] == '.' || chars[j] == 'e'))
                    .unwrap_or(chars.len());
                let s: String = chars[i..end].iter().collect();
                let x: f64 = s
                    .parse()
                    .map_err(|_| (i, format!("'{s}' is not a number")))?;
                i = end - 1;
                Token::Number(x, s)
            }
            c if c.is_alphanumeric() || c == '_' => {
                let end = (i + 1..chars.len())
                    .find(|&j| !(chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '.'))
                    .unwrap_or(chars.len());
                let s: String = chars[i..end].iter().collect();
                i = end - 1;
                Token::Name(s)
            }
            '&' => {
                return Err((
                    i,
                    "write `and` to join conditions (& is not an operator)".into(),
                ))
            }
            '|' => {
                return Err((
                    i,
                    "write `or` for either condition (| is not an operator)".into(),
                ))
            }
            other => return Err((i, format!("unexpected character '{other}'"))),
        };
        out.push((start, token));
        i += 1;
    }
    Ok(out)
}

/// What a Dutch word where an operator belongs should be: filters are written in English.
fn hint(t: &Token) -> &'static str {
    match t {
        Token::Name(n) => match n.to_lowercase().as_str() {
            "en" => ": write `and` to join conditions (filters use and, or, not)",
            "of" => ": write `or` for either condition (filters use and, or, not)",
            "niet" => ": write `not` (filters use and, or, not)",
            "in" | "and" | "or" | "not" => "",
            _ => ": join conditions with and / or",
        },
        _ => "",
    }
}

fn describe(t: &Token) -> String {
    match t {
        Token::Name(n) => format!("'{n}'"),
        Token::Number(_, s) => format!("number {s}"),
        Token::Text(s) => format!("\"{s}\""),
        Token::Op(_) => "an operator".into(),
        Token::LParen => "'('".into(),
        Token::RParen => "')'".into(),
        Token::LBracket => "'['".into(),
        Token::RBracket => "']'".into(),
        Token::Comma => "','".into(),
    }
}

struct Parser<'a> {
    tokens: &'a [(usize, Token)],
    at: usize,
    variables: &'a [Variable],
    text_len: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn pos(&self) -> usize {
        self.tokens.get(self.at).map_or(self.text_len, |(p, _)| *p)
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Name(n)) if n.eq_ignore_ascii_case(word)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, want: Token, what: &str) -> ParseResult<()> {
        if self.peek() == Some(&want) {
            self.at += 1;
            Ok(())
        } else {
            Err((self.pos(), format!("expected {what}")))
        }
    }

    fn expr(&mut self) -> ParseResult<Filter> {
        let mut left = self.conjunction()?;
        while self.keyword("or") {
            let right = self.conjunction()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn conjunction(&mut self) -> ParseResult<Filter> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> ParseResult<Filter> {
        if self.keyword("not") {
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::LParen) {
            self.at += 1;
            let inner = self.expr()?;
            self.expect(Token::RParen, "')'")?;
            return Ok(inner);
        }
        self.test()
    }

    fn test(&mut self) -> ParseResult<Filter> {
        let pos = self.pos();
        let name = match self.peek() {
            Some(Token::Name(n)) => n.clone(),
            Some(t) => {
                return Err((
                    pos,
                    format!("expected a variable name, found {}", describe(t)),
                ))
            }
            None => return Err((pos, "expected a variable name".into())),
        };
        self.at += 1;
        let var = self
            .variables
            .iter()
            .position(|v| v.name == name)
            .ok_or((pos, format!("unknown variable '{name}'")))?;
        if self.keyword("is") {
            let negate = self.keyword("not");
            if !self.keyword("missing") {
                return Err((self.pos(), "expected 'missing' after 'is'".into()));
            }
            let coded = self.coded(var, pos)?.is_some();
            let f = Filter::Missing { var, coded };
            return Ok(if negate { Filter::Not(Box::new(f)) } else { f });
        }
        if self.keyword("in") {
            let values = self.list()?;
            let codes = self.codes_of(var, pos, &values)?;
            return Ok(Filter::Codes {
                var,
                codes,
                negate: false,
            });
        }
        let op_pos = self.pos();
        let op = match self.peek() {
            Some(Token::Op(op)) => *op,
            _ => {
                return Err((
                    op_pos,
                    "expected ==, !=, <, <=, >, >=, 'in' or 'is missing'".into(),
                ))
            }
        };
        self.at += 1;
        let value = self.value()?;
        self.comparison(var, pos, op, value)
    }

    /// The codes of a coded variable; none for a numeric one; an error for a select-all set.
    fn coded(&self, var: usize, pos: usize) -> ParseResult<Option<Vec<String>>> {
        let v = &self.variables[var];
        match &v.kind {
            VariableKind::Numeric { .. } | VariableKind::Scale(_) => Ok(None),
            VariableKind::Categorical { values, missing } => Ok(Some(
                values.iter().map(|c| c.code.clone()).chain(missing.iter().cloned()).collect(),
            )),
            VariableKind::Recode {
                values, missing, ..
            } => Ok(Some(
                values
                    .iter()
                    .map(|c| c.code.clone())
                    .chain(missing.iter().cloned())
                    .collect(),
            )),
            VariableKind::Bins { bins, .. } => Ok(Some(bins.iter().map(|b| b.label.clone()).collect())),
            VariableKind::Multi { .. } => Err((
                pos,
                format!("'{}' is a select-all question; filter on a single-choice, numeric or derived variable", v.name),
            )),
        }
    }

    fn value(&mut self) -> ParseResult<(usize, Token)> {
        let pos = self.pos();
        match self.peek() {
            Some(t @ (Token::Number(..) | Token::Text(_))) => {
                let t = t.clone();
                self.at += 1;
                Ok((pos, t))
            }
            Some(t) => Err((
                pos,
                format!("expected a number or a quoted code, found {}", describe(t)),
            )),
            None => Err((pos, "expected a number or a quoted code".into())),
        }
    }

    fn list(&mut self) -> ParseResult<Vec<(usize, Token)>> {
        self.expect(Token::LBracket, "'[' after 'in'")?;
        let mut out = vec![self.value()?];
        while self.peek() == Some(&Token::Comma) {
            self.at += 1;
            out.push(self.value()?);
        }
        self.expect(Token::RBracket, "']' or ','")?;
        Ok(out)
    }

    /// Code indices of the listed values; a missing code matches no respondent (index MAX − 1
    /// keeps it out of every match without being confused with a missing value).
    fn codes_of(&self, var: usize, pos: usize, values: &[(usize, Token)]) -> ParseResult<Vec<u32>> {
        let v = &self.variables[var];
        let Some(known) = self.coded(var, pos)? else {
            return Err((
                pos,
                format!(
                    "'{}' is numeric: use <, <=, >, >=, == or != with a number",
                    v.name
                ),
            ));
        };
        let answers = v.categories().len();
        values
            .iter()
            .map(|(p, t)| {
                let code = match t {
                    Token::Text(s) => s.clone(),
                    Token::Number(_, s) => s.clone(),
                    _ => unreachable!("value() returns numbers and texts"),
                };
                match known.iter().position(|k| *k == code) {
                    Some(i) if i < answers => Ok(i as u32),
                    Some(_) => Ok(u32::MAX - 1),
                    None => Err((
                        *p,
                        format!(
                            "'{code}' is not a code of '{}' (codes: {})",
                            v.name,
                            known.join(", ")
                        ),
                    )),
                }
            })
            .collect()
    }

    fn comparison(
        &self,
        var: usize,
        pos: usize,
        op: Op,
        value: (usize, Token),
    ) -> ParseResult<Filter> {
        let v = &self.variables[var];
        if self.coded(var, pos)?.is_some() {
            if !matches!(op, Op::Eq | Op::Ne) {
                return Err((
                    pos,
                    format!("'{}' has codes, not numbers: use ==, != or in", v.name),
                ));
            }
            let codes = self.codes_of(var, pos, std::slice::from_ref(&value))?;
            return Ok(Filter::Codes {
                var,
                codes,
                negate: op == Op::Ne,
            });
        }
        match value.1 {
            Token::Number(x, _) => Ok(Filter::Number { var, op, value: x }),
            Token::Text(s) => Err((
                value.0,
                format!(
                    "'{}' is numeric: compare it with a number, not \"{s}\"",
                    v.name
                ),
            )),
            _ => unreachable!("value() returns numbers and texts"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Codebook;
    use super::*;

    fn codebook() -> Codebook {
        Codebook::parse(
            r#"
[[variables]]
name = "leeftijd"
type = "numeric"
missing = ["999"]
[[variables]]
name = "taal"
type = "categorical"
values = [ { code = "NL" }, { code = "EN" } ]
missing = ["9"]
[[variables]]
name = "wijk"
type = "categorical"
values = [ { code = "1" }, { code = "2" }, { code = "3" } ]
"#,
        )
        .unwrap()
    }

    fn eval(text: &str, codes: [u32; 3], age: f64) -> bool {
        let cb = codebook();
        let f = compile(text, &cb.variables, "test").unwrap();
        f.matches(&codes, &[age, f64::NAN, f64::NAN])
    }

    const MISSING: u32 = u32::MAX;

    #[test]
    fn comparisons_with_missing_values_are_false_and_not_negates() {
        assert!(eval("leeftijd >= 65", [0, 0, 0], 70.0));
        assert!(!eval("leeftijd >= 65", [0, 0, 0], f64::NAN));
        assert!(!eval("leeftijd < 65", [0, 0, 0], f64::NAN));
        assert!(eval("not (leeftijd >= 65)", [0, 0, 0], f64::NAN));
        assert!(eval("leeftijd is missing", [0, 0, 0], f64::NAN));
        assert!(!eval("leeftijd is not missing", [0, 0, 0], f64::NAN));
        assert!(eval("taal == \"EN\"", [0, 1, 0], 30.0));
        assert!(!eval("taal != \"EN\"", [0, MISSING, 0], 30.0));
        assert!(eval("taal != 'EN'", [0, 0, 0], 30.0));
        assert!(
            !eval("taal == \"9\"", [0, MISSING, 0], 30.0),
            "a missing code matches nothing"
        );
        assert!(eval("wijk in [\"1\", 3]", [0, 0, 2], 30.0));
        assert!(!eval("wijk in [\"1\", 3]", [0, 0, 1], 30.0));
        assert!(eval(
            "taal == \"EN\" and not (wijk in [\"1\", \"2\"]) or leeftijd > 90",
            [0, 1, 2],
            20.0
        ));
    }

    #[test]
    fn unknown_names_codes_and_bad_syntax_are_codebook_errors() {
        let cb = codebook();
        let e = |t: &str| {
            compile(t, &cb.variables, "[[tables]] 'x'")
                .unwrap_err()
                .to_string()
        };
        assert!(e("leeftijd >= 65 and tal == \"EN\"").contains("unknown variable 'tal'"));
        assert!(e("taal == \"FR\"").contains("'FR' is not a code of 'taal'"));
        assert!(e("taal < \"NL\"").contains("use ==, != or in"));
        assert!(e("leeftijd == \"oud\"").contains("numeric"));
        assert!(e("leeftijd = 65").contains("write =="));
        assert!(e("(leeftijd > 1").contains("expected ')'"));
        assert!(e("leeftijd > 1 leeftijd").contains("unexpected"));
        // Operators as people write them: each says what to write instead.
        assert!(e("leeftijd => 65").contains("write >= for 'at least'"));
        assert!(e("leeftijd =< 65").contains("write <= for 'at most'"));
        assert!(e("leeftijd >= 65 en taal == \"NL\"").contains("unexpected 'en': write `and`"));
        assert!(e("leeftijd >= 65 of taal == \"NL\"").contains("write `or`"));
        assert!(e("leeftijd >= 65 && taal == \"NL\"").contains("write `and`"));
        assert!(e("wijk in [1, 2").contains("']'"));
        assert!(e("taal == \"EN").contains("not closed"));
    }
}
