//! Running one input under a deadline (the library in a thread, the binary as a process that is
//! killed when late), the properties every output must have, and the campaign's counts.

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What went wrong with one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// A panic, an abort, a signal, an exit code outside 0–3, "internal error".
    Panic,
    /// Not done within the time limit.
    Hang,
    /// Rows or cases lost without a word, or counts that do not add up.
    SilentLoss,
    /// A formula cell, markup, a control character on the terminal, an incomplete folder.
    UnsafeOutput,
    /// A codebook accepted when read that fails later (exit 2 or 3 on data that fits it).
    LateFailure,
}

/// The counts of one target.
pub struct Stats {
    pub target: &'static str,
    pub inputs: u64,
    pub binary_runs: u64,
    /// Inputs the program accepted (a result, exit code 0).
    pub accepted: u64,
    pub panics: u64,
    pub hangs: u64,
    pub silent_losses: u64,
    pub unsafe_outputs: u64,
    pub late_failures: u64,
    pub started: Instant,
    /// (kind, saved input, what happened) of the first findings.
    pub findings: Vec<(Finding, PathBuf, String)>,
}

impl Stats {
    pub fn new(target: &'static str) -> Stats {
        Stats {
            target,
            inputs: 0,
            binary_runs: 0,
            accepted: 0,
            panics: 0,
            hangs: 0,
            silent_losses: 0,
            unsafe_outputs: 0,
            late_failures: 0,
            started: Instant::now(),
            findings: Vec::new(),
        }
    }

    /// Count a finding and keep its input under `target/fuzz-findings/<target>/`.
    pub fn found(&mut self, kind: Finding, input: &[u8], ext: &str, what: String) {
        let n = match kind {
            Finding::Panic => &mut self.panics,
            Finding::Hang => &mut self.hangs,
            Finding::SilentLoss => &mut self.silent_losses,
            Finding::UnsafeOutput => &mut self.unsafe_outputs,
            Finding::LateFailure => &mut self.late_failures,
        };
        *n += 1;
        let dir = findings_dir().join(self.target);
        let _ = std::fs::create_dir_all(&dir);
        let name = format!("{kind:?}-{:016x}.{ext}", fnv(input)).to_lowercase();
        let path = dir.join(name);
        let _ = std::fs::write(&path, input);
        let _ = std::fs::write(path.with_extension(format!("{ext}.txt")), &what);
        if self.findings.len() < 20 {
            eprintln!(
                "fuzz {}: {kind:?}: {} ({})",
                self.target,
                short(&what, 2000),
                path.display()
            );
            self.findings.push((kind, path, what));
        }
    }

    pub fn total(&self) -> u64 {
        self.panics + self.hangs + self.silent_losses + self.unsafe_outputs + self.late_failures
    }

    /// Print the counts (shown with `--nocapture`) and fail on any finding.
    pub fn finish(&self) {
        eprintln!(
            "fuzz {:<14} inputs {:>7} (accepted {:>6}, binary runs {:>5})  panics {}  hangs {}  silent losses {}  \
             unsafe outputs {}  late codebook failures {}  {:.1} s",
            self.target,
            self.inputs,
            self.accepted,
            self.binary_runs,
            self.panics,
            self.hangs,
            self.silent_losses,
            self.unsafe_outputs,
            self.late_failures,
            self.started.elapsed().as_secs_f64()
        );
        assert!(
            self.total() == 0,
            "fuzz {}: {} findings, inputs kept in {}:\n{}",
            self.target,
            self.total(),
            findings_dir().join(self.target).display(),
            self.findings
                .iter()
                .map(|(k, p, w)| format!("{k:?} {}: {}", p.display(), short(w, 600)))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

pub fn short(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// FNV-1a, to name saved inputs by content.
pub fn fnv(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub fn findings_dir() -> PathBuf {
    match std::env::var_os("ENQUETE_FUZZ_FINDINGS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings"),
    }
}

/// The result of a library call made under a deadline.
pub enum Outcome<T> {
    Done(T),
    Panicked(String),
    /// Still running at the deadline (the thread is left behind).
    Hung,
}

/// Run `f` in a thread of its own; a panic is caught, and a call still running after `limit` is
/// reported as a hang.
pub fn with_deadline<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Outcome<T> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("fuzz-call".into())
        .spawn(move || {
            let r = catch_unwind(AssertUnwindSafe(f));
            let _ = tx.send(r);
        });
    if spawned.is_err() {
        return Outcome::Panicked("cannot start a thread".into());
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => Outcome::Done(v),
        Ok(Err(p)) => Outcome::Panicked(panic_text(&*p)),
        Err(_) => Outcome::Hung,
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".into()
    }
}

/// One run of the binary.
pub struct BinRun {
    pub args: Vec<String>,
    /// The exit code, or `None` when a signal ended it.
    pub code: Option<i32>,
    pub timed_out: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl BinRun {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    pub fn describe(&self) -> String {
        format!(
            "enquete {}\nexit: {:?}{}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            if self.timed_out {
                " (killed: too slow)"
            } else {
                ""
            },
            short(&self.stdout(), 3000),
            short(&self.stderr(), 3000)
        )
    }

    /// A panic, an abort, a signal, an exit code outside 0–3, or a worker thread that failed.
    pub fn crashed(&self) -> bool {
        let err = self.stderr();
        !matches!(self.code, Some(0..=3))
            || err.contains("panicked at")
            || err.contains("internal error")
            || err.contains("RUST_BACKTRACE")
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_enquete"))
}

/// Address space allowed to one run of the binary: a file that asks for more memory than this
/// ends with an allocation failure (an abort, counted as a crash) instead of taking the machine.
const MEMORY_LIMIT: u64 = 6 << 30;

/// Run `enquete ARGS` in `dir`, with `stdin` on its standard input, killed after `limit`.
pub fn run_binary(dir: &Path, args: &[String], stdin: Option<Vec<u8>>, limit: Duration) -> BinRun {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("start enquete");
    let writer = stdin.map(|data| {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        })
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for enquete") {
            break s;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for enquete");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    BinRun {
        args: args.to_vec(),
        code: status.code(),
        timed_out,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

/// A record as the documented rules make it: its number of fields and the editor's lines it
/// starts and ends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefRecord {
    pub fields: usize,
    pub line: u64,
    pub end_line: u64,
}

/// The records of CSV bytes by the documented rules (docs/codebook.md, "Inputs"), written
/// independently of the reader: a UTF-8 byte order mark is dropped; records end at `\n`,
/// `\r\n` or a lone `\r`, each a line as an editor counts them; empty lines are skipped; a `"`
/// at the start of a field opens a quoted field in which the delimiter and line breaks are data
/// and `""` is one quote; after the closing quote, and anywhere else, a `"` is an ordinary
/// character. The first record is the header.
pub fn reference_records(data: &[u8], delimiter: u8) -> Vec<RefRecord> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut records = Vec::new();
    let mut i = 0;
    let n = data.len();
    let mut line = 1;
    // A line break at `i`: its length (0 if none).
    let brk = |i: usize| match data.get(i) {
        Some(b'\r') if data.get(i + 1) == Some(&b'\n') => 2,
        Some(b'\r' | b'\n') => 1,
        _ => 0,
    };
    loop {
        while i < n && brk(i) > 0 {
            i += brk(i);
            line += 1;
        }
        if i >= n {
            break;
        }
        let start = line;
        let mut fields = 1;
        let mut at_field_start = true;
        let mut in_quotes = false;
        while i < n {
            let c = data[i];
            if in_quotes {
                match c {
                    b'"' if data.get(i + 1) == Some(&b'"') => i += 2,
                    b'"' => {
                        in_quotes = false;
                        i += 1;
                    }
                    b'\r' | b'\n' => {
                        i += brk(i);
                        line += 1;
                    }
                    _ => i += 1,
                }
                continue;
            }
            if brk(i) > 0 {
                break;
            }
            if c == delimiter {
                fields += 1;
                at_field_start = true;
                i += 1;
                continue;
            }
            if c == b'"' && at_field_start {
                in_quotes = true;
            }
            at_field_start = false;
            i += 1;
        }
        // A quote still open at the end: the file's last line break belongs to no further line.
        let end_line = if in_quotes && matches!(data.last(), Some(b'\n' | b'\r')) {
            line - 1
        } else {
            line
        };
        records.push(RefRecord {
            fields,
            line: start,
            end_line,
        });
        if brk(i) > 0 {
            i += brk(i);
            line += 1;
        }
    }
    records
}

/// Every CSV cell that begins like a formula (`=`, `+`, `-`, `@`, a tab, a carriage return) is
/// a plain number or starts with `'`.
pub fn csv_cells_safe(text: &[u8]) -> Result<(), String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    for rec in r.byte_records() {
        let rec = rec.map_err(|e| format!("output is not CSV: {e}"))?;
        for cell in rec.iter() {
            let s = String::from_utf8_lossy(cell);
            let risky = s
                .chars()
                .next()
                .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
            let number = s
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
                && s.parse::<f64>().is_ok_and(f64::is_finite);
            if risky && !number {
                return Err(format!("CSV cell {s:?} begins like a formula"));
            }
            if matches!(
                &*s.to_ascii_lowercase(),
                "nan" | "inf" | "-inf" | "+inf" | "infinity"
            ) {
                return Err(format!("CSV cell {s:?}: a number that is not a number"));
            }
        }
    }
    Ok(())
}

/// Markdown in which labels cannot become markup: no `<` that opens a tag or autolink, and no
/// link to `javascript:`, unless escaped with `\`.
pub fn markdown_safe(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let escaped = i > 0 && b[i - 1] == b'\\' && !(i > 1 && b[i - 2] == b'\\');
        if c == b'<' && !escaped {
            let next = b.get(i + 1).copied().unwrap_or(b' ');
            if next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?') {
                return Err(format!("raw markup at {:?}", around(text, i)));
            }
        }
    }
    let lower = text.to_ascii_lowercase();
    for (i, _) in lower.match_indices("](javascript:") {
        if !(i > 0 && b[i - 1] == b'\\') {
            return Err(format!("a javascript: link at {:?}", around(text, i)));
        }
    }
    Ok(())
}

fn around(text: &str, i: usize) -> String {
    let mut a = i.saturating_sub(40);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (i + 40).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    text[a..b].to_string()
}

/// Terminal text: no control character but line breaks and tabs (no escape sequence, no
/// carriage return that overwrites a line).
pub fn terminal_safe(text: &[u8]) -> Result<(), String> {
    let s = String::from_utf8_lossy(text);
    match s
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        Some((i, c)) => Err(format!(
            "control character {:?} on the terminal at {:?}",
            c,
            around(&s, i)
        )),
        None => Ok(()),
    }
}

/// From stderr of a run with `--skip-invalid`: the rows left out as the warning says them
/// (left out, used, read), and the distinct record numbers named in problem lines (when every
/// problem is listed).
pub fn skipped_rows(stderr: &str, data_name: &str) -> Option<(u64, u64, u64, Option<usize>)> {
    let w = stderr
        .lines()
        .find(|l| l.contains("with problems left out (--skip-invalid)"))?;
    let nums: Vec<u64> = w
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    let (left, used, read) = (nums[0], nums[1], nums[2]);
    let listed = if stderr.contains("more problems") {
        None
    } else {
        let prefix = format!("{data_name}: ");
        let mut lines: Vec<u64> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .filter_map(|l| {
                let rest = ["line ", "case ", "row "]
                    .iter()
                    .find_map(|r| l.strip_prefix(r))?;
                let n = rest.split(|c: char| !c.is_ascii_digit()).next()?;
                n.parse().ok()
            })
            .collect();
        lines.sort();
        lines.dedup();
        Some(lines.len())
    };
    Some((left, used, read, listed))
}
