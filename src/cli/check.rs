//! `poolc check FILE`: diagnostics only.

use super::report::{self, ColorChoice, MessageFormat};
use super::{Outcome, host::FsHost, trouble};
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
    let checked = match crate::semantics::check(&args.file, &FsHost) {
        Ok(checked) => checked,
        Err(e) => {
            return trouble(format_args!(
                "cannot read {}: {}",
                args.file.display(),
                crate::semantics::loader::describe_io(&e)
            ));
        }
    };
    report::print(&checked, report::style(args.message_format, color));
    if checked.has_errors() {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}
