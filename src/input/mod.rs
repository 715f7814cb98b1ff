//! Reading respondent-level data: header resolution, validated decoding, one streaming pass.

pub mod decode;
pub mod scan;

pub use decode::{DecodedRow, Plan, MISSING_CODE, MISSING_ITEM};
pub use scan::{scan, Lane, RowSink, Scan, ScanOptions};
