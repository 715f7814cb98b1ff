//! Shared helpers for integration tests: run the real binary in a directory of its own, read the
//! CSV it writes, and on failure show the command with its stdout and stderr.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_enquete"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh working directory for one test.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write test file");
        p
    }

    /// Run `enquete ARGS` in this directory.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    /// Run `enquete ARGS` in this directory with these environment variables set.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(bin())
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.dir.path())
            .output()
            .expect("run enquete");
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            output,
        }
    }
}

pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn describe(&self) -> String {
        format!(
            "enquete {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }
    /// Assert the exit code, showing everything on failure.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "{}", self.describe());
        self
    }
}

/// Read a CSV file into maps from column name to value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    read_csv_str(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

pub fn read_csv_str(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub fn num(row: &HashMap<String, String>, key: &str) -> Option<f64> {
    let v = row.get(key).unwrap_or_else(|| panic!("no column {key}"));
    if v.is_empty() || v == "NA" || v == "NaN" {
        None
    } else {
        Some(
            v.parse()
                .unwrap_or_else(|_| panic!("{key}: not a number: {v}")),
        )
    }
}

pub type Row = HashMap<String, String>;

pub mod reference;
