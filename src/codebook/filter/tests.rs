use super::super::Codebook;
use super::parse::Names;
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

fn names(cb: &Codebook) -> Names<'_> {
    cb.variables
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.as_str(), i))
        .collect()
}

fn compiled(text: &str) -> Result<Filter, String> {
    let cb = codebook();
    compile(text, &cb.variables, &names(&cb), "[[tables]] 'x'").map_err(|e| e.to_string())
}

fn eval(text: &str, codes: [u32; 3], age: f64) -> bool {
    compiled(text)
        .unwrap()
        .matches(&codes, &[age, f64::NAN, f64::NAN])
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
fn and_binds_before_or_and_not_applies_to_its_operand() {
    // a or b and c = a or (b and c)
    let f = "leeftijd > 60 or taal == \"EN\" and wijk == \"1\"";
    assert!(eval(f, [0, 0, 1], 70.0));
    assert!(!eval(f, [0, 1, 1], 30.0));
    assert!(eval(f, [0, 1, 0], 30.0));
    // not a and b = (not a) and b
    assert!(eval(
        "not taal == \"EN\" and wijk == \"1\"",
        [0, 0, 0],
        30.0
    ));
    assert!(!eval(
        "not taal == \"EN\" and wijk == \"1\"",
        [0, 1, 0],
        30.0
    ));
    assert!(eval("not not (not (leeftijd < 18))", [0, 0, 0], 30.0));
    assert!(eval(
        "((leeftijd > 1) and (wijk == \"1\" or wijk == \"2\"))",
        [0, 0, 1],
        30.0
    ));
}

#[test]
fn every_evaluation_order_matches_a_direct_reading() {
    // All 2^4 truth assignments of a, b, c, d through several shapes.
    type Direct = fn(bool, bool, bool, bool) -> bool;
    let shapes: [(&str, Direct); 4] = [
        ("A or B and C or not D", |a, b, c, d| a || (b && c) || !d),
        ("(A or B) and (C or D)", |a, b, c, d| (a || b) && (c || d)),
        ("not (A and not (B or C)) and D", |a, b, c, d| {
            !(a && !(b || c)) && d
        }),
        ("A and B and C or not A and D", |a, b, c, d| {
            (a && b && c) || (!a && d)
        }),
    ];
    for (shape, direct) in shapes {
        let text = shape
            .replace('A', "wijk == \"1\"")
            .replace('B', "taal == \"EN\"")
            .replace('C', "leeftijd > 50")
            .replace('D', "wijk != \"3\"");
        let f = compiled(&text).unwrap();
        for wijk in 0..3u32 {
            for taal in 0..2u32 {
                for age in [30.0, 60.0] {
                    let (a, b, c, d) = (wijk == 0, taal == 1, age > 50.0, wijk != 2);
                    assert_eq!(
                        f.matches(&[0, taal, wijk], &[age, f64::NAN, f64::NAN]),
                        direct(a, b, c, d),
                        "{shape} at a={a} b={b} c={c} d={d}"
                    );
                }
            }
        }
    }
}

#[test]
fn unknown_names_codes_and_bad_syntax_are_codebook_errors() {
    let e = |t: &str| compiled(t).unwrap_err();
    assert!(e("leeftijd >= 65 and tal == \"EN\"").contains("unknown variable 'tal'"));
    assert!(e("taal == \"FR\"").contains("'FR' is not a code of 'taal'"));
    assert!(e("taal < \"NL\"").contains("use ==, != or in"));
    assert!(e("leeftijd == \"oud\"").contains("numeric"));
    assert!(e("leeftijd = 65").contains("write =="));
    assert!(e("leeftijd => 65").contains("write >="));
    assert!(e("(leeftijd > 1").contains("expected ')'"));
    assert!(e("leeftijd > 1)").contains("unexpected ')'"));
    assert!(e("leeftijd > 1 leeftijd").contains("unexpected"));
    // Operators as people write them: each says what to write instead.
    assert!(e("leeftijd => 65").contains("write >= for 'at least'"));
    assert!(e("leeftijd =< 65").contains("write <= for 'at most'"));
    assert!(e("leeftijd >= 65 en taal == \"NL\"").contains("unexpected 'en': write `and`"));
    assert!(e("leeftijd >= 65 of taal == \"NL\"").contains("write `or`"));
    assert!(e("leeftijd >= 65 && taal == \"NL\"").contains("write `and`"));
    assert!(e("leeftijd >= 65 || taal == \"NL\"").contains("write `or`"));
    assert!(e("wijk in [1, 2").contains("']'"));
    assert!(e("taal == \"EN").contains("not closed"));
    assert!(e("").contains("expected a variable name"));
    assert!(e("leeftijd > 1 and").contains("expected a variable name"));
}

#[test]
fn deep_and_long_filters_are_refused_not_overflowed() {
    // Each of these overflowed the stack (exit 134) in parsing, evaluation or drop.
    let deep = format!("{}leeftijd > 1{}", "(".repeat(8_700), ")".repeat(8_700));
    assert!(compiled(&deep)
        .unwrap_err()
        .contains("nested more than 24 levels"));
    let nots = format!("{}leeftijd > 1", "not ".repeat(15_900));
    assert!(compiled(&nots)
        .unwrap_err()
        .contains("nested more than 24 levels"));
    let chain = vec!["leeftijd > 1"; 32_700].join(" and ");
    assert!(compiled(&chain)
        .unwrap_err()
        .contains("more than 1000 tests"));
    // At the limits they compile, evaluate and drop.
    let deep = format!("{}leeftijd > 1{}", "(".repeat(24), ")".repeat(24));
    assert!(eval(&deep, [0, 0, 0], 30.0));
    let nots = format!("{}leeftijd > 1", "not ".repeat(24));
    assert!(eval(&nots, [0, 0, 0], 30.0));
    let chain = vec!["leeftijd > 1"; 1_000].join(" or ");
    assert!(eval(&chain, [0, 0, 0], 30.0));
    // The widest stack nesting allows: every level waits on an 'or' and an 'and'.
    let mut text = String::from("leeftijd > 1");
    for _ in 0..23 {
        text = format!("leeftijd > 2 or leeftijd > 3 and ({text})");
    }
    assert!(eval(&text, [0, 0, 0], 30.0));
}

#[test]
fn long_code_lists_are_sets() {
    let values: Vec<String> = (0..100_000)
        .map(|i| format!("{{ code = \"{i}\" }}"))
        .collect();
    let cb = Codebook::parse(&format!(
        "[[variables]]\nname = \"c\"\ntype = \"categorical\"\nvalues = [{}]\n",
        values.join(", ")
    ))
    .unwrap();
    let list: Vec<String> = (0..100_000)
        .step_by(2)
        .map(|i| format!("\"{i}\""))
        .collect();
    let start = std::time::Instant::now();
    let f = compile(
        &format!("c in [{}]", list.join(", ")),
        &cb.variables,
        &names(&cb),
        "x",
    )
    .unwrap();
    assert!(start.elapsed().as_secs_f64() < 5.0, "compiling is linear");
    assert!(f.matches(&[99_998], &[f64::NAN]));
    assert!(!f.matches(&[99_999], &[f64::NAN]));
    assert!(!f.matches(&[u32::MAX], &[f64::NAN]));
}

#[test]
fn codes_in_messages_are_escaped() {
    let e = compiled("taal == \"N\u{202e}L\"").unwrap_err();
    assert!(!e.contains('\u{202e}') && e.contains("\\u{202e}"), "{e}");
    let e = compiled("ta\u{202e}al == \"NL\"").unwrap_err();
    assert!(!e.contains('\u{202e}'), "{e}");
}
