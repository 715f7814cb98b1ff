//! The estimation core: sums in, estimates out. No I/O happens here.

pub mod accumulate;
pub mod calibrate;
pub mod cells;
pub mod chisq;
pub mod compare;
pub mod design;
pub mod estimate;
pub mod independence;
pub mod intervals;
pub mod linalg;
pub mod note;
pub mod quantiles;
pub mod reliability;
pub mod response;
pub mod trend;
pub mod woodruff;

pub use crate::keys::{Breakdown, GroupKey, Statistic};
pub use accumulate::{Accumulator, Layout, Sums};
pub use compare::{compare_table, CompareError, CompareSpec, Comparison};
pub use estimate::{estimate_table, Estimate, EstimateOptions, Reliability};
pub use independence::{test_table, TestRow};
pub use intervals::CiMethod;
pub use note::Note;
