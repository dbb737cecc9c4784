//! fivecase's integration tests: one test crate (one link), a module per area,
//! each running the real binary or reading the real fixtures.

mod sample;
