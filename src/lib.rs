//! # enquete
//!
//! Design-based tables for respondent-level resident surveys (the Dutch *Inwonersenquête*):
//! proportions and means per group with linearised standard errors and confidence intervals that
//! agree with R's `survey` package, computed in one streaming pass over the data.
//!
//! The flow runs one way:
//! [`codebook`] (what the columns mean) → [`input`] (validated decoding, one pass on two threads)
//! → [`stats::accumulate`] (per-stratum sums that merge by addition) → [`stats::estimate`]
//! (estimates, intervals; no I/O) → [`output`] (text, CSV, JSON) ← [`commands`].
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
