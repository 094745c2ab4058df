//! The watcher's status lines on stderr, each stamped with the local time
//! of day, so a glance tells whether the last build is the current one.
//! They hold counts and paths, never values from the source.

use std::fmt::Display;
use std::time::Duration;

pub fn print(message: impl Display) {
    let time = jiff::Zoned::now().strftime("%H:%M:%S");
    crate::stdio::say(format_args!("[{time}] {message}"));
}

/// `3 pools built in 4.2 ms, 1 file changed` (with an output folder) or
/// `3 pools built in 4.2 ms` (on stdout).
pub fn built(pools: usize, took: Duration, files_changed: Option<usize>) -> String {
    let mut line = format!(
        "{} built in {:.1} ms",
        counted(pools, "pool"),
        took.as_secs_f64() * 1000.0
    );
    if let Some(changed) = files_changed {
        line += &format!(", {} changed", counted(changed, "file"));
    }
    line
}

pub use crate::report::counted;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_line_counts_pools_time_and_files() {
        let took = Duration::from_micros(4_240);
        assert_eq!(
            built(3, took, Some(1)),
            "3 pools built in 4.2 ms, 1 file changed"
        );
        assert_eq!(
            built(1, took, Some(0)),
            "1 pool built in 4.2 ms, 0 files changed"
        );
        assert_eq!(built(2, took, None), "2 pools built in 4.2 ms");
    }
}
