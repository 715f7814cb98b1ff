//! # enquete
//!
//! Design-based tables for respondent-level resident surveys (the Dutch *Inwonersenquête*):
//! proportions and means per group with linearised standard errors and confidence intervals that
//! agree with R's `survey` package, computed in one streaming pass over the data.
//!
//! ## The flow, bottom to top
//! Every module imports only from the layers below it:
//!
//! 1. [`text`], [`keys`], [`naming`]: leaves (escaping, number formats, positions; the names
//!    every figure carries; file names).
//! 2. [`codebook`] (what the columns mean, and the settings it declares), [`project`] (a
//!    batch's years); each with its own error type.
//! 3. [`input`] (the data file opened once, validated decoding, one pass on two threads) and
//!    [`fsutil`] (outputs written whole or not at all); each with its own error type.
//! 4. [`stats`]: the estimation core, no I/O. [`stats::accumulate`] keeps per-subunit sums that
//!    merge by addition; [`stats::estimate`], [`stats::compare`], [`stats::independence`],
//!    [`stats::calibrate`] turn sums into figures.
//! 5. [`error`]: the crate's [`Error`], wrapping each module's error once, with exit codes.
//! 6. [`analysis`] (one pass: input → sums, weighting applied) and [`present`] (the words,
//!    numbers and marks of Dutch and English outputs).
//! 7. [`report`]: the results model of a run (tables with their estimates, comparisons and
//!    tests; the document a page shows).
//! 8. [`output`] (text, CSV, JSON, Markdown, HTML, Excel) and [`charts`] (SVG, PNG), side by
//!    side, neither importing the other.
//! 9. [`publish`] (a report folder, swapped in whole), then [`commands`] and the binary.
//!
//! A library user reads a codebook, analyses a file, builds the results and writes them:
//!
//! ```no_run
//! use enquete::analysis::{analyse, RunOptions};
//! use enquete::codebook::Codebook;
//! use enquete::report::{self, Presentation};
//! use std::path::Path;
//!
//! # fn main() -> enquete::Result<()> {
//! let codebook = Codebook::from_path(Path::new("samples/codebook.toml"))?;
//! let tables: Vec<usize> = (0..codebook.tables.len()).collect();
//! let crossings = report::report_crossings(&codebook);
//! let analysis = analyse(
//!     Path::new("samples/inwonersenquete-2023.csv"),
//!     &codebook,
//!     &tables,
//!     &crossings,
//!     RunOptions::default(),
//! )?;
//! let presentation = Presentation::new(&codebook, None, 0.95, None)?;
//! let results = report::build(&codebook, &analysis, &presentation, &mut Vec::new());
//! for e in &results[0].estimates {
//!     println!("{} {} {}: {:.3}", e.by, e.group, e.category, e.estimate);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The estimation core also stands alone:
//!
//! ```
//! use enquete::stats::intervals::{srs_proportion, CiMethod};
//! let iv = srs_proportion(CiMethod::Wilson, 65.0, 100.0, 0.95);
//! assert!(iv.lower < 0.65 && 0.65 < iv.upper);
//! ```

// `!(x > 0.0)` is used on purpose: it also rejects NaN, which `x <= 0.0` would let through.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod analysis;
pub mod charts;
pub mod cli;
pub mod codebook;
pub mod commands;
pub mod draft;
pub mod error;
pub mod fsutil;
pub mod generate;
pub mod input;
pub mod keys;
pub mod naming;
pub mod output;
pub mod present;
pub mod progress;
pub mod project;
pub mod publish;
pub mod report;
pub mod stats;
pub mod text;

pub use error::{Error, ExitCode, Result};
