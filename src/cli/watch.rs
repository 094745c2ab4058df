//! `poolc watch FILE [-o DIR]`: build, then build again whenever a file the
//! build read changes, until Ctrl-C.
//!
//! Every build is a whole `poolc build` of the site: it reads the files
//! afresh, and its inputs (the root, its imports, `file(...)` inputs and
//! imports that could not be read) become the files watched until the next
//! one. A build with errors prints them and writes nothing, so the output
//! folder keeps the last good build.

mod events;
mod lock;
mod screen;
mod status;
mod watch_set;

use super::build::{self, output_files, root_name};
use super::output::{OutputFile, Plan};
use super::report::{self, ColorChoice, MessageFormat};
use super::{Outcome, host::FsHost, trouble};
use crate::diagnostics::render::Style;
use crate::model::Pool;
use crate::semantics::Checked;
use crate::semantics::loader::describe_io;
use events::{Events, Wake};
use screen::Screen;
use status::counted;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;
use watch_set::WatchSet;

#[derive(clap::Args)]
pub struct Args {
    /// The root .pool file.
    file: PathBuf,
    /// Keep DIR/<pool>.yaml up to date instead of printing the stream on
    /// stdout at every build.
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    let _lock = match args.out.as_deref().map(lock::acquire).transpose() {
        Ok(lock) => lock,
        Err(outcome) => return outcome,
    };
    let mut events = match Events::start() {
        Ok(events) => events,
        Err(e) => return trouble(format_args!("cannot watch files: {e}")),
    };
    let mut builder = Builder {
        root_name: root_name(&args.file),
        style: report::style(args.message_format, color),
        screen: Screen::new(),
        args,
    };
    // A root that cannot be read at the start is a mistyped name, not a
    // save in progress.
    let mut next = match builder.build() {
        Ok(next) => next,
        Err(e) => {
            return trouble(format_args!(
                "cannot read {}: {}",
                builder.args.file.display(),
                describe_io(&e)
            ));
        }
    };
    loop {
        match next {
            Next::Stop(outcome) => return outcome,
            Next::Watch { files, status } => {
                // Watching before saying so: whoever reads the line may
                // save at once.
                events.watch(WatchSet::of(&files));
                status::print(status);
            }
        }
        if let Wake::Interrupted = events.wait() {
            return Outcome::Success;
        }
        next = builder
            .build()
            .unwrap_or_else(|e| builder.root_unreadable(&e));
    }
}

/// What a build leaves the watcher to do.
enum Next {
    /// Watch `files`, then print `status`.
    Watch { files: Vec<PathBuf>, status: String },
    /// Stop, with this outcome.
    Stop(Outcome),
}

struct Builder {
    args: Args,
    root_name: String,
    style: Style,
    screen: Screen,
}

impl Builder {
    /// One build; `Err` when the root file cannot be read.
    fn build(&mut self) -> io::Result<Next> {
        let started = Instant::now();
        let checked = crate::semantics::check(&self.args.file, &FsHost)?;
        self.screen.show(&checked, self.style);
        let status = if checked.has_errors() {
            self.failed(&checked)
        } else {
            let pools: Vec<&Pool> = checked.site.pools.iter().collect();
            match &self.args.out {
                Some(dir) => self.write_folder(dir, &pools, started),
                None => match build::print_stream(&self.root_name, &pools) {
                    Ok(()) => status::built(pools.len(), started.elapsed(), None),
                    // Whoever read the stream has gone: nothing to build for.
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                        return Ok(Next::Stop(Outcome::Success));
                    }
                    Err(e) => {
                        return Ok(Next::Stop(trouble(format_args!(
                            "cannot write to stdout: {e}"
                        ))));
                    }
                },
            }
        };
        let mut files = checked.inputs;
        // The root as given too: when it is a link, its target is among
        // the inputs, and the link itself may be replaced.
        files.push(self.args.file.clone());
        Ok(Next::Watch { files, status })
    }

    fn failed(&self, checked: &Checked) -> String {
        let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        let kept = self.args.out.as_ref().map_or(String::new(), |dir| {
            format!("; {} left as it was", dir.display())
        });
        format!("build failed: {}{kept}", counted(errors, "error"))
    }

    fn write_folder(&self, dir: &Path, pools: &[&Pool], started: Instant) -> String {
        let files = render_in_parallel(dir, &self.root_name, pools);
        let applied = Plan::new(dir, &self.root_name, files, true).and_then(|plan| plan.apply(dir));
        match applied {
            Ok(changed) => status::built(pools.len(), started.elapsed(), Some(changed)),
            Err(e) => format!("cannot write to {}: {}", dir.display(), describe_io(&e)),
        }
    }

    /// The root is gone, most likely in the middle of a save: say so, and
    /// watch for it to come back.
    fn root_unreadable(&mut self, error: &io::Error) -> Next {
        self.screen.clear();
        Next::Watch {
            files: vec![self.args.file.clone()],
            status: format!(
                "cannot read {}: {}; waiting for it to come back",
                self.args.file.display(),
                describe_io(error)
            ),
        }
    }
}

/// [`output_files`] with the pools shared among the cores: rendering is
/// half of a build, and what a save waits for.
fn render_in_parallel(dir: &Path, root_name: &str, pools: &[&Pool]) -> Vec<OutputFile> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = pools.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let renderers: Vec<_> = pools
            .chunks(chunk)
            .map(|some| scope.spawn(move || output_files(dir, root_name, some)))
            .collect();
        renderers
            .into_iter()
            .flat_map(|renderer| {
                renderer
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
