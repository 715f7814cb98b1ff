//! Reading a filter: tokens, then a shunting-yard pass (an explicit operator stack, no
//! recursion) straight into the postfix program, with every error at its character.

use super::{stack_depth, CodeSet, Filter, Op, Step, Test, MAX_FILTER_DEPTH, MAX_FILTER_TESTS};
use crate::codebook::error::{CbResult, CodebookError};
use crate::codebook::{Variable, VariableKind};
use crate::text::escape::terminal;
use std::collections::HashMap;

/// Variable names to their indices (built once per codebook).
pub type Names<'a> = HashMap<&'a str, usize>;

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

type ParseResult<T> = Result<T, (usize, String)>;

/// Parse and resolve a filter; `context` names where it was written (for messages).
pub fn compile(
    text: &str,
    variables: &[Variable],
    names: &Names<'_>,
    context: &str,
) -> CbResult<Filter> {
    let err = |at: usize, what: String| {
        CodebookError::invalid(
            format!("{context}: filter {}", quoted(text)),
            format!("at character {}: {what}", at + 1),
        )
    };
    let tokens = tokenize(text).map_err(|(at, what)| err(at, what))?;
    let mut p = Parser {
        tokens: &tokens,
        at: 0,
        variables,
        names,
        text_len: text.chars().count(),
        code_index: HashMap::new(),
    };
    p.program().map_err(|(at, what)| err(at, what))
}

/// The filter's text for a message: quoted, escaped, and shortened when long.
fn quoted(text: &str) -> String {
    const SHOWN: usize = 200;
    let n = text.chars().count();
    if n <= SHOWN {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head:?}… ({n} characters)")
}

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
                let (op, len) = operator(c, chars.get(i + 1).copied()).map_err(|m| (i, m))?;
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
                    .map_err(|_| (i, format!("'{}' is not a number", terminal(&s))))?;
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
            other => {
                return Err((
                    i,
                    format!("unexpected character '{}'", terminal(&other.to_string())),
                ))
            }
        };
        out.push((start, token));
        i += 1;
    }
    Ok(out)
}

/// A comparison operator starting with `c` (and `next`): the operator and its length.
fn operator(c: char, next: Option<char>) -> Result<(Op, usize), String> {
    Ok(match (c, next) {
        ('=', Some('=')) => (Op::Eq, 2),
        ('!', Some('=')) => (Op::Ne, 2),
        ('<', Some('=')) => (Op::Le, 2),
        ('>', Some('=')) => (Op::Ge, 2),
        ('<', _) => (Op::Lt, 1),
        ('>', _) => (Op::Gt, 1),
        ('=', Some('>')) => return Err("write >= for 'at least' (=> is not an operator)".into()),
        ('=', Some('<')) => return Err("write <= for 'at most' (=< is not an operator)".into()),
        ('=', _) => return Err("write == to compare (a single = is not an operator)".into()),
        _ => return Err("expected != ".into()),
    })
}

fn describe(t: &Token) -> String {
    match t {
        Token::Name(n) => format!("'{}'", terminal(n)),
        Token::Number(_, s) => format!("number {}", terminal(s)),
        Token::Text(s) => format!("\"{}\"", terminal(s)),
        Token::Op(_) => "an operator".into(),
        Token::LParen => "'('".into(),
        Token::RParen => "')'".into(),
        Token::LBracket => "'['".into(),
        Token::RBracket => "']'".into(),
        Token::Comma => "','".into(),
    }
}

/// Words that read as operators in Dutch: what to write instead.
fn dutch_operator(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "en" => Some("and"),
        "of" => Some("or"),
        "niet" => Some("not"),
        _ => None,
    }
}

/// What a name where an operator belongs should be: filters are written in English.
fn hint(t: &Token) -> &'static str {
    match t {
        Token::Name(n) => match dutch_operator(n) {
            Some("and") => ": write `and` to join conditions (filters use and, or, not)",
            Some("or") => ": write `or` for either condition (filters use and, or, not)",
            Some(_) => ": write `not` (filters use and, or, not)",
            None if ["in", "and", "or", "not"].contains(&n.to_lowercase().as_str()) => "",
            None => ": join conditions with and / or",
        },
        _ => "",
    }
}

/// An operator waiting on the shunting-yard stack.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    And,
    Or,
    Not,
    Open(usize),
}

struct Parser<'a> {
    tokens: &'a [(usize, Token)],
    at: usize,
    variables: &'a [Variable],
    names: &'a Names<'a>,
    text_len: usize,
    /// Per coded variable with many codes: code → position in its code list.
    code_index: HashMap<usize, HashMap<String, usize>>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn pos(&self) -> usize {
        self.tokens.get(self.at).map_or(self.text_len, |(p, _)| *p)
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Name(n)) if n.eq_ignore_ascii_case(word))
    }

    fn keyword(&mut self, word: &str) -> bool {
        let is = self.is_keyword(word);
        self.at += usize::from(is);
        is
    }

    fn expect(&mut self, want: Token, what: &str) -> ParseResult<()> {
        if self.peek() == Some(&want) {
            self.at += 1;
            Ok(())
        } else {
            Err((self.pos(), format!("expected {what}")))
        }
    }

    /// The whole filter: operands and operators alternate; `and` binds before `or`; `not` and
    /// parentheses nest up to [`MAX_FILTER_DEPTH`].
    fn program(&mut self) -> ParseResult<Filter> {
        let mut tests: Vec<Test> = Vec::new();
        let mut program: Vec<Step> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut depth = 0usize;
        loop {
            // An operand: `not`s and opening parentheses, then a test.
            loop {
                let pos = self.pos();
                if self.keyword("not") {
                    pending.push(Pending::Not);
                } else if self.peek() == Some(&Token::LParen) {
                    self.at += 1;
                    pending.push(Pending::Open(pos));
                } else {
                    break;
                }
                depth += 1;
                if depth > MAX_FILTER_DEPTH {
                    return Err((
                        pos,
                        format!(
                            "nested more than {MAX_FILTER_DEPTH} levels deep (parentheses and \
                             'not'); write it flatter"
                        ),
                    ));
                }
            }
            if tests.len() == MAX_FILTER_TESTS {
                return Err((
                    self.pos(),
                    format!(
                        "more than {MAX_FILTER_TESTS} tests; a long list of codes is one test: \
                         write `name in [\"1\", \"2\", …]`"
                    ),
                ));
            }
            let (test, negated) = self.test()?;
            program.push(Step::Test(tests.len() as u32));
            tests.push(test);
            if negated {
                program.push(Step::Not);
            }
            // The operand is complete: the `not`s right before it apply to it, and every `)`
            // that follows closes a parenthesis (and then its `not`s).
            loop {
                while pending.last() == Some(&Pending::Not) {
                    pending.pop();
                    program.push(Step::Not);
                    depth -= 1;
                }
                if self.peek() != Some(&Token::RParen) {
                    break;
                }
                let pos = self.pos();
                self.at += 1;
                loop {
                    match pending.pop() {
                        Some(Pending::Open(_)) => break,
                        Some(Pending::And) => program.push(Step::And),
                        Some(Pending::Or) => program.push(Step::Or),
                        // Nots are applied as soon as their operand is complete.
                        Some(Pending::Not) | None => return Err((pos, "unexpected ')'".into())),
                    }
                }
                depth -= 1;
            }
            // An operator, or the end.
            let pos = self.pos();
            if self.keyword("and") {
                while pending.last() == Some(&Pending::And) {
                    pending.pop();
                    program.push(Step::And);
                }
                pending.push(Pending::And);
            } else if self.keyword("or") {
                while matches!(pending.last(), Some(Pending::And | Pending::Or)) {
                    program.push(match pending.pop() {
                        Some(Pending::And) => Step::And,
                        _ => Step::Or,
                    });
                }
                pending.push(Pending::Or);
            } else if let Some(t) = self.peek() {
                return Err((pos, format!("unexpected {}{}", describe(t), hint(t))));
            } else {
                break;
            }
        }
        while let Some(p) = pending.pop() {
            match p {
                Pending::And => program.push(Step::And),
                Pending::Or => program.push(Step::Or),
                Pending::Open(_) | Pending::Not => {
                    return Err((self.text_len, "expected ')'".into()))
                }
            }
        }
        if stack_depth(&program) > 63 {
            return Err((
                0,
                "too many operands waiting on each other; write it flatter".into(),
            ));
        }
        Ok(Filter { tests, program })
    }

    /// One test; `true` beside it when it is to be negated (`is not missing`).
    fn test(&mut self) -> ParseResult<(Test, bool)> {
        let pos = self.pos();
        let name = match self.peek() {
            Some(Token::Name(n)) if dutch_operator(n) == Some("not") => {
                return Err((
                    pos,
                    "expected a variable name: write `not` (filters use and, or, not)".into(),
                ))
            }
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
        let var = *self
            .names
            .get(name.as_str())
            .ok_or((pos, format!("unknown variable '{}'", terminal(&name))))?;
        if self.keyword("is") {
            let negate = self.keyword("not");
            if !self.keyword("missing") {
                return Err((self.pos(), "expected 'missing' after 'is'".into()));
            }
            let coded = self.codes(var, pos)?.is_some();
            return Ok((Test::Missing { var, coded }, negate));
        }
        if self.keyword("in") {
            let values = self.list()?;
            let (codes, listed) = self.code_set(var, pos, &values)?;
            return Ok((
                Test::Codes {
                    var,
                    codes,
                    listed,
                    negate: false,
                },
                false,
            ));
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
        Ok((self.comparison(var, pos, op, value)?, false))
    }

    /// The codes of a coded variable (its answers, then its missing codes); none for a numeric
    /// one; an error for a select-all set.
    fn codes(&self, var: usize, pos: usize) -> ParseResult<Option<Vec<&'a str>>> {
        let v: &'a Variable = &self.variables[var];
        match &v.kind {
            VariableKind::Numeric { .. } | VariableKind::Scale(_) => Ok(None),
            VariableKind::Categorical { values, missing }
            | VariableKind::Recode {
                values, missing, ..
            } => Ok(Some(
                values
                    .iter()
                    .map(|c| c.code.as_str())
                    .chain(missing.iter().map(String::as_str))
                    .collect(),
            )),
            VariableKind::Bins { bins, .. } => {
                Ok(Some(bins.iter().map(|b| b.label.as_str()).collect()))
            }
            VariableKind::Multi { .. } => Err((
                pos,
                format!(
                    "'{}' is a select-all question; filter on a single-choice, numeric or \
                     derived variable",
                    terminal(&v.name)
                ),
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

    /// The code indices of the listed values; a missing code matches no respondent, so it adds
    /// nothing to the set. Codes are looked up in a hash map for variables with many.
    fn code_set(
        &mut self,
        var: usize,
        pos: usize,
        values: &[(usize, Token)],
    ) -> ParseResult<(CodeSet, Vec<u32>)> {
        let v: &'a Variable = &self.variables[var];
        let Some(known) = self.codes(var, pos)? else {
            return Err((
                pos,
                format!(
                    "'{}' is numeric: use <, <=, >, >=, == or != with a number",
                    terminal(&v.name)
                ),
            ));
        };
        let answers = v.category_count();
        let index = self.code_index.entry(var).or_insert_with(|| {
            let mut m = HashMap::with_capacity(known.len());
            for (i, k) in known.iter().enumerate() {
                m.entry(k.to_string()).or_insert(i);
            }
            m
        });
        let mut set = CodeSet::default();
        let mut listed = Vec::with_capacity(values.len());
        for (p, t) in values {
            let code = match t {
                Token::Text(s) | Token::Number(_, s) => s.as_str(),
                _ => unreachable!("value() returns numbers and texts"),
            };
            match index.get(code) {
                Some(&i) if i < answers => {
                    set.insert(i as u32);
                    listed.push(i as u32);
                }
                Some(_) => {}
                None => {
                    let shown: Vec<String> = known
                        .iter()
                        .take(20)
                        .map(|k| terminal(k).into_owned())
                        .collect();
                    let more = if known.len() > 20 {
                        format!(", … ({} codes)", known.len())
                    } else {
                        String::new()
                    };
                    return Err((
                        *p,
                        format!(
                            "'{}' is not a code of '{}' (codes: {}{more})",
                            terminal(code),
                            terminal(&v.name),
                            shown.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok((set, listed))
    }

    fn comparison(
        &mut self,
        var: usize,
        pos: usize,
        op: Op,
        value: (usize, Token),
    ) -> ParseResult<Test> {
        let v = &self.variables[var];
        if self.codes(var, pos)?.is_some() {
            if !matches!(op, Op::Eq | Op::Ne) {
                return Err((
                    pos,
                    format!(
                        "'{}' has codes, not numbers: use ==, != or in",
                        terminal(&v.name)
                    ),
                ));
            }
            let (codes, listed) = self.code_set(var, pos, std::slice::from_ref(&value))?;
            return Ok(Test::Codes {
                var,
                codes,
                listed,
                negate: op == Op::Ne,
            });
        }
        match value.1 {
            Token::Number(x, _) => Ok(Test::Number { var, op, value: x }),
            Token::Text(s) => Err((
                value.0,
                format!(
                    "'{}' is numeric: compare it with a number, not \"{}\"",
                    terminal(&v.name),
                    terminal(&s)
                ),
            )),
            _ => unreachable!("value() returns numbers and texts"),
        }
    }
}
