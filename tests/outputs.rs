//! Output safety, on the real binary: folders replaced whole or not at all (failures half-way,
//! concurrent runs, SIGINT/SIGTERM), no write through planted links, file names that cannot
//! collide, cells that cannot run as formulas or markup, and codebook values that a writer
//! would refuse refused up front.

mod common;

use common::{repo, Workdir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CODEBOOK: &str = r#"
title = "Test"
[design]
weight = "w"
[data]
delimiter = ";"
decimal = ","
[[variables]]
name = "taal"
type = "categorical"
values = [ { code = "NL", label = NL_LABEL }, { code = "EN", label = EN_LABEL } ]
[[variables]]
name = "kanaal"
label = KANAAL_LABEL
type = "multi"
items = [ { column = "k_tel", label = TEL_LABEL }, { column = "k_mail", label = "E-mail" } ]
[[variables]]
name = "oordeel"
type = "categorical"
values = [ { code = "1", label = "goed" }, { code = "2", label = "slecht" }, { code = "-1", label = "weet niet" } ]
"#;

const TABLES: &str = r#"
[[tables]]
name = "kanaal"
rows = "kanaal"
by = ["taal"]
[[tables]]
name = "oordeel"
rows = "oordeel"
by = ["taal"]
"#;

/// A TOML basic string holding `s` exactly.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The codebook with these labels (kanaal, its item k_tel, the groups NL and EN), then `tables`.
fn codebook(kanaal: &str, tel: &str, nl: &str, en: &str, tables: &str) -> String {
    CODEBOOK
        .replace("KANAAL_LABEL", &toml_str(kanaal))
        .replace("TEL_LABEL", &toml_str(tel))
        .replace("NL_LABEL", &toml_str(nl))
        .replace("EN_LABEL", &toml_str(en))
        + tables
}

fn plain_codebook() -> String {
    codebook("Kanaal", "Telefoon", "Nederlands", "Engels", TABLES)
}

fn rows(n: usize) -> String {
    let mut s = String::from("id;taal;w;k_tel;k_mail;oordeel\n");
    for i in 0..n {
        let taal = if i % 3 == 0 { "EN" } else { "NL" };
        let oordeel = ["1", "2", "-1"][(i % 3 + (i % 7 == 0) as usize) % 3];
        s.push_str(&format!(
            "{i};{taal};{},{};{};{};{oordeel}\n",
            1 + i % 2,
            i % 10,
            (i % 4 != 0) as u8,
            (i % 5 == 0) as u8
        ));
    }
    s
}

fn setup(codebook: &str, n: usize) -> Workdir {
    let wd = Workdir::new();
    wd.write("codebook.toml", codebook);
    wd.write("data.csv", rows(n));
    wd
}

fn report(wd: &Workdir, out: &str) -> common::Run {
    wd.run(&["report", "data.csv", "-c", "codebook.toml", "--out", out])
}

/// Every file under a folder with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Temporary files, folders and locks anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.contains(".tmp-") || name.contains(".old-") || name.ends_with(".lock") {
                found.push(e.path().display().to_string());
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    found
}

fn assert_same(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in before {
        assert!(*bytes == after[name], "{name} changed");
    }
}

#[test]
fn a_failure_half_way_leaves_the_previous_report_whole() {
    let wd = setup(&plain_codebook(), 400);
    report(&wd, "rep").expect_code(0);
    let before = snapshot(&wd.path("rep"));
    wd.write("data.csv", rows(900));
    // Files over 6 KB cannot be written: the small per-table files are, then one fails.
    let output = Command::new(common::bin())
        .args(["report", "data.csv", "-c", "codebook.toml", "--out", "rep"])
        .current_dir(wd.dir.path())
        .file_size_limit(6 * 1024)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert_same(&before, &snapshot(&wd.path("rep")));
    assert_eq!(leftovers(wd.dir.path()), Vec::<String>::new());
}

#[test]
fn tables_no_longer_in_the_codebook_disappear_with_the_old_report() {
    let wd = setup(&plain_codebook(), 300);
    report(&wd, "rep").expect_code(0);
    assert!(wd.path("rep/oordeel.csv").exists());
    let only_kanaal = TABLES
        .split("[[tables]]\nname = \"oordeel\"")
        .next()
        .unwrap();
    wd.write(
        "codebook.toml",
        codebook("Kanaal", "Telefoon", "Nederlands", "Engels", only_kanaal),
    );
    report(&wd, "rep").expect_code(0);
    assert!(wd.path("rep/kanaal.csv").exists());
    assert!(!wd.path("rep/oordeel.csv").exists());
    assert_eq!(leftovers(wd.dir.path()), Vec::<String>::new());
}

#[test]
fn a_folder_with_other_files_is_not_replaced() {
    let wd = setup(&plain_codebook(), 100);
    std::fs::create_dir(wd.path("docs")).unwrap();
    wd.write("docs/thesis.txt", "precious");
    let r = report(&wd, "docs");
    r.expect_code(3);
    assert!(r.stderr().contains("did not write"), "{}", r.describe());
    assert_eq!(
        std::fs::read_to_string(wd.path("docs/thesis.txt")).unwrap(),
        "precious"
    );
}

/// Run `std::process::Command` with a file size limit (`RLIMIT_FSIZE`), SIGXFSZ ignored so that
/// a write past it fails with EFBIG instead of killing the process: a full disk, as root too.
trait FileSizeLimit {
    fn file_size_limit(&mut self, bytes: u64) -> &mut Self;
}

impl FileSizeLimit for Command {
    fn file_size_limit(&mut self, bytes: u64) -> &mut Self {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            self.pre_exec(move || {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit {
                    rlim_cur: bytes as libc::rlim_t,
                    rlim_max: bytes as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            })
        }
    }
}

/// A 300,000-respondent file of the sample's shape (a few seconds of work for a debug build),
/// generated once for every test of this file.
fn big_file() -> PathBuf {
    static BIG: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIG.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let path = dir.join("big.csv");
        let status = Command::new(common::bin())
            .args(["generate", "--rows", "300000", "--seed", "7", "--out"])
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
        path
    })
    .clone()
}

fn spawn(wd: &Workdir, args: &[&str]) -> Child {
    Command::new(common::bin())
        .args(args)
        .current_dir(wd.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait (at most 60 s) until `ready` holds.
fn wait_for(what: &str, ready: impl Fn() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(60), "never: {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The temporary folder a run builds `name` in, once it exists.
fn staging(wd: &Workdir, name: &str) -> Option<PathBuf> {
    std::fs::read_dir(wd.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!(".{name}.tmp-"))
        })
        .map(|e| e.path())
}

fn sample_setup(wd: &Workdir) -> String {
    let big = big_file();
    wd.write(
        "codebook.toml",
        std::fs::read_to_string(repo().join("tests/reference/r/sample/codebook.toml")).unwrap(),
    );
    big.display().to_string()
}

/// A FIFO `name` in the work folder, fed with the first half of the big file and then held open:
/// a run reading it is certainly still reading when it is signalled, however fast the build.
/// Returns the path and a guard; dropping the guard closes the writing end.
struct HeldFifo {
    path: String,
    release: Option<std::sync::mpsc::Sender<()>>,
    writer: Option<std::thread::JoinHandle<()>>,
    half_written: std::sync::mpsc::Receiver<()>,
}

impl HeldFifo {
    fn new(wd: &Workdir, name: &str) -> HeldFifo {
        let path = wd.path(name);
        let status = Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(status.success());
        let data = std::fs::read(big_file()).unwrap();
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (written, half_written) = std::sync::mpsc::channel::<()>();
        let fifo = path.clone();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            // Blocks until the run opens the FIFO for reading.
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            // The reader may be stopped while this is written: a broken pipe is expected.
            let _ = f.write_all(&data[..data.len() / 2]);
            let _ = written.send(());
            let _ = held.recv();
        });
        HeldFifo {
            path: path.display().to_string(),
            release: Some(release),
            writer: Some(writer),
            half_written,
        }
    }

    /// Wait until the run has taken half of the data.
    fn wait_half(&self) {
        self.half_written
            .recv_timeout(Duration::from_secs(60))
            .expect("the run reads its data");
    }
}

impl Drop for HeldFifo {
    fn drop(&mut self) {
        self.release.take();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: a signal to a child process this test spawned and has not waited for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

#[test]
fn a_second_run_into_the_same_folder_is_refused() {
    let wd = Workdir::new();
    let big = sample_setup(&wd);
    let first = spawn(
        &wd,
        &["report", &big, "-c", "codebook.toml", "--out", "rep"],
    );
    let pid = first.id().to_string();
    wait_for("the first run's lock with its pid", || {
        std::fs::read_to_string(wd.path("rep.lock")).is_ok_and(|s| s.trim() == pid)
    });
    let second = wd.run(&["report", &big, "-c", "codebook.toml", "--out", "rep"]);
    second.expect_code(3);
    let err = second.stderr();
    assert!(
        err.contains("another enquete run")
            && err.contains(&format!("pid {pid}"))
            && err.contains("wait until it has finished"),
        "{err}"
    );
    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(wd.path("rep/summary.json").exists());
    assert_eq!(leftovers(wd.dir.path()), Vec::<String>::new());
}

#[test]
fn sigterm_and_sigint_leave_the_old_report_whole_and_no_temporary_files() {
    let wd = Workdir::new();
    let big = sample_setup(&wd);
    let sample = repo().join("samples/inwonersenquete-2023.csv");
    let sample = sample.to_str().unwrap();
    wd.run(&["report", sample, "-c", "codebook.toml", "--out", "rep"])
        .expect_code(0);
    let before = snapshot(&wd.path("rep"));
    let args = ["report", &big, "-c", "codebook.toml", "--out", "rep"];

    // SIGTERM while the data is read (from a FIFO the test holds open half-way).
    let fifo = HeldFifo::new(&wd, "big.fifo");
    let child = spawn(
        &wd,
        &["report", &fifo.path, "-c", "codebook.toml", "--out", "rep"],
    );
    fifo.wait_half();
    wait_for("the temporary folder", || staging(&wd, "rep").is_some());
    signal(&child, libc::SIGTERM);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert!(err.contains("stopped by SIGTERM"), "{err}");
    drop(fifo);
    std::fs::remove_file(wd.path("big.fifo")).unwrap();
    assert_same(&before, &snapshot(&wd.path("rep")));
    assert_eq!(leftovers(wd.dir.path()), Vec::<String>::new());

    // SIGINT while files are written.
    let child = spawn(&wd, &args);
    wait_for("a first file in the temporary folder", || {
        staging(&wd, "rep")
            .is_some_and(|d| std::fs::read_dir(d).is_ok_and(|mut entries| entries.next().is_some()))
    });
    signal(&child, libc::SIGINT);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert_same(&before, &snapshot(&wd.path("rep")));
    assert_eq!(leftovers(wd.dir.path()), Vec::<String>::new());
}

#[test]
fn an_interrupted_batch_leaves_the_previous_results_whole() {
    let wd = Workdir::new();
    sample_setup(&wd);
    let sample = repo().join("samples/inwonersenquete-2023.csv");
    let project = |data: &str| {
        format!(
            "title = \"T\"\ncodebook = \"codebook.toml\"\n[[survey]]\nyear = 2021\ndata = \"{}\"\n[[survey]]\nyear = 2023\ndata = \"{data}\"\n",
            sample.display()
        )
    };
    wd.write("project.toml", project(sample.to_str().unwrap()));
    wd.run(&["batch", "project.toml", "--out", "results", "--no-charts"])
        .expect_code(0);
    let before = snapshot(&wd.path("results"));
    // The second year read from a FIFO the test holds open half-way: still running when
    // signalled, however fast the build.
    let fifo = HeldFifo::new(&wd, "big.fifo");
    wd.write("project.toml", project(&fifo.path));
    let child = spawn(
        &wd,
        &["batch", "project.toml", "--out", "results", "--no-charts"],
    );
    fifo.wait_half();
    wait_for("the temporary folder", || staging(&wd, "results").is_some());
    signal(&child, libc::SIGINT);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(fifo);
    std::fs::remove_file(wd.path("big.fifo")).unwrap();
    assert_same(&before, &snapshot(&wd.path("results")));
    assert_eq!(leftovers(wd.dir.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn planted_links_do_not_redirect_writes() {
    use std::os::unix::fs::symlink;
    let wd = setup(&plain_codebook(), 200);
    wd.write("outside.txt", "keep");
    let outside = wd.path("outside.txt");

    // A link at the lock's name is not followed: the run is refused.
    symlink(&outside, wd.path("rep.lock")).unwrap();
    let r = report(&wd, "rep");
    r.expect_code(3);
    assert!(r.stderr().contains("symbolic link"), "{}", r.describe());
    std::fs::remove_file(wd.path("rep.lock")).unwrap();

    // A link inside the previous report goes with it; its target stays.
    report(&wd, "rep").expect_code(0);
    std::fs::remove_file(wd.path("rep/estimates.csv")).unwrap();
    symlink(&outside, wd.path("rep/estimates.csv")).unwrap();
    report(&wd, "rep").expect_code(0);
    assert!(!std::fs::symlink_metadata(wd.path("rep/estimates.csv"))
        .unwrap()
        .is_symlink());

    // A single output file that is a link is replaced, not written through.
    symlink(&outside, wd.path("out.csv")).unwrap();
    wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        "codebook.toml",
        "-t",
        "kanaal",
        "--format",
        "csv",
        "-o",
        "out.csv",
    ])
    .expect_code(0);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    assert!(!std::fs::symlink_metadata(wd.path("out.csv"))
        .unwrap()
        .is_symlink());
    assert_eq!(leftovers(wd.dir.path()), Vec::<String>::new());
}

#[path = "outputs/cells.rs"]
mod cells;
#[path = "outputs/codebook_limits.rs"]
mod codebook_limits;
