//! The estimation core: sums in, estimates out. No I/O happens here.

pub mod accumulate;
pub mod design;
pub mod estimate;
pub mod intervals;
pub mod quantiles;

pub use accumulate::{Accumulator, Layout, Sums};
pub use estimate::{estimate_table, Estimate, EstimateOptions, Reliability};
pub use intervals::CiMethod;
