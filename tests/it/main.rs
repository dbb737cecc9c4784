//! Integration tests: one crate, a module per area, each running the real binary.

mod check;
mod support;
