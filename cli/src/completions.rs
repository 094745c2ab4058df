//! `poolc completions SHELL`: the shell's completion script, generated from
//! the command definition itself, so it always knows every subcommand and
//! flag.

use super::{Outcome, write_stdout};
use clap::CommandFactory;
use clap_complete::Shell;

#[derive(clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, powershell or elvish.
    shell: Shell,
}

pub fn run(args: Args) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "poolc", &mut script);
    write_stdout(&script)
}
