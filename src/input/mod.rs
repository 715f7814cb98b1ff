//! Reading respondent-level data: header resolution, validated decoding, one streaming pass.

pub mod decode;
pub mod header;
pub mod number;
pub mod plan;
pub mod scan;
pub mod spss;

pub use decode::{DecodedRow, MISSING_CODE, MISSING_ITEM};
pub use plan::Plan;
pub use scan::{scan, Lane, RowSink, Scan, ScanOptions};
