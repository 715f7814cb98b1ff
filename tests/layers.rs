//! The house keeps its floors: every module of `src/` imports only from the layers below it (the
//! map in the README and in the crate's documentation). An import that runs upwards means a type
//! sits one floor too high: move the type, not the caller. Read from the source text, so it
//! needs no build of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules of `src/`, bottom to top; modules on one line may not import each other
/// (they stand side by side).
const LAYERS: &[&[&str]] = &[
    &["text", "keys", "progress", "generate"],
    &["naming"],
    &["codebook", "project"],
    &["input", "fsutil"],
    &["stats"],
    &["error"],
    &["analysis", "present", "draft"],
    &["report"],
    &["output", "charts"],
    &["publish"],
    &["cli"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for lib.rs and main.rs).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The top-level modules a file names as `crate::x` (comments left out).
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().last();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // `enquete_crate::…` or `$crate::…`, not ours
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_module_imports_only_from_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(mine) = layer_of(&module) else {
            panic!("src/{module} is on no layer: add it to LAYERS in tests/layers.rs and to the README's map");
        };
        let text = std::fs::read_to_string(file).unwrap();
        for name in imports(&text) {
            if name == module || matches!(name.as_str(), "Result" | "Error" | "ExitCode") {
                continue;
            }
            let theirs = layer_of(&name).unwrap_or_else(|| {
                panic!(
                    "{} names crate::{name}, which is on no layer",
                    file.display()
                )
            });
            let sideways = theirs == mine;
            if theirs > mine || sideways {
                upward
                    .entry(file.strip_prefix(&src).unwrap().display().to_string())
                    .or_default()
                    .push(name);
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that run upwards or sideways (file: modules it names): {upward:#?}"
    );
}

#[test]
fn the_crate_error_is_only_named_above_the_layers_it_wraps() {
    // `crate::Result` and `crate::Error` are the crate error: the modules below it return their
    // own error types.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let error_layer = layer_of("error").unwrap();
    let mut offenders = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        if layer_of(&module).unwrap_or(usize::MAX) >= error_layer {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let names = imports(&text);
        if names.contains("Result") || names.contains("Error") || names.contains("ExitCode") {
            offenders.push(file.display().to_string());
        }
    }
    assert!(offenders.is_empty(), "below the crate error: {offenders:?}");
}
