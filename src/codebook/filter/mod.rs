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
//!
//! A filter is compiled into a flat postfix program (tests, `and`, `or`, `not`) that is parsed,
//! evaluated and dropped without recursion, so no expression can overflow the stack (8,700
//! nested parentheses, 15,900 `not`s or 32,700 chained `and`s did). Its size is bounded when it
//! is read ([`MAX_FILTER_DEPTH`], [`MAX_FILTER_TESTS`]): it is evaluated for every respondent of
//! every table. Codes are resolved once into a bit set per test, so an `in` list of a million
//! codes costs one bit lookup per row.

mod parse;

pub use parse::{compile, Names};

/// The deepest nesting of parentheses and `not`s a filter may have.
pub const MAX_FILTER_DEPTH: usize = 24;

/// The most tests (comparisons, `in` lists, `is missing`) a filter may have.
pub const MAX_FILTER_TESTS: usize = 1_000;

/// A compiled filter: variables resolved to indices, codes to code-index sets, the expression
/// to a postfix program whose evaluation stack fits in 64 bits.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    tests: Vec<Test>,
    program: Vec<Step>,
}

/// One step of the postfix program.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// Push the outcome of test i.
    Test(u32),
    And,
    Or,
    Not,
}

/// One test on one variable.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// A numeric variable compared with a number.
    Number { var: usize, op: Op, value: f64 },
    /// A coded variable (categorical, recode, bins) in a set of code indices; `negate` for `!=`.
    /// `listed` holds the indices as the filter lists them (missing codes left out).
    Codes {
        var: usize,
        codes: CodeSet,
        listed: Vec<u32>,
        negate: bool,
    },
    /// The variable has no valid value (`is missing`).
    Missing { var: usize, coded: bool },
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

/// A set of code indices (a variable's answers) as bits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodeSet {
    bits: Vec<u64>,
}

impl CodeSet {
    pub fn insert(&mut self, code: u32) {
        let (word, bit) = (code as usize / 64, code % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << bit;
    }

    #[inline]
    pub fn contains(&self, code: u32) -> bool {
        self.bits
            .get(code as usize / 64)
            .is_some_and(|w| w >> (code % 64) & 1 == 1)
    }
}

impl Test {
    /// Whether a respondent passes this test. `codes[v]` is the code index of a coded variable
    /// (`u32::MAX` when missing), `numbers[v]` the value of a numeric one (NaN when missing).
    #[inline]
    fn holds(&self, codes: &[u32], numbers: &[f64]) -> bool {
        match self {
            Test::Number { var, op, value } => {
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
            Test::Codes {
                var,
                codes: set,
                negate,
                ..
            } => {
                let c = codes[*var];
                c != u32::MAX && (set.contains(c) != *negate)
            }
            Test::Missing { var, coded } => {
                if *coded {
                    codes[*var] == u32::MAX
                } else {
                    numbers[*var].is_nan()
                }
            }
        }
    }

    fn var(&self) -> usize {
        match self {
            Test::Number { var, .. } | Test::Codes { var, .. } | Test::Missing { var, .. } => *var,
        }
    }
}

impl Filter {
    /// Whether a respondent with these decoded values is in the subpopulation.
    /// `codes[v]` is the code index of a coded variable (`u32::MAX` when missing), `numbers[v]`
    /// the value of a numeric one (NaN when missing).
    #[inline]
    pub fn matches(&self, codes: &[u32], numbers: &[f64]) -> bool {
        // The evaluation stack as bits, the top in bit 0 (compile bounds its depth by 64).
        let mut stack: u64 = 0;
        for step in &self.program {
            match *step {
                Step::Test(i) => {
                    let b = self.tests[i as usize].holds(codes, numbers);
                    stack = stack << 1 | u64::from(b);
                }
                Step::Not => stack ^= 1,
                Step::And => {
                    let top = stack & 1;
                    stack = (stack >> 1) & (!1 | top);
                }
                Step::Or => {
                    let top = stack & 1;
                    stack = (stack >> 1) | top;
                }
            }
        }
        stack & 1 == 1
    }

    /// Both filters must hold.
    pub fn and(a: Option<Filter>, b: Option<Filter>) -> Option<Filter> {
        match (a, b) {
            (Some(mut a), Some(b)) => {
                let offset = a.tests.len() as u32;
                a.tests.extend(b.tests);
                a.program.extend(b.program.into_iter().map(|s| match s {
                    Step::Test(i) => Step::Test(i + offset),
                    other => other,
                }));
                a.program.push(Step::And);
                Some(a)
            }
            (a, None) => a,
            (None, b) => b,
        }
    }

    /// The variables the filter reads, each once, in the order of their first test.
    pub fn variables(&self, out: &mut Vec<usize>) {
        for t in &self.tests {
            if !out.contains(&t.var()) {
                out.push(t.var());
            }
        }
    }

    /// The filter's tests, in the order they are written.
    pub fn tests(&self) -> &[Test] {
        &self.tests
    }

    /// The filter folded bottom-up, without recursion: `test` makes each test's value, `not`,
    /// `and` and `or` combine them as the expression does (`and` and `or` get their left and
    /// right operand). Used to say a filter in words.
    pub fn fold<T>(
        &self,
        mut test: impl FnMut(&Test) -> T,
        mut not: impl FnMut(T) -> T,
        mut and: impl FnMut(T, T) -> T,
        mut or: impl FnMut(T, T) -> T,
    ) -> T {
        let mut stack: Vec<T> = Vec::new();
        for step in &self.program {
            let value = match *step {
                Step::Test(i) => test(&self.tests[i as usize]),
                Step::Not => {
                    let a = stack.pop().expect("compile checks the program");
                    not(a)
                }
                Step::And | Step::Or => {
                    let b = stack.pop().expect("compile checks the program");
                    let a = stack.pop().expect("compile checks the program");
                    if *step == Step::And {
                        and(a, b)
                    } else {
                        or(a, b)
                    }
                }
            };
            stack.push(value);
        }
        stack.pop().expect("a filter has at least one test")
    }
}

/// The deepest the postfix program's stack gets (compile keeps it within 64).
fn stack_depth(program: &[Step]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for s in program {
        match s {
            Step::Test(_) => {
                depth += 1;
                max = max.max(depth);
            }
            Step::And | Step::Or => depth -= 1,
            Step::Not => {}
        }
    }
    max
}

#[cfg(test)]
mod tests;
