//! The command line: argument definitions and dispatch, nothing else.
//!
//! Exit codes, decided here and nowhere else: 0 success; 1 any input,
//! validation or output problem (messages on stderr); 2 usage errors from
//! the argument parser.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand};

use crate::cmd;

/// Green Book Five Case Model business cases from a cost workbook and an SRO's narrative.
#[derive(Debug, Parser)]
#[command(name = "fivecase", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a complete illustrative sample case (case.toml, workbook, narrative) to a new folder.
    New {
        /// The folder to create; it must not exist or be empty.
        dir: PathBuf,
        /// Write the sample programme of four cases and its portfolio.toml instead.
        #[arg(long)]
        portfolio: bool,
    },
    /// Validate a case and print a one-screen summary, or every problem found.
    Check {
        /// A case folder, its case.toml, or a bare workbook (.xlsx, .xlsm).
        case: PathBuf,
        /// Also list what the business case guidance expects at the case's stage, each item found or missing.
        #[arg(long)]
        stage_report: bool,
        /// The stage the report is for, instead of the case's own: SOC, OBC or FBC.
        #[arg(long, value_name = "STAGE", value_parser = parse_stage, requires = "stage_report")]
        stage: Option<crate::model::Stage>,
    },
    /// Typeset the business case as PDF (PDF/A-2b, PDF/UA-1), HTML or Word.
    Build {
        /// A case folder, its case.toml, or a bare workbook (.xlsx, .xlsm).
        case: PathBuf,
        // The help is an attribute, not a doc comment: rustdoc would read the angle brackets as HTML.
        #[arg(
            short,
            long,
            value_name = "FILE",
            help = "The file to write, when one format is asked for [default: <case folder>/<title>-<stage>-v<version>.<format>]"
        )]
        output: Option<PathBuf>,
        /// The document date, YYYY-MM-DD [default: case.toml's `date`].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// The formats to write, separated by commas: pdf, html, docx.
        #[arg(
            long,
            value_name = "FORMATS",
            value_delimiter = ',',
            default_value = "pdf"
        )]
        format: Vec<cmd::build::Format>,
        /// Typeset the case under this scenario of case.toml: its figures throughout, its name on every page.
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
    },
    /// Rebuild the business case each time its workbook, case.toml or narrative is saved.
    Watch {
        /// A case folder or its case.toml.
        case: PathBuf,
        /// The formats to write, separated by commas: pdf, html, docx.
        #[arg(
            long,
            value_name = "FORMATS",
            value_delimiter = ',',
            default_value = "pdf"
        )]
        format: Vec<cmd::build::Format>,
        /// The document date, YYYY-MM-DD [default: case.toml's `date`].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// Compute the appraisal, savings profiles, apportionment and budget-gap tables.
    Compute {
        /// A case folder, its case.toml, or a bare workbook (.xlsx, .xlsm).
        case: PathBuf,
        /// Print one JSON document instead of tables (names documented in docs/json.md).
        #[arg(long)]
        json: bool,
        /// Apply the case.toml `[[scenario]]` with this name first.
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        /// Show the Financial Case figures (financing, contingency, net
        /// revenue effect, affordability) of this option instead of the
        /// preferred option's.
        #[arg(long, value_name = "ID")]
        option: Option<String>,
    },
    /// Compare the base case and every case.toml scenario side by side.
    Scenarios {
        /// A case folder, its case.toml, or a bare workbook (.xlsx, .xlsm).
        case: PathBuf,
        /// Print one JSON document instead of the table (documented in docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Run the quantified risk analysis: Monte Carlo P20, P50 and P80 of every option and partner.
    Risk {
        /// A case folder, its case.toml, or a bare workbook (.xlsx, .xlsm).
        case: PathBuf,
        /// Iterations, 1 to 1,000,000, or auto [default: case.toml's, else 10000].
        #[arg(long, value_name = "N", value_parser = cmd::risk::parse_iterations)]
        iterations: Option<crate::model::Iterations>,
        /// The generator's seed [default: case.toml's, else 1].
        #[arg(long, value_name = "S")]
        seed: Option<u64>,
        /// Print one JSON document instead of tables (documented in docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Write the model workbook: the input sheets, live calculation sheets and a Summary.
    Export {
        /// A case folder, its case.toml, or a bare workbook (.xlsx, .xlsm).
        case: PathBuf,
        // The help is an attribute, not a doc comment: rustdoc would read its
        // angle brackets as HTML.
        #[arg(
            short,
            long,
            value_name = "FILE.xlsx",
            help = "Where to write the workbook [default: <case folder>/<slug>-model.xlsx]"
        )]
        output: Option<PathBuf>,
    },
    /// Run everything fivecase does on the built-in sample case.
    Demo {
        /// Where to write the sample case and its outputs (an existing case there is used as it stands).
        #[arg(default_value = "fivecase-demo")]
        dir: PathBuf,
    },
    /// The programme view: many cases rolled up by force and prioritised into tiers.
    Portfolio {
        #[command(subcommand)]
        command: PortfolioCommand,
    },
    /// Write a blank input workbook: every sheet, headers, year columns and drop-downs.
    Template {
        /// The workbook to write.
        #[arg(short, long, default_value = "fivecase-template.xlsx")]
        output: PathBuf,
        /// The first appraisal year, e.g. 2026/27 (also the base year and the first Budget year).
        #[arg(long, default_value = "2026/27")]
        first_year: crate::model::FiscalYear,
        /// How many appraisal years the Costs and Benefits sheets have columns for.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=200))]
        years: u16,
        /// How many partner rows to offer.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=200))]
        partners: u16,
        /// The unit every amount is in: £, £k or £m.
        #[arg(long, default_value = "£", value_parser = cmd::template::parse_unit)]
        unit: crate::model::Unit,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// The `portfolio` subcommands; PORTFOLIO is a folder holding portfolio.toml, or the file.
#[derive(Debug, Subcommand)]
pub enum PortfolioCommand {
    /// Print the tiers, the ranking and each force's yearly figures by case and in total.
    Show {
        /// A portfolio folder or its portfolio.toml.
        portfolio: PathBuf,
        /// Print one JSON document instead of tables (documented in docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Typeset the programme paper as PDF (PDF/A-2b, PDF/UA-1).
    Build {
        /// A portfolio folder or its portfolio.toml.
        portfolio: PathBuf,
        #[arg(
            short,
            long,
            value_name = "FILE.pdf",
            help = "The PDF to write [default: <portfolio folder>/<title>-programme.pdf]"
        )]
        output: Option<PathBuf>,
        /// The document date, YYYY-MM-DD [default: portfolio.toml's `date`].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// Write the programme workbook: per-case blocks of values and live roll-up formulas.
    Export {
        /// A portfolio folder or its portfolio.toml.
        portfolio: PathBuf,
        #[arg(
            short,
            long,
            value_name = "FILE.xlsx",
            help = "Where to write the workbook [default: <portfolio folder>/<title>-programme.xlsx]"
        )]
        output: Option<PathBuf>,
    },
}

/// Parses the command line, runs the command and maps its outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::New { dir, portfolio } => {
            if portfolio {
                cmd::portfolio::new(&dir)
            } else {
                cmd::new::run(&dir)
            }
        }
        Command::Portfolio { command } => match command {
            PortfolioCommand::Show { portfolio, json } => cmd::portfolio::show(&portfolio, json),
            PortfolioCommand::Build {
                portfolio,
                output,
                date,
            } => cmd::portfolio::build(&portfolio, output.as_deref(), date),
            PortfolioCommand::Export { portfolio, output } => {
                cmd::portfolio::export(&portfolio, output.as_deref())
            }
        },
        Command::Check {
            case,
            stage_report,
            stage,
        } => cmd::check::run_with(&case, stage_report.then_some(stage)),
        Command::Demo { dir } => cmd::demo::run(&dir),
        Command::Build {
            case,
            output,
            date,
            format,
            scenario,
        } => {
            let formats = cmd::build::normalise(&format);
            if output.is_some() && formats.len() > 1 {
                Cli::command()
                    .error(
                        clap::error::ErrorKind::ArgumentConflict,
                        "-o/--output names one file: give it with one --format, or leave it out to write each format beside the case",
                    )
                    .exit();
            }
            cmd::build::run_under(
                &case,
                output.as_deref(),
                date,
                &formats,
                scenario.as_deref(),
            )
        }
        Command::Watch { case, format, date } => cmd::watch::run(&case, &format, date),
        Command::Template {
            output,
            first_year,
            years,
            partners,
            unit,
            force,
        } => cmd::template::run(&cmd::template::Args {
            output: &output,
            first_year,
            years,
            partners,
            unit,
            force,
        }),
        Command::Compute {
            case,
            json,
            scenario,
            option,
        } => cmd::compute::run(&case, json, scenario.as_deref(), option.as_deref()),
        Command::Scenarios { case, json } => cmd::scenarios::run(&case, json),
        Command::Risk {
            case,
            iterations,
            seed,
            json,
        } => cmd::risk::run(&case, iterations, seed, json),
        Command::Export { case, output } => cmd::export::run(&case, output.as_deref()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cmd::report(&err);
            ExitCode::from(1)
        }
    }
}

/// A `--date` value: `2026-11-20`.
fn parse_stage(text: &str) -> Result<crate::model::Stage, String> {
    use crate::model::Stage;
    match text.trim().to_uppercase().as_str() {
        "SOC" => Ok(Stage::Soc),
        "OBC" => Ok(Stage::Obc),
        "FBC" => Ok(Stage::Fbc),
        _ => Err(format!("expected SOC, OBC or FBC, found {text:?}")),
    }
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("expected a date like 2026-11-20, found {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
    }
}
