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

use super::build::{self, output_file, root_name};
use super::output::{self, OutputFile, Plan, PlanError};
use super::report::{self, AccessArgs, ColorChoice, MessageFormat, TargetArg};
use super::{Outcome, host::CachingFsHost, trouble};
use events::{Events, Wake};
use poolc::Host as _;
use poolc::Rendered;
use poolc::describe_io;
use poolc::diagnostics::render::Style;
use poolc::model::Pool;
use poolc::{Access, Checked};
use screen::Screen;
use status::counted;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// Compile every pool for this target, whatever the pool says (a
    /// migration preview: `--target operator`).
    #[arg(long, value_enum, value_name = "TARGET")]
    target: Option<TargetArg>,
    #[command(flatten)]
    access: AccessArgs,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    if super::host::is_stdin(&args.file) {
        return trouble("watch reads the site again at every save: name its file, not `-` (stdin)");
    }
    if let Some(dir) = &args.out
        && let Err(outcome) = output::usable_folder(dir)
    {
        return outcome;
    }
    let _lock = match args.out.as_deref().map(lock::acquire).transpose() {
        Ok(lock) => lock,
        Err(outcome) => return outcome,
    };
    let mut events = match Events::start() {
        Ok(events) => events,
        Err(e) => return trouble(format_args!("cannot watch files: {e}")),
    };
    let access = match args.access.access() {
        Ok(access) => access,
        Err(outcome) => return outcome,
    };
    let mut builder = Builder {
        root_name: root_name(&args.file),
        access,
        style: report::style(args.message_format, color),
        screen: Screen::new(),
        last: HashMap::new(),
        host: CachingFsHost::default(),
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

/// A build's pools by name, with their manifests.
type LastBuild = HashMap<String, (Pool, Arc<Rendered>)>;

struct Builder {
    args: Args,
    root_name: String,
    access: Access,
    style: Style,
    screen: Screen,
    /// The last good build's pools, rendered: a save renders again (and
    /// compares with the disk) only the pools whose model it changed.
    /// Shared with the build's output, not copied (a 1,000-pool site is a
    /// few megabytes of manifests).
    last: LastBuild,
    /// The files' items, parsed: a save parses again only what it changed.
    host: CachingFsHost,
}

impl Builder {
    /// One build; `Err` when the root file cannot be read.
    fn build(&mut self) -> io::Result<Next> {
        let started = Instant::now();
        let target = self.args.target.map(Into::into);
        let mut checked = poolc::check_with(&self.args.file, &self.host, target, &self.access)?;
        self.screen.show(&checked, self.style);
        let status = if checked.has_errors() {
            self.failed(&checked)
        } else {
            let pools = std::mem::take(&mut checked.site.pools);
            let (rendered, previous) = self.render(pools);
            // The last build's pools are freed once the output is written:
            // freeing a large site's models takes a few milliseconds the
            // output need not wait for.
            let _freed_after_the_output = previous;
            match self.args.out.clone() {
                Some(dir) => self.write_folder(&dir, &rendered, started),
                None => {
                    let manifests = rendered.iter().map(|(_, r, _)| &r.yaml);
                    match build::print_stream(&self.root_name, manifests) {
                        Ok(()) => status::built(rendered.len(), started.elapsed(), None),
                        // Whoever read the stream has gone: nothing to build for.
                        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                            return Ok(Next::Stop(Outcome::Success));
                        }
                        Err(e) => {
                            return Ok(Next::Stop(trouble(format_args!(
                                "cannot write to stdout: {e}"
                            ))));
                        }
                    }
                }
            }
        };
        if let Some(cache) = self.host.item_cache() {
            checked.hand_back_trees(cache);
        }
        let mut files = checked.inputs;
        // The root as given too: when it is a link, its target is among
        // the inputs, and the link itself may be replaced.
        files.push(self.args.file.clone());
        Ok(Next::Watch { files, status })
    }

    /// Each pool's name, manifests, and whether they are the last build's
    /// (the pool did not change), in site order; and the last build's
    /// pools. The pools are kept for the next build.
    fn render(&mut self, pools: Vec<Pool>) -> (Vec<(String, Arc<Rendered>, bool)>, LastBuild) {
        let kept: Vec<Option<Arc<Rendered>>> = pools
            .iter()
            .map(|pool| match self.last.get(&pool.name.value) {
                Some((previous, rendered)) if previous == pool => Some(rendered.clone()),
                _ => None,
            })
            .collect();
        let changed: Vec<&Pool> = pools
            .iter()
            .zip(&kept)
            .filter(|(_, k)| k.is_none())
            .map(|(p, _)| p)
            .collect();
        let mut fresh = build::render_in_parallel(&changed)
            .into_iter()
            .map(Arc::new);
        // One fresh rendering per pool without a kept one, in order.
        let rendered: Vec<(String, Arc<Rendered>, bool)> = pools
            .iter()
            .zip(kept)
            .filter_map(|(pool, kept)| {
                let reused = kept.is_some();
                kept.or_else(|| fresh.next())
                    .map(|r| (pool.name.value.clone(), r, reused))
            })
            .collect();
        let last = pools
            .into_iter()
            .zip(&rendered)
            .map(|(pool, (name, r, _))| (name.clone(), (pool, r.clone())))
            .collect();
        (rendered, std::mem::replace(&mut self.last, last))
    }

    fn failed(&self, checked: &Checked) -> String {
        let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        let kept = self.args.out.as_ref().map_or(String::new(), |dir| {
            format!("; {} left as it was", dir.display())
        });
        format!("build failed: {}{kept}", counted(errors, "error"))
    }

    fn write_folder(
        &mut self,
        dir: &Path,
        rendered: &[(String, Arc<Rendered>, bool)],
        started: Instant,
    ) -> String {
        match self.apply(dir, rendered) {
            Ok(changed) => status::built(rendered.len(), started.elapsed(), Some(changed)),
            Err(problem) => {
                // What is on disk is no longer known: compare it all next time.
                self.last.clear();
                problem
            }
        }
    }

    /// Brings `dir` up to date, as `build -o` does; returns how many files
    /// changed, or what stopped it.
    fn apply(
        &self,
        dir: &Path,
        rendered: &[(String, Arc<Rendered>, bool)],
    ) -> Result<usize, String> {
        let cannot = |what: &str, e: &io::Error| {
            format!("cannot {what} {}: {}", dir.display(), describe_io(e))
        };
        let mark = output::mark(dir, &self.args.file).map_err(|e| cannot("read", &e))?;
        let files: Vec<OutputFile> = rendered
            .iter()
            .map(|(pool, r, reused)| OutputFile {
                written: *reused,
                ..output_file(dir, &mark, pool, r)
            })
            .collect();
        let lock = output::write::lock(dir).map_err(|e| cannot("write to", &e))?;
        let plan = Plan::new(dir, &mark, files, true).map_err(|e| match e {
            PlanError::Refused(refused) => format!("{refused}; nothing was written"),
            PlanError::Io(e) => cannot("read", &e),
        })?;
        plan.apply(&lock).map_err(|e| cannot("write to", &e))
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
