//! fivecase turns a police collaboration's cost workbook and its SRO's
//! narrative into an HM Treasury Green Book Five Case Model business case.
//!
//! The pipeline, one module per stage (ARCHITECTURE.md has the layer rules):
//! - [`schema`]: the workbook format, declared once;
//! - [`ingest`]: workbook and case folder → validated [`model::Case`], or every problem found;
//! - [`compute`]: `Case` → [`compute::Computed`] (results and scenario outcomes), pure, exact decimals, no IO;
//! - [`document`]: results → one [`document::Document`] any format can print;
//! - [`render`]: the exporters: terminal tables, JSON, PDF, xlsx.
//!
//! [`locate`] places the engine's refusals at the workbook cells that cause
//! them, for the commands and the portfolio alike; [`portfolio`] rolls many
//! cases up into a programme view, above these.
//!
//! `cli` and `cmd` are the thin command-line layer over these; [`names`],
//! [`format`](mod@format) and [`diag`] are shared below them.

pub mod cli;
pub mod cmd;
pub mod compute;
pub mod diag;
pub mod document;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod ingest;
pub mod locate;
pub mod model;
pub mod names;
pub mod output;
pub mod params;
pub mod portfolio;
pub mod render;
pub mod sample;
pub mod schema;
#[doc(hidden)]
pub mod testkit;
