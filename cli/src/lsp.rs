//! `poolc lsp`: the language server, on stdin and stdout (the `lsp/`
//! crate), for editors to start.

use super::{Outcome, trouble};

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it (VS Code's client does); stdio is
    /// the only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(_: Args) -> Outcome {
    match poolc_lsp::run_stdio() {
        Ok(()) => Outcome::Success,
        Err(e) => trouble(format_args!("language server: {e}")),
    }
}
