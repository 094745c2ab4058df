//! `poolc man [--out DIR]`: man pages, generated from the command
//! definition itself: `poolc.1` on stdout, or one page per subcommand
//! (`poolc.1`, `poolc-build.1`, ...) written into DIR.

use super::{Outcome, trouble, write_stdout};
use clap::CommandFactory;
use poolc::describe_io;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Write poolc.1 and a page per subcommand into this folder instead of
    /// printing poolc.1.
    #[arg(long = "out", short = 'o', value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    let command = super::Cli::command();
    match args.out {
        Some(dir) => match clap_mangen::generate_to(command, &dir) {
            Ok(()) => Outcome::Success,
            Err(e) => trouble(format_args!(
                "cannot write man pages to {}: {}",
                dir.display(),
                describe_io(&e)
            )),
        },
        None => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(command).render(&mut page) {
                Ok(()) => write_stdout(&page),
                Err(e) => trouble(format_args!("cannot render the man page: {e}")),
            }
        }
    }
}
