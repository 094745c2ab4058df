//! `poolc check FILE`: diagnostics only.

use super::Outcome;
use super::report::{self, ColorChoice, MessageFormat};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The root .pool file.
    file: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    let style = report::style(args.message_format, color);
    match report::check_site(&args.file, style) {
        Ok(_) => Outcome::Success,
        Err(outcome) => outcome,
    }
}
