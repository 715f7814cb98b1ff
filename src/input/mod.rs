//! Reading respondent-level data: the file opened once and its format told by content, header
//! resolution, validated decoding, one streaming pass.

pub mod csv;
pub mod decode;
pub mod encoding;
pub mod error;
pub mod guard;
pub mod header;
pub mod interner;
pub mod lanes;
mod lookup;
pub mod parquet;
pub mod plan;
pub mod scale;
pub mod scan;
pub mod source;
pub mod spss;
pub mod spss_check;
pub mod xlsx;
mod xlsx_guard;

pub use decode::{DecodedRow, Fields, MISSING_CODE, MISSING_ITEM};
pub use error::{DataProblems, Error, RowProblem};
pub use lanes::LANES;
pub use plan::Plan;
pub use scale::ScaleItems;
pub use scan::{scan, Lane, RowSink, Scan, ScanOptions};
pub use source::Kind;
