//! Issue 13, "nothing lost, nothing unsafe": positions in LF, CRLF and CR files, NUL bytes and
//! bytes that are not UTF-8 (in data and codebooks), runaway quotes, inputs without end, pipes
//! and FIFOs, truncated SPSS files. Each runs the real binary on files written in the test.

mod common;

use common::{bin, read_csv_str, repo, Workdir};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CODEBOOK: &str = r#"
[design]
weight = "w"
[[variables]]
name = "leeftijd"
type = "numeric"
[[variables]]
name = "taal"
type = "categorical"
values = [ { code = "NL" }, { code = "EN" } ]
[[variables]]
name = "k"
type = "multi"
items = [ { column = "k_tel" }, { column = "k_mail" } ]
[[tables]]
name = "k"
rows = "k"
by = ["taal"]
"#;

const HEADER: &str = "id,leeftijd,taal,w,k_tel,k_mail";

/// `n` good rows after the header, as lines without line ends.
fn lines(n: usize) -> Vec<String> {
    let mut v = vec![HEADER.to_string()];
    for i in 0..n {
        let taal = if i % 4 == 0 { "EN" } else { "NL" };
        v.push(format!(
            "{i},{},{taal},{}.5,{},{}",
            20 + i % 50,
            1 + i % 3,
            i % 2,
            (i / 2) % 2
        ));
    }
    v
}

fn join(lines: &[String], end: &str) -> String {
    let mut s = lines.join(end);
    s.push_str(end);
    s
}

fn setup() -> Workdir {
    let wd = Workdir::new();
    wd.write("cb.toml", CODEBOOK);
    wd
}

fn crosstab_csv(wd: &Workdir, data: &str) -> String {
    let r = wd.run(&["crosstab", data, "-c", "cb.toml", "-t", "k", "-f", "csv"]);
    r.expect_code(0);
    r.stdout()
}

#[test]
fn lines_are_right_in_lf_crlf_and_cr_files() {
    let wd = setup();
    let mut rows = lines(20);
    rows[9] = "8,30,XX,1.5,1,0".into(); // line 10
    rows[15] = "14,30,NL,zwaar,1,0".into(); // line 16
    for (name, end) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        wd.write(name, join(&rows, end));
        let r = wd.run(&["validate", name, "-c", "cb.toml"]);
        r.expect_code(1);
        let out = r.stdout();
        assert!(
            out.contains("line 10, column 'taal': value \"XX\""),
            "{name}: {out}"
        );
        assert!(
            out.contains("line 16, column 'w': value \"zwaar\""),
            "{name}: {out}"
        );
        assert!(out.contains("20 rows read, 18 valid"), "{name}: {out}");
    }
    // The same good data in any line ending gives the same table.
    let good = lines(40);
    wd.write("a.csv", join(&good, "\n"));
    wd.write("b.csv", join(&good, "\r\n"));
    wd.write("c.csv", join(&good, "\r"));
    let a = crosstab_csv(&wd, "a.csv");
    assert_eq!(a, crosstab_csv(&wd, "b.csv"));
    assert_eq!(a, crosstab_csv(&wd, "c.csv"));
}

#[test]
fn a_line_break_inside_quotes_counts_as_a_line() {
    let wd = Workdir::new();
    wd.write(
        "cb.toml",
        format!("{CODEBOOK}[[variables]]\nname = \"opm\"\ntype = \"categorical\"\nvalues = [ {{ code = \"x\" }} ]\n"),
    );
    for end in ["\n", "\r\n", "\r"] {
        let mut rows = lines(6);
        rows[0].push_str(",opm");
        for r in rows.iter_mut().skip(1) {
            r.push_str(",x");
        }
        // Line 3 holds a comment over two lines (3 and 4); line 6 a bad code.
        rows[2] = format!("1,21,NL,2.5,0,0,\"first{end}second\"");
        rows[4] = "3,23,NL,1.5,1,0,y".into();
        let data = join(&rows, end);
        wd.write("q.csv", &data);
        let r = wd.run(&["validate", "q.csv", "-c", "cb.toml"]);
        r.expect_code(1);
        let out = r.stdout();
        assert!(
            out.contains("line 3, column 'opm': value \"first"),
            "{end:?}: {out}"
        );
        assert!(
            out.contains("line 6, column 'opm': value \"y\""),
            "{end:?}: {out}"
        );
        assert!(out.contains("6 rows read, 4 valid"), "{end:?}: {out}");
    }
}

#[test]
fn nul_bytes_and_bad_utf8_are_placed_by_line_column_and_byte() {
    let wd = setup();
    let mut data = join(&lines(5), "\r\n").into_bytes();
    data.extend_from_slice(b"5,30,NL,1.5,1,0\r\n6,30,NL,1.5,1,0\r\n7,30,E\xe9N,1.5,1,0\r\n");
    wd.write("latin.csv", &data);
    let r = wd.run(&["validate", "latin.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains("line 9, column 'taal': value \"E\u{fffd}N\"")
            && out.contains("byte 2 of the field (0xE9) is not UTF-8"),
        "{out}"
    );
    // A NUL byte early in the file: not a text file, refused with the byte's place.
    data.extend_from_slice(b"8,30,N\0L,1.5,1,0\r\n");
    wd.write("bin.csv", &data);
    let r = wd.run(&["validate", "bin.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains("line 10, column 'taal': value \"N\\u{0}L\"")
            && r.stderr().contains("byte 2 of the field is a NUL byte"),
        "{}",
        r.describe()
    );
    // Past the first block, a NUL byte is a problem of its row, placed the same way.
    let mut big = join(&lines(80_000), "\n").into_bytes();
    big.extend_from_slice(b"x,30,NL,1.5,1,0\n9,\"a\nb\",N\0L,1.5,1,0\n");
    wd.write("late.csv", &big);
    let r = wd.run(&["validate", "late.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains("line 80003, column 'taal': value \"N\\u{0}L\"")
            && out.contains("byte 2 of the field is a NUL byte")
            && out.contains("(the record starts on line 80003; this field is on line 80004)"),
        "{out}"
    );
    // A NUL in the header: placed too, and refused at once.
    wd.write("h.csv", b"id,leef\0tijd\n1,2\n");
    let r = wd.run(&["validate", "h.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("line 1, column 'header field 2'")
            && r.stderr().contains("byte 5 of the field is a NUL byte"),
        "{}",
        r.describe()
    );
}

#[test]
fn codebook_encoding_problems_name_line_and_column() {
    let wd = setup();
    wd.write("d.csv", join(&lines(5), "\n"));
    let mut cb = CODEBOOK.replace("\n", "\r\n").into_bytes();
    let at = cb.windows(3).position(|w| w == b"NL\"").unwrap();
    cb[at + 1] = 0xC8; // "N\xC8": not UTF-8, on line 10
    wd.write("bad.toml", &cb);
    let r = wd.run(&["validate", "d.csv", "-c", "bad.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr()
            .contains("line 10, column 23: byte 0xC8 is not UTF-8"),
        "{}",
        r.describe()
    );
    let mut cb = CODEBOOK.as_bytes().to_vec();
    cb.insert(3, 0);
    wd.write("nul.toml", &cb);
    let r = wd.run(&["validate", "d.csv", "-c", "nul.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("line 2, column 3: a NUL byte"),
        "{}",
        r.describe()
    );
    // Old Mac line ends: read as line breaks, so TOML errors point at the right line.
    let cr = CODEBOOK
        .replace('\n', "\r")
        .replace("type = \"numeric\"", "type = numeric");
    wd.write("cr.toml", cr);
    let r = wd.run(&["validate", "d.csv", "-c", "cr.toml"]);
    r.expect_code(2);
    assert!(r.stderr().contains("line 6"), "{}", r.describe());
}

#[test]
fn a_stray_quote_is_never_skipped_with_the_rows_it_swallows() {
    let wd = setup();
    let mut rows = lines(30);
    rows[4] = "3,\"33,NL,1.5,1,0".into(); // line 5: a quote that never closes
    wd.write("stray.csv", join(&rows, "\n"));
    let r = wd.run(&[
        "crosstab",
        "stray.csv",
        "-c",
        "cb.toml",
        "-t",
        "k",
        "--skip-invalid",
    ]);
    r.expect_code(1);
    let err = r.stderr();
    assert!(
        err.contains("line 5, column 'leeftijd'"),
        "{}",
        r.describe()
    );
    assert!(
        err.contains(
            "opens this field on line 5 never closes (it runs to line 31, the end of the file)"
        ),
        "{}",
        r.describe()
    );
    assert!(
        err.contains("--skip-invalid cannot leave this out"),
        "{}",
        r.describe()
    );
    // A quote that closes at another stray quote further on: the swallowed lines are named.
    rows[11] = "10,44\",NL,1.5,1,0".into();
    wd.write("two.csv", join(&rows, "\n"));
    let r = wd.run(&["validate", "two.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    assert!(
        r.stdout()
            .contains("closes on line 12, so lines 5 to 12 read as one record"),
        "{}",
        r.describe()
    );
    assert!(r.stdout().contains("23 rows read"), "{}", r.describe());
    let r = wd.run(&[
        "report",
        "two.csv",
        "-c",
        "cb.toml",
        "--out",
        "rep",
        "--skip-invalid",
    ]);
    r.expect_code(1);
    assert!(!wd.path("rep/estimates.csv").exists());
}

#[test]
fn quoted_multiline_fields_that_make_valid_rows_are_used_and_listed() {
    let wd = setup();
    let mut rows = lines(10);
    rows[0].push_str(",opmerking");
    for r in rows.iter_mut().skip(1) {
        r.push_str(",\"ok\"");
    }
    rows[3] = "2,22,NL,1.5,1,0,\"twee\nregels, met komma\"".into(); // lines 4-5
    rows[6] = "\"5\",\"25\",\"NL\",\"1.5\",\"1\",\"0\",\"\"\"quoted\"\"\"".into();
    wd.write("ok.csv", join(&rows, "\n"));
    let r = wd.run(&[
        "crosstab", "ok.csv", "-c", "cb.toml", "-t", "k", "-f", "csv",
    ]);
    r.expect_code(0);
    assert!(
        r.stderr().contains(
            "warning: 1 record spans several lines (a line break inside a quoted field): lines 4-5"
        ),
        "{}",
        r.describe()
    );
    // In a column the codebook reads, a value over two lines is a problem, and the record's
    // lines cannot be left out as one row.
    rows[3] = "2,\"2\n2\",NL,1.5,1,0,x".into();
    wd.write("bad.csv", join(&rows, "\n"));
    let r = wd.run(&["validate", "bad.csv", "-c", "cb.toml"]);
    r.expect_code(1);
    assert!(
        r.stdout().contains("line 4, column 'leeftijd': value \"2\\n2\": expected a quoted field that ends on its line"),
        "{}",
        r.describe()
    );
    assert!(
        r.stdout().contains("10 rows read, 9 valid"),
        "{}",
        r.describe()
    );
}

/// Run with a deadline: a hang is a failure, not a stuck test.
fn run_within(wd: &Workdir, args: &[&str], limit: Duration) -> common::Run {
    let t = Instant::now();
    let r = wd.run(args);
    assert!(
        t.elapsed() < limit,
        "took {:?}: {}",
        t.elapsed(),
        r.describe()
    );
    r
}

#[test]
fn inputs_without_end_are_refused_quickly() {
    let wd = setup();
    // 300 MB of zero bytes (sparse, so instant to make).
    let zeros = wd.path("zeros.csv");
    std::fs::File::create(&zeros)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let r = run_within(
        &wd,
        &["validate", "zeros.csv", "-c", "cb.toml"],
        Duration::from_secs(5),
    );
    r.expect_code(1);
    assert!(r.stderr().contains("NUL byte"), "{}", r.describe());
    // A header, then zeros without a line break.
    let f = wd.write("tail.csv", format!("{HEADER}\n"));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&f)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let r = run_within(
        &wd,
        &["validate", "tail.csv", "-c", "cb.toml"],
        Duration::from_secs(5),
    );
    r.expect_code(1);
    assert!(
        r.stderr().contains("line 2, column 'id'") && r.stderr().contains("NUL byte"),
        "{}",
        r.describe()
    );
    let r = run_within(
        &wd,
        &["validate", "/dev/zero", "-c", "cb.toml"],
        Duration::from_secs(5),
    );
    r.expect_code(1);
    assert!(r.stderr().contains("NUL byte"), "{}", r.describe());
    // A quote that never closes in a large file: where it opens, within the limit.
    let mut big = lines(1);
    big.push("1,\"30,NL,1.5,1,0".into());
    let mut text = join(&big, "\n");
    text.push_str(&"1,30,NL,1.5,1,0\n".repeat(1_250_000)); // 20 MB

    wd.write("open.csv", text);
    let r = run_within(
        &wd,
        &["validate", "open.csv", "-c", "cb.toml"],
        Duration::from_secs(10),
    );
    r.expect_code(1);
    assert!(
        r.stderr().contains("line 3, column 'leeftijd'") && r.stderr().contains("more than 16 MiB"),
        "{}",
        r.describe()
    );
}

/// Run `enquete ARGS` with `input` on its standard input.
fn run_stdin(wd: &Workdir, args: &[&str], input: Vec<u8>) -> common::Run {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(wd.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    common::Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        output,
    }
}

#[test]
fn pipes_and_fifos_are_read_once_without_losing_bytes() {
    let wd = setup();
    let data = join(&lines(3000), "\n");
    wd.write("d.csv", &data);
    let expected = crosstab_csv(&wd, "d.csv");
    let args = [
        "crosstab",
        "/dev/stdin",
        "-c",
        "cb.toml",
        "-t",
        "k",
        "-f",
        "csv",
    ];
    let r = run_stdin(&wd, &args, data.clone().into_bytes());
    r.expect_code(0);
    assert_eq!(r.stdout(), expected);
    // A draft from a pipe reads the stream once: the same codebook as from the file (apart from
    // the path it names and the title taken from it).
    let from_file = wd.run(&["codebook", "d.csv"]);
    from_file.expect_code(0);
    let r = run_stdin(&wd, &["codebook", "/dev/stdin"], data.clone().into_bytes());
    r.expect_code(0);
    assert_eq!(
        r.stdout()
            .replace("/dev/stdin", "d.csv")
            .replace("title = \"stdin\"", "title = \"d\""),
        from_file.stdout(),
        "{}",
        r.describe()
    );
    // A FIFO: opened once (a second open would wait forever for a writer).
    let fifo = wd.path("d.fifo");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let writer = {
        let fifo = fifo.clone();
        let data = data.clone();
        std::thread::spawn(move || std::fs::write(fifo, data).unwrap())
    };
    let r = run_within(
        &wd,
        &[
            "crosstab", "d.fifo", "-c", "cb.toml", "-t", "k", "-f", "csv",
        ],
        Duration::from_secs(20),
    );
    writer.join().unwrap();
    r.expect_code(0);
    assert_eq!(r.stdout(), expected);
    // An SPSS file through a pipe: format told from bytes that are then handed on.
    let sav = std::fs::read(repo().join("tests/fixtures/spss/survey.sav")).unwrap();
    let cb = repo().join("tests/fixtures/spss/survey.toml");
    let cb = cb.to_str().unwrap();
    let file = wd.run(&[
        "crosstab",
        repo()
            .join("tests/fixtures/spss/survey.sav")
            .to_str()
            .unwrap(),
        "-c",
        cb,
        "-t",
        "info",
        "-f",
        "csv",
    ]);
    file.expect_code(0);
    let piped = run_stdin(
        &wd,
        &[
            "crosstab",
            "/dev/stdin",
            "-c",
            cb,
            "-t",
            "info",
            "-f",
            "csv",
        ],
        sav,
    );
    piped.expect_code(0);
    assert_eq!(piped.stdout(), file.stdout());
    assert!(!read_csv_str(&file.stdout()).is_empty());
}

#[test]
fn repeated_and_blank_header_names_are_renamed_with_a_warning() {
    let wd = setup();
    let mut rows = lines(10);
    rows[0] = "id,leeftijd,taal,w,k_tel,k_mail,taal,".into();
    for r in rows.iter_mut().skip(1) {
        r.push_str(",x,");
    }
    wd.write("dup.csv", join(&rows, "\n"));
    let r = wd.run(&[
        "crosstab", "dup.csv", "-c", "cb.toml", "-t", "k", "-f", "csv",
    ]);
    r.expect_code(0);
    assert!(
        r.stderr()
            .contains("warning: column 7 repeats the name 'taal'; it is called 'taal_7'"),
        "{}",
        r.describe()
    );
    assert!(
        r.stderr()
            .contains("column 8 has no name in the header; it is called 'column_8'"),
        "{}",
        r.describe()
    );
    let r = wd.run(&["validate", "dup.csv", "-c", "cb.toml"]);
    r.expect_code(0);
    assert!(
        r.stdout()
            .contains("note: column 7 repeats the name 'taal'"),
        "{}",
        r.describe()
    );
}

#[test]
fn header_names_with_escape_sequences_are_shown_escaped() {
    let wd = setup();
    let mut data = Vec::new();
    data.extend_from_slice(b"id,leeftijd,taal,w,k_tel,k_mail,opm\x1b[31mrood,opm\x1b[31mrood\n");
    data.extend_from_slice(b"1,30,NL,1.5,1,0,ok,x\n2,30,NL,1.5,1,0,b\xa3d,x\n3,40,EN,1,0,1,x,y\n");
    wd.write("esc.csv", &data);
    for args in [
        &["validate", "esc.csv", "-c", "cb.toml"][..],
        &[
            "crosstab",
            "esc.csv",
            "-c",
            "cb.toml",
            "-t",
            "k",
            "--skip-invalid",
        ][..],
    ] {
        let r = wd.run(args);
        let (out, err) = (r.stdout(), r.stderr());
        for text in [&out, &err] {
            assert!(!text.contains('\x1b'), "{}", r.describe());
        }
        assert!(
            (out.clone() + &err).contains("line 3, column 'opm\\u{1b}[31mrood'"),
            "{}",
            r.describe()
        );
        assert!(
            err.contains("repeats the name 'opm\\u{1b}[31mrood'") || args[0] == "validate",
            "{}",
            r.describe()
        );
    }
}

#[path = "input_robustness/spss.rs"]
mod spss;
