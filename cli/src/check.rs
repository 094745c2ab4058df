//! `poolc check FILE`: diagnostics only.

use super::Outcome;
use super::report::{self, AccessArgs, ColorChoice, MessageFormat, Stream, TargetArg};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The root .pool file (`-`: read it from stdin; its imports are then
    /// relative to the current folder).
    file: PathBuf,
    /// How to print diagnostics: `human` on stderr; `short` and `json` on
    /// stdout, for tools (nothing else is written there).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
    /// Compile every pool for this target, whatever the pool says (a
    /// migration preview: `--target operator`).
    #[arg(long, value_enum, value_name = "TARGET")]
    target: Option<TargetArg>,
    #[command(flatten)]
    access: AccessArgs,
    /// Print nothing when the site is fine (problems are still printed).
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    let style = report::style(args.message_format, color);
    let access = match args.access.access() {
        Ok(access) => access,
        Err(outcome) => return outcome,
    };
    let stream = match args.message_format {
        MessageFormat::Human => Stream::Stderr,
        MessageFormat::Short | MessageFormat::Json => Stream::Stdout,
    };
    match report::check_site(&args.file, &access, (style, stream), args.target) {
        Ok(checked) => {
            let pools = checked.site.pools.len();
            let size = report::site_size(&checked, pools, "in");
            report::summarize(args.quiet, format_args!("checked {size}"));
            Outcome::Success
        }
        Err(outcome) => outcome,
    }
}
