//! `poolc build FILE [--pool NAME]... [-o DIR [--check]]`

use super::output::{self, OutputFile, Plan, PlanError};
use super::report::{self, AccessArgs, ColorChoice, MessageFormat, TargetArg};
use super::{Outcome, stdio, trouble};
use poolc::Rendered;
use poolc::describe_io;
use poolc::model::launcher_settings::CREDENTIAL_VARIABLES;
use poolc::model::{Credentials, Pool};
use poolc::suggest;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The root .pool file.
    file: PathBuf,
    /// Build only this pool (repeat for several).
    #[arg(long = "pool", value_name = "NAME")]
    pools: Vec<String>,
    /// Write DIR/<pool>.yaml for each pool instead of one stream on stdout.
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 and print a diff when DIR is not what the build would write.
    #[arg(long, requires = "out")]
    check: bool,
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
    let style = report::style(args.message_format, color);
    let checked = match args
        .access
        .access()
        .and_then(|access| report::check_site(&args.file, &access, style, args.target))
    {
        Ok(checked) => checked,
        Err(outcome) => return outcome,
    };
    let pools = match select(&checked.site.pools, &args.pools) {
        Ok(pools) => pools,
        Err(outcome) => return outcome,
    };
    let root_name = root_name(&args.file);
    match &args.out {
        None => match print_stream(&root_name, rendered_in_batches(&pools).map(|r| r.yaml)) {
            Ok(()) => Outcome::Success,
            // A closed pipe (`poolc build | head`) is the reader's choice.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Success,
            Err(e) => trouble(format_args!("cannot write to stdout: {}", describe_io(&e))),
        },
        Some(dir) => write_folder(dir, &args.file, &pools, args.pools.is_empty(), args.check),
    }
}

/// The pools named by `--pool`, in site order; all when none is named.
fn select<'s>(pools: &'s [Pool], names: &[String]) -> Result<Vec<&'s Pool>, Outcome> {
    for name in names {
        if !pools.iter().any(|p| p.name.value == *name) {
            let hint = suggest(name, pools.iter().map(|p| p.name.value.as_str()))
                .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
            return Err(trouble(format_args!("no pool named `{name}`{hint}")));
        }
    }
    Ok(pools
        .iter()
        .filter(|p| names.is_empty() || names.contains(&p.name.value))
        .collect())
}

/// The root file's name, which marks the files poolc writes for it.
pub fn root_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// One stream on stdout: the header, then each pool's manifests as they
/// come (rendered lazily by the caller, so a large site is never held whole).
pub fn print_stream(
    root_name: &str,
    manifests: impl IntoIterator<Item = impl AsRef<str>>,
) -> std::io::Result<()> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    stdout.write_all(output::header(root_name).as_bytes())?;
    for yaml in manifests {
        stdout.write_all(yaml.as_ref().as_bytes())?;
    }
    stdout.flush()
}

/// The file a build writes for one pool, marked `mark`.
pub fn output_file(dir: &Path, mark: &str, pool: &str, rendered: &Rendered) -> OutputFile {
    OutputFile {
        path: dir.join(format!("{pool}.yaml")),
        contents: output::header(mark) + &rendered.yaml,
        secret: rendered.has_secret,
        written: false,
    }
}

fn write_folder(dir: &Path, root: &Path, pools: &[&Pool], prune: bool, check: bool) -> Outcome {
    let mark = match output::mark(dir, root) {
        Ok(mark) => mark,
        Err(e) => return cannot("read", dir, &e),
    };
    let files: Vec<OutputFile> = pools
        .iter()
        .zip(render_in_parallel(pools))
        .map(|(pool, rendered)| output_file(dir, &mark, &pool.name.value, &rendered))
        .collect();
    if check {
        return match Plan::new(dir, &mark, files, prune) {
            Ok(plan) if plan.changes.is_empty() => Outcome::Success,
            Ok(plan) => report_changes(dir, &plan, pools),
            Err(e) => refused(dir, &e),
        };
    }
    let lock = match output::write::lock(dir) {
        Ok(lock) => lock,
        Err(e) => return cannot("write to", dir, &e),
    };
    match Plan::new(dir, &mark, files, prune) {
        Ok(plan) => match plan.apply(&lock) {
            Ok(_) => Outcome::Success,
            Err(e) => cannot("write to", dir, &e),
        },
        Err(e) => refused(dir, &e),
    }
}

/// Pools rendered on one thread take less than starting a second.
const POOLS_PER_THREAD: usize = 32;

/// Each pool's manifests, in order, rendered on all cores (rendering is
/// a third of a build).
pub fn render_in_parallel(pools: &[&Pool]) -> Vec<Rendered> {
    let threads = match pools.len() / POOLS_PER_THREAD {
        0 | 1 => 1,
        // Asking for the number of cores reads files: only for many pools.
        most => most.min(std::thread::available_parallelism().map_or(1, usize::from)),
    };
    if threads == 1 {
        return pools.iter().map(|p| poolc::render_pool(p)).collect();
    }
    let chunk = pools.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let renderers: Vec<_> = pools
            .chunks(chunk)
            .map(|some| {
                scope.spawn(move || {
                    some.iter()
                        .map(|p| poolc::render_pool(p))
                        .collect::<Vec<_>>()
                })
            })
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

/// How many pools are rendered together for the stream: enough to share
/// among the cores, few enough that a large site is never held rendered
/// whole.
const POOLS_PER_BATCH: usize = 512;

/// Each pool's manifests, in order, rendered a batch at a time on all cores.
fn rendered_in_batches<'p>(pools: &'p [&'p Pool]) -> impl Iterator<Item = Rendered> + 'p {
    pools.chunks(POOLS_PER_BATCH).flat_map(render_in_parallel)
}

/// The text of the pools' credentials (inline, or passed to the launcher
/// by its env), which a diff hides wherever it is.
fn credential_texts(pools: &[&Pool]) -> Vec<String> {
    let mut texts = Vec::new();
    for pool in pools {
        if let Credentials::Inline { token, private_key } = &pool.credentials.value {
            texts.push(token.value.text.clone());
            texts.push(private_key.value.text.clone());
        }
        let env = &pool.spec.launcher.container.env;
        for entry in env
            .iter()
            .filter(|e| CREDENTIAL_VARIABLES.contains(&e.var.name.as_str()))
        {
            texts.extend(entry.var.value.clone());
        }
    }
    texts
}

/// `build --check` on a folder that is not up to date: the diff on stdout.
fn report_changes(dir: &Path, plan: &Plan, pools: &[&Pool]) -> Outcome {
    if let Err(outcome) = stdio::print(output::diff(&plan.changes, &credential_texts(pools))) {
        return outcome;
    }
    stdio::say(format_args!(
        "error: {} is not up to date: {} file(s) would change; run `poolc build` to update it",
        dir.display(),
        plan.changes.len()
    ));
    Outcome::Failure
}

/// An output folder poolc will not use as it is.
pub fn refused(dir: &Path, error: &PlanError) -> Outcome {
    match error {
        PlanError::Refused(refused) => trouble(format_args!("{refused}; nothing was written")),
        PlanError::Io(e) => cannot("read", dir, e),
    }
}

fn cannot(what: &str, dir: &Path, error: &std::io::Error) -> Outcome {
    trouble(format_args!(
        "cannot {what} {}: {}",
        dir.display(),
        describe_io(error)
    ))
}
