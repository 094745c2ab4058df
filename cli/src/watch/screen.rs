//! Diagnostics on stderr, each build's replacing the last on a terminal: a
//! screen that shows errors already fixed misleads more than it helps.

use crate::report;
use poolc::Checked;
use poolc::diagnostics::render::Style;
use std::io::{IsTerminal, Write as _};

/// Moves the cursor home and erases the screen.
const CLEAR: &str = "\x1b[H\x1b[2J";

pub struct Screen {
    terminal: bool,
    /// Whether the last build printed diagnostics.
    showing_diagnostics: bool,
}

impl Screen {
    pub fn new() -> Screen {
        Screen {
            terminal: std::io::stderr().is_terminal(),
            showing_diagnostics: false,
        }
    }

    /// Prints a build's diagnostics in place of the last build's.
    pub fn show(&mut self, checked: &Checked, style: Style) {
        self.clear();
        report::print(checked, style);
        self.showing_diagnostics = !checked.diagnostics.is_empty();
    }

    /// Clears the last build's diagnostics, if any are on a terminal.
    pub fn clear(&mut self) {
        if self.terminal && self.showing_diagnostics {
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(CLEAR.as_bytes());
            let _ = stderr.flush();
        }
        self.showing_diagnostics = false;
    }
}
