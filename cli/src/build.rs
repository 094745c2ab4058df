//! `poolc build FILE [--pool NAME]... [-o DIR [--check]]`

use super::output::{self, OutputFile, Plan, PlanError};
use super::report::{self, AccessArgs, ColorChoice, MessageFormat, Stream, TargetArg};
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
    /// The root .pool file (`-`: read it from stdin; its imports are then
    /// relative to the current folder).
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
    /// How to print diagnostics (on stderr: stdout is the manifests').
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
    /// Compile every pool for this target, whatever the pool says (a
    /// migration preview: `--target operator`).
    #[arg(long, value_enum, value_name = "TARGET")]
    target: Option<TargetArg>,
    #[command(flatten)]
    access: AccessArgs,
    /// Print nothing on stderr when the build succeeds (problems are still
    /// printed).
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    if let Err(outcome) = usable_output(&args) {
        return outcome;
    }
    let style = report::style(args.message_format, color);
    let checked = match args.access.access().and_then(|access| {
        report::check_site(&args.file, &access, (style, Stream::Stderr), args.target)
    }) {
        Ok(checked) => checked,
        Err(outcome) => return outcome,
    };
    let pools = match select(&checked.site.pools, &args.pools) {
        Ok(pools) => pools,
        Err(outcome) => return outcome,
    };
    let built = report::site_size(&checked, pools.len(), "from");
    match write_output(&args, &pools, &built) {
        Ok(Some(summary)) => {
            report::summarize(args.quiet, summary);
            Outcome::Success
        }
        // A closed stdout (`poolc build | head`) is the reader's choice.
        Ok(None) => Outcome::Success,
        Err(outcome) => outcome,
    }
}

/// Refuses, before building, an output the build could not use.
fn usable_output(args: &Args) -> Result<(), Outcome> {
    let Some(dir) = &args.out else {
        return Ok(());
    };
    output::usable_folder(dir)?;
    if super::host::is_stdin(&args.file) {
        return Err(trouble(
            "a site read from stdin has no file to mark an output folder's files with: \
            build it to stdout, or name its file",
        ));
    }
    Ok(())
}

/// Writes the pools' manifests where `args` says: the summary line to
/// print, or none when stdout was closed by its reader.
fn write_output(args: &Args, pools: &[&Pool], built: &str) -> Result<Option<String>, Outcome> {
    let Some(dir) = &args.out else {
        let manifests = rendered_in_batches(pools).map(|r| r.yaml);
        return match print_stream(&root_name(&args.file), manifests) {
            Ok(()) => Ok(Some(format!("built {built}"))),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(None),
            Err(e) => Err(trouble(format_args!(
                "cannot write to stdout: {}",
                describe_io(&e)
            ))),
        };
    };
    if args.check {
        check_folder(dir, args, pools)?;
        return Ok(Some(format!("{} is up to date: {built}", dir.display())));
    }
    let changed = write_folder(dir, &args.file, pools, args.pools.is_empty())?;
    let changed = report::counted(changed, "file");
    Ok(Some(format!(
        "built {built} into {}: {changed} changed",
        dir.display()
    )))
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
    if super::host::is_stdin(path) {
        return super::host::STDIN_NAME.to_string();
    }
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

/// The files a build of `pools` writes into `dir`, marked for the site
/// rooted at `root`, with the mark.
fn folder_files(
    dir: &Path,
    root: &Path,
    pools: &[&Pool],
) -> Result<(String, Vec<OutputFile>), Outcome> {
    let mark = output::mark(dir, root).map_err(|e| cannot("read", dir, &e))?;
    let files = pools
        .iter()
        .zip(render_in_parallel(pools))
        .map(|(pool, rendered)| output_file(dir, &mark, &pool.name.value, &rendered))
        .collect();
    Ok((mark, files))
}

/// `build --check`: whether `dir` holds what the build would write.
fn check_folder(dir: &Path, args: &Args, pools: &[&Pool]) -> Result<(), Outcome> {
    let (mark, files) = folder_files(dir, &args.file, pools)?;
    match Plan::new(dir, &mark, files, args.pools.is_empty()) {
        Ok(plan) if plan.changes.is_empty() => Ok(()),
        Ok(plan) => Err(report_changes(dir, &plan, pools, &update_command(args))),
        Err(e) => Err(refused(dir, &e)),
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

/// Writes the pools' files into `dir`: how many changed.
fn write_folder(dir: &Path, root: &Path, pools: &[&Pool], prune: bool) -> Result<usize, Outcome> {
    let (mark, files) = folder_files(dir, root, pools)?;
    let lock = output::write::lock(dir).map_err(|e| cannot("write to", dir, &e))?;
    let plan = Plan::new(dir, &mark, files, prune).map_err(|e| refused(dir, &e))?;
    plan.apply(&lock).map_err(|e| cannot("write to", dir, &e))
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

/// `build --check` on a folder that is not up to date: the diff on stdout,
/// and on stderr the command that updates the folder.
fn report_changes(dir: &Path, plan: &Plan, pools: &[&Pool], update: &str) -> Outcome {
    if let Err(outcome) = stdio::print(output::diff(&plan.changes, &credential_texts(pools))) {
        return outcome;
    }
    let changes = plan.changes.len();
    stdio::say(format_args!(
        "error: {} is not up to date: {changes} {} would change; to update it, run:\n    {update}",
        dir.display(),
        if changes == 1 { "file" } else { "files" },
    ));
    Outcome::Failure
}

/// The command that writes what `build --check` compared: the same, but
/// for `--check`, quoted for a POSIX shell.
fn update_command(args: &Args) -> String {
    let mut words = vec!["poolc".to_string(), "build".to_string()];
    words.push(shell_word(&args.file.to_string_lossy()));
    for pool in &args.pools {
        words.extend(["--pool".to_string(), shell_word(pool)]);
    }
    if let Some(target) = args.target {
        words.extend([
            "--target".to_string(),
            poolc::model::Target::from(target).keyword().to_string(),
        ]);
    }
    for dir in &args.access.allow {
        words.extend([
            "--allow-path".to_string(),
            shell_word(&dir.to_string_lossy()),
        ]);
    }
    if let Some(out) = &args.out {
        words.extend(["-o".to_string(), shell_word(&out.to_string_lossy())]);
    }
    words.join(" ")
}

/// `word` as a POSIX shell reads it back: as it is when it holds nothing
/// the shell would read otherwise, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:=,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
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
