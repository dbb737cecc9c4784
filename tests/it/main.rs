//! Integration tests: one crate, a module per area, each running the real binary.

mod architecture;
mod build;
mod check;
mod compute;
mod content;
mod every_problem;
mod export;
mod faults;
mod financial_case;
mod fixtures;
mod formats;
mod fuzz_replay;
mod hostile;
mod limits;
mod narrative_figures;
mod outputs;
mod portfolio;
mod reliability;
mod risk;
mod sample;
mod scenario_workbooks;
mod support;
mod template;
mod watch;
mod words;
