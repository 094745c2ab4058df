//! Parses a .pool file once, for counting the parser's instructions per
//! source byte with callgrind (bench/build.py --parse runs it):
//!
//!     cargo bench --bench parse --no-run
//!     valgrind --tool=callgrind target/release/deps/parse-HASH FILE
//!
//! Reading the file and starting the process are counted too; they are
//! measured alone by passing an empty file.

// A front-end of the core, as the command is: it reads a file and prints.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use poolc::diagnostics::Diagnostics;
use poolc::syntax::span::FileId;

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.to_string_lossy());
            std::process::exit(2);
        }
    };
    let mut diagnostics = Diagnostics::default();
    let file = poolc::syntax::parse(&text, FileId(0), &mut diagnostics);
    println!(
        "{} items, {} diagnostics",
        file.items.len(),
        diagnostics.len()
    );
}
