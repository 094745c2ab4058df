//! `poolc check FILE`: diagnostics only.

use super::Outcome;
use super::report::{self, AccessArgs, ColorChoice, MessageFormat, TargetArg};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The root .pool file.
    file: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
    /// Compile every pool for this target, whatever the pool says (a
    /// migration preview: `--target operator`).
    #[arg(long, value_enum, value_name = "TARGET")]
    target: Option<TargetArg>,
    #[command(flatten)]
    access: AccessArgs,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    let style = report::style(args.message_format, color);
    let access = match args.access.access() {
        Ok(access) => access,
        Err(outcome) => return outcome,
    };
    match report::check_site(&args.file, &access, style, args.target) {
        Ok(_) => Outcome::Success,
        Err(outcome) => outcome,
    }
}
