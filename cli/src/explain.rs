//! `poolc explain CODE`: the long explanation of a diagnostic code.

use super::{Outcome, stdio, trouble};
use poolc::diagnostics::{Code, explain};
use poolc::suggest;

#[derive(clap::Args)]
pub struct Args {
    /// A diagnostic code, e.g. E0604 or pool::E0604.
    code: String,
}

pub fn run(args: Args) -> Outcome {
    match Code::parse(&args.code).and_then(explain::explain) {
        Some(text) => match stdio::print(format_args!("{text}\n")) {
            Ok(()) => Outcome::Success,
            Err(outcome) => outcome,
        },
        None => {
            let code = normalise(&args.code);
            let codes: Vec<String> = Code::ALL.iter().map(Code::to_string).collect();
            let hint = suggest(&code, codes.iter().map(String::as_str))
                .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
            trouble(format_args!(
                "no diagnostic has the code `{code}`{hint}; docs/diagnostics.md lists them all"
            ))
        }
    }
}

/// A code as users type it, in its written form (`e0604` is `pool::E0604`),
/// to suggest the nearest code.
fn normalise(code: &str) -> String {
    let bare = code.trim();
    let bare = bare.strip_prefix("pool::").unwrap_or(bare);
    format!("pool::{}", bare.to_ascii_uppercase())
}
