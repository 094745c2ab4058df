//! Semantics: loading and name resolution ([`loader`], [`scope`]),
//! evaluation ([`eval`], [`functions`]), reuse ([`merge`]), types and
//! schemas ([`decode`], [`pool`], [`kube`]) and whole-pool checks
//! ([`checks`]). [`check`] runs them all and yields the pool model.

pub(crate) mod cache;
mod checks;
mod credentials;
pub(crate) mod decode;
mod embedded;
mod eval;
pub(crate) mod functions;
mod integer;
pub(crate) mod loader;
mod merge;
mod operator_checks;
pub(crate) mod pool;
pub(crate) mod scope;
pub(crate) mod suggest;
mod targets;
mod timeouts;
mod value;

use crate::diagnostics::{Diagnostic, Diagnostics, Quoted, SyntaxProblem, Warning};
use crate::model::{Pool, Site, Target};
use crate::secrets::{self, Secrets};
use crate::source::{Access, Host, SourceMap};
use crate::syntax::ast::File;
use crate::syntax::span::{FileId, Span};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// The outcome of checking a site.
pub struct Checked {
    pub sources: SourceMap,
    /// The pools, in order; complete only when there are no errors.
    pub site: Site,
    /// Every problem found, sorted, without duplicates.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the sources may hold secrets, to mask wherever source is shown.
    pub secrets: Secrets,
    /// Every file the build depends on: the .pool files, the `file(...)`
    /// inputs, and imports that could not be read (so `watch` sees them
    /// appear).
    pub inputs: Vec<PathBuf>,
    /// The parsed files and their imports, for the editor's analysis
    /// (`crate::ide`).
    pub(crate) program: loader::Program,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Hands the syntax trees to `cache` (one made by
    /// [`crate::ItemCache::handing_back`]) for the next check to take
    /// instead of copying: what the watcher does once it has built. The
    /// check keeps an empty tree for each file (the editor's analysis,
    /// `crate::ide`, finds nothing in them).
    pub fn hand_back_trees(&mut self, cache: &crate::ItemCache) {
        let empty = vec![File::default(); self.program.files.len()];
        let trees = std::mem::replace(&mut self.program.files, empty);
        for (index, tree) in trees.into_iter().enumerate() {
            let id = FileId(index as u32);
            cache.hand_back(id, &self.sources.get(id).text, tree);
        }
    }

    /// Adds problems found by a later stage, keeping the order and the
    /// absence of duplicates.
    pub fn add_diagnostics(&mut self, found: Vec<Diagnostic>) {
        if found.is_empty() {
            return;
        }
        let mut all = Diagnostics::default();
        for diagnostic in std::mem::take(&mut self.diagnostics)
            .into_iter()
            .chain(found)
        {
            all.push(diagnostic);
        }
        self.diagnostics = all.into_sorted();
    }
}

/// Source → syntax → checked model, reading files in the folders `access`
/// allows. An unreadable root file is an I/O error; every other problem is
/// a diagnostic. `target`, when given, overrides every pool's own (`poolc
/// build --target`).
pub fn check(
    root: &Path,
    host: &dyn Host,
    target: Option<Target>,
    access: &Access,
) -> io::Result<Checked> {
    let mut diagnostics = Diagnostics::default();
    let program = loader::load(root, host, access, &mut diagnostics)?;
    let scopes = scope::Scopes::build(&program, &mut diagnostics);
    let secrets = secret_positions(&program, &scopes);
    report_bad_escapes(&program, &secrets, &mut diagnostics);
    let mut site = Site::default();
    let mut inputs: Vec<PathBuf> = program
        .sources
        .files()
        .map(|(_, f)| f.path.clone())
        .collect();
    let cache = host.pool_cache();
    let kept = cache.map(|cache| cache.take(cache::surroundings(&program, &secrets, target)));
    let mut read = read_pools(&scopes, &program, host, &secrets, target, kept.as_ref());
    if let (Some(cache), Some(kept)) = (cache, kept) {
        let (mut used, mut fresh) = (Vec::new(), Vec::new());
        for read in &mut read {
            used.append(&mut read.used);
            fresh.append(&mut read.fresh);
        }
        cache.keep(kept.renewed(used, fresh));
    }
    // A pool is a large value: grown by doubling, the list would hold up
    // to twice the site's pools at once.
    site.pools
        .reserve_exact(read.iter().map(|r| r.pools.len()).sum());
    for read in read {
        site.pools.extend(read.pools);
        diagnostics.extend(read.diagnostics);
        inputs.extend(
            read.inputs
                .into_iter()
                .filter(|i| !inputs.contains(i))
                .collect::<Vec<_>>(),
        );
    }
    if scopes.pools.is_empty() && diagnostics.error_count() == 0 {
        let root = program.sources.get(program.root());
        diagnostics.push(Warning::NothingToBuild {
            span: Span::new(program.root(), 0, 0),
            file: Quoted::public(&root.name),
        });
    }
    let mut evaluator = eval::Evaluator::new(&scopes, &program, host, &secrets);
    let extended = extended_templates(&scopes);
    for &template in &scopes.all_templates {
        if extended.contains(&template.def.name.span) {
            continue;
        }
        if template.file == program.root() {
            diagnostics.push(Warning::TemplateUnused {
                span: template.def.name.span,
                name: Quoted::public(template.name()),
            });
        }
        if let Some(chain) = merge::chain(template, &scopes, &mut diagnostics) {
            pool::decode_template(
                &chain,
                &mut decode::Cx {
                    eval: &mut evaluator,
                    diagnostics: &mut diagnostics,
                    example: None,
                },
            );
        }
    }
    inputs.extend(evaluator.inputs.iter().cloned());
    inputs.extend(program.unreadable.iter().cloned());
    let sources = program.sources.clone();
    drop(evaluator);
    drop(scopes);
    Ok(Checked {
        sources,
        site,
        diagnostics: diagnostics.into_sorted(),
        secrets,
        inputs,
        program,
    })
}

/// Where the site's files may hold secrets (see [`secrets::find`]).
fn secret_positions(program: &loader::Program, scopes: &scope::Scopes) -> Secrets {
    let files: Vec<(FileId, &str, &File)> = program
        .sources
        .files()
        .map(|(id, source)| (id, &*source.text, program.file(id)))
        .collect();
    let lookup = |file: FileId, name: &str| scopes.lookup_let(file, name).map(|l| l.binding);
    secrets::find(&files, &lookup)
}

/// Unknown escapes, quoted unless they are part of a secret.
fn report_bad_escapes(program: &loader::Program, secrets: &Secrets, diagnostics: &mut Diagnostics) {
    for (id, source) in program.sources.files() {
        for &span in &program.file(id).bad_escapes {
            let escape = source.text.get(span.range()).unwrap_or_default();
            diagnostics.push(SyntaxProblem::BadEscape {
                span,
                escape: Quoted::written(escape, span, secrets),
            });
        }
    }
}

/// Pools read by one thread.
struct ReadPools<'p> {
    pools: Vec<Pool>,
    diagnostics: Diagnostics,
    /// The `file(...)` inputs read.
    inputs: Vec<PathBuf>,
    /// The items of the pools taken from the cache, and the pools read
    /// that it may keep.
    used: Vec<(FileId, &'p str)>,
    fresh: Vec<(&'p str, cache::Entry)>,
}

/// A whole-pool check (`checks` for the chart, `operator_checks` for the
/// operator), told where the sources may hold secrets.
type Check = fn(&Pool, &Secrets, &mut Diagnostics);

/// Below this many pools, threads cost more than they save.
const POOLS_PER_THREAD: usize = 64;

/// Reads every pool, the pools shared among the cores (each thread with its
/// own evaluator), the results in site order.
fn read_pools<'p>(
    scopes: &scope::Scopes,
    program: &'p loader::Program,
    host: &dyn Host,
    secrets: &Secrets,
    target: Option<Target>,
    kept: Option<&cache::Kept>,
) -> Vec<ReadPools<'p>> {
    let pools = &scopes.pools;
    // Asking for the number of cores reads files: only for many pools.
    let threads = match pools.len() / POOLS_PER_THREAD {
        0 | 1 => 1,
        most => most.min(std::thread::available_parallelism().map_or(1, usize::from)),
    };
    if threads == 1 {
        return vec![read_some(
            pools,
            scopes,
            program,
            (host, secrets),
            target,
            kept,
        )];
    }
    let chunk = pools.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let readers: Vec<_> = pools
            .chunks(chunk)
            .map(|some| {
                scope.spawn(move || read_some(some, scopes, program, (host, secrets), target, kept))
            })
            .collect();
        readers
            .into_iter()
            .map(|reader| {
                reader
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn read_some<'p>(
    definitions: &[scope::DefRef],
    scopes: &scope::Scopes,
    program: &'p loader::Program,
    (host, secrets): (&dyn Host, &Secrets),
    target: Option<Target>,
    kept: Option<&cache::Kept>,
) -> ReadPools<'p> {
    let mut evaluator = eval::Evaluator::new(scopes, program, host, secrets);
    let mut read = ReadPools {
        pools: Vec::with_capacity(definitions.len()),
        diagnostics: Diagnostics::default(),
        inputs: Vec::new(),
        used: Vec::new(),
        fresh: Vec::new(),
    };
    for &definition in definitions {
        let item = definition.def.span;
        let text = &program.sources.get(definition.file).text[item.range()];
        if let Some((pool, reported)) = kept.and_then(|kept| kept.get(item, text)) {
            read.diagnostics.replay(&reported);
            read.pools.push(Pool {
                origin: program.origin(pool.name.span),
                ..pool
            });
            read.used.push((item.file, text));
            continue;
        }
        let mark = read.diagnostics.len();
        let Some(pool) = read_pool(
            definition,
            scopes,
            target,
            secrets,
            &mut evaluator,
            &mut read.diagnostics,
        ) else {
            continue;
        };
        let pool = Pool {
            origin: program.origin(pool.name.span),
            ..pool
        };
        if kept.is_some() && !evaluator.beyond_text {
            let reported = read.diagnostics.since(mark);
            read.fresh
                .extend(cache::entry(item, &pool, reported).map(|e| (text, e)));
        }
        read.pools.push(pool);
    }
    read.inputs = evaluator.inputs;
    read
}

/// Reads one pool and checks it whole: its model, unless it could not be
/// read.
fn read_pool(
    definition: scope::DefRef,
    scopes: &scope::Scopes,
    target: Option<Target>,
    secrets: &Secrets,
    evaluator: &mut eval::Evaluator,
    diagnostics: &mut Diagnostics,
) -> Option<Pool> {
    pool::check_name(definition, diagnostics);
    let chain = merge::chain(definition, scopes, diagnostics)?;
    let errors_before = diagnostics.error_count();
    let mut cx = decode::Cx {
        eval: evaluator,
        diagnostics,
        example: None,
    };
    let pool = pool::decode(definition, &chain, target, &mut cx)?;
    let (check_values, check_across) = match pool.target {
        Target::Chart => (checks::check_values as Check, checks::check_across as Check),
        Target::Operator => (
            operator_checks::check_values as Check,
            operator_checks::check_across as Check,
        ),
    };
    check_values(&pool, secrets, diagnostics);
    if diagnostics.error_count() == errors_before {
        check_across(&pool, secrets, diagnostics);
    }
    Some(pool)
}

/// Templates some pool or template extends, or means to extend (by the
/// span of their name).
fn extended_templates(scopes: &scope::Scopes) -> HashSet<Span> {
    scopes
        .pools
        .iter()
        .chain(&scopes.all_templates)
        .filter_map(|d| {
            // A misspelt `extends` names the template it was meant for.
            let name = &d.def.extends.as_ref()?.value;
            scopes.lookup_template(d.file, name).or_else(|| {
                let meant = suggest::suggest(name, scopes.template_names(d.file))?;
                scopes.lookup_template(d.file, &meant)
            })
        })
        .map(|t| t.def.name.span)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemoryHost;

    fn pools(text: &str) -> Vec<crate::model::Pool> {
        let host = MemoryHost::site(text);
        let checked = check(Path::new("site.pool"), &host, None, &Access::default()).unwrap();
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked.site.pools
    }

    const POOL: &str = "pool \"a\" {\n  credentials external \"s\"\n  launcher { resources { \
        requests = { cpu = 1 } } }\n  tolerations = [{ key = \"k\", operator = \"Exists\" }]\n}\n";

    #[test]
    fn models_are_equal_when_only_what_is_around_them_changes() {
        let around = format!("{POOL}\n# a comment after\nlet unused = 1\n");
        assert_eq!(pools(POOL), pools(&around));
        let changed = POOL.replace("cpu = 1", "cpu = 2");
        assert_ne!(pools(POOL), pools(&changed));
        // A pool moved to another line renders another `# Source:` line.
        let moved = format!("# a comment first\n{POOL}");
        assert_ne!(pools(POOL), pools(&moved));
        assert_eq!(pools(&moved)[0].origin, "site.pool:2");
    }
}
