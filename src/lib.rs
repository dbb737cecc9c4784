//! fivecase turns a police collaboration's cost workbook and its SRO's
//! narrative into an HM Treasury Green Book Five Case Model business case.
//!
//! The pipeline, one module per stage:
//! - [`ingest`]: workbook and case folder → validated [`model::Case`], or every problem found;
//! - [`compute`]: `Case` → [`compute::Results`], pure, exact decimals, no IO;
//! - [`render`]: `Results` → terminal tables, JSON, PDF, xlsx.
//!
//! `cli` and `cmd` are the thin command-line layer over these.

pub mod cli;
pub mod cmd;
pub mod compute;
pub mod diag;
pub mod document;
pub mod format;
pub mod ingest;
pub mod model;
pub mod names;
pub mod output;
pub mod params;
pub mod render;
pub mod sample;
pub mod schema;
#[doc(hidden)]
pub mod testkit;
