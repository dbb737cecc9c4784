//! Integration tests: one crate, a module per area, so the binary links once.

mod architecture;
mod export;
