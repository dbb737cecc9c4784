//! Integration tests: one crate, a module per area, running the real binary.

mod compute;
