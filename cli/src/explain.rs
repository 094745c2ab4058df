//! `poolc explain CODE`: the long explanation of a diagnostic code.

use super::{Outcome, trouble};
use poolc::diagnostics::explain;
use poolc::semantics::suggest::suggest;

#[derive(clap::Args)]
pub struct Args {
    /// A diagnostic code, e.g. E0604 or pool::E0604.
    code: String,
}

pub fn run(args: Args) -> Outcome {
    match explain::explain(&args.code) {
        Some(text) => {
            println!("{text}");
            Outcome::Success
        }
        None => {
            let code = explain::normalise(&args.code);
            let hint = suggest(&code, explain::codes())
                .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
            trouble(format_args!(
                "no diagnostic has the code `{code}`{hint}; docs/diagnostics.md lists them all"
            ))
        }
    }
}
