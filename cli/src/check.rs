//! `poolc check FILE`: diagnostics only.

use super::Outcome;
use super::report::{self, AccessArgs, ColorChoice, MessageFormat};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The root .pool file.
    file: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
    #[command(flatten)]
    access: AccessArgs,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    let style = report::style(args.message_format, color);
    let access = match args.access.access() {
        Ok(access) => access,
        Err(outcome) => return outcome,
    };
    match report::check_site(&args.file, &access, style) {
        Ok(_) => Outcome::Success,
        Err(outcome) => outcome,
    }
}
