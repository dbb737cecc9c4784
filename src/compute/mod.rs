//! The case engine: pure functions from a validated [`Case`](crate::model::Case)
//! to [`Results`].
//!
//! Invariant: nothing here does IO or touches floating point. This module
//! never sees calamine, typst, rust_xlsxwriter, a path or an `f64`; a test in
//! `tests/it/architecture.rs` checks its imports.

mod results;

pub use results::*;
