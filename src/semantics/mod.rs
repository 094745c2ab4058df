//! Semantics: loading and name resolution ([`loader`], [`scope`]),
//! evaluation ([`eval`], [`functions`]), reuse ([`merge`]), types and
//! schemas ([`decode`], [`pool`], [`kube`]) and whole-pool checks
//! ([`checks`]). [`check`] runs them all and yields the pool model.

mod checks;
mod decode;
mod embedded;
mod eval;
mod functions;
mod loader;
mod merge;
mod pool;
mod scope;
mod secrets;
pub(crate) mod suggest;
mod value;

use crate::diagnostics::{Diagnostic, Diagnostics, Warning};
use crate::model::{Pool, Site};
use crate::source::{Access, Host, SourceMap};
use crate::syntax::span::Span;
use loader::Program;
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
    /// Spans of secret literals, to mask wherever source is shown.
    pub secrets: Vec<Span>,
    /// Every file the build depends on: the .pool files, the `file(...)`
    /// inputs, and imports that could not be read (so `watch` sees them
    /// appear).
    pub inputs: Vec<PathBuf>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Source → syntax → checked model, reading files in the root file's
/// folder only. An unreadable root file is an I/O error; every other
/// problem is a diagnostic.
pub fn check(root: &Path, host: &dyn Host) -> io::Result<Checked> {
    check_with(root, host, &Access::default())
}

/// [`check`], reading files in the folders `access` allows too.
pub fn check_with(root: &Path, host: &dyn Host, access: &Access) -> io::Result<Checked> {
    let mut diagnostics = Diagnostics::default();
    let program = loader::load(root, host, access, &mut diagnostics)?;
    let scopes = scope::Scopes::build(&program, &mut diagnostics);
    let mut site = Site::default();
    let mut inputs: Vec<PathBuf> = program
        .sources
        .files()
        .map(|(_, f)| f.path.clone())
        .collect();
    for read in read_pools(&scopes, &program, host) {
        site.pools.extend(read.pools);
        diagnostics.extend(read.diagnostics);
        inputs.extend(
            read.inputs
                .into_iter()
                .filter(|i| !inputs.contains(i))
                .collect::<Vec<_>>(),
        );
    }
    let mut evaluator = eval::Evaluator::new(&scopes, &program, host);
    let extended = extended_templates(&scopes);
    for &template in &scopes.all_templates {
        if extended.contains(&template.def.name.span) {
            continue;
        }
        if template.file == program.root() {
            diagnostics.push(Warning::TemplateUnused {
                span: template.def.name.span,
                name: template.name().to_string(),
            });
        }
        if let Some(chain) = merge::chain(template, &scopes, &mut diagnostics) {
            pool::decode_template(
                &chain,
                &mut decode::Cx {
                    eval: &mut evaluator,
                    diagnostics: &mut diagnostics,
                },
            );
        }
    }
    let secrets = secrets::spans(&program, &scopes);
    inputs.extend(evaluator.inputs.iter().cloned());
    inputs.extend(program.unreadable.iter().cloned());
    let sources = program.sources.clone();
    Ok(Checked {
        sources,
        site,
        diagnostics: diagnostics.into_sorted(),
        secrets,
        inputs,
    })
}

/// Pools read by one thread.
struct ReadPools {
    pools: Vec<Pool>,
    diagnostics: Diagnostics,
    /// The `file(...)` inputs read.
    inputs: Vec<PathBuf>,
}

/// Below this many pools, threads cost more than they save.
const POOLS_PER_THREAD: usize = 64;

/// Reads every pool, the pools shared among the cores (each thread with its
/// own evaluator), the results in site order.
fn read_pools(scopes: &scope::Scopes, program: &Program, host: &dyn Host) -> Vec<ReadPools> {
    let pools = &scopes.pools;
    // Asking for the number of cores reads files: only for many pools.
    let threads = match pools.len() / POOLS_PER_THREAD {
        0 | 1 => 1,
        most => most.min(std::thread::available_parallelism().map_or(1, usize::from)),
    };
    if threads == 1 {
        return vec![read_some(pools, scopes, program, host)];
    }
    let chunk = pools.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let readers: Vec<_> = pools
            .chunks(chunk)
            .map(|some| scope.spawn(move || read_some(some, scopes, program, host)))
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

fn read_some(
    definitions: &[scope::DefRef],
    scopes: &scope::Scopes,
    program: &Program,
    host: &dyn Host,
) -> ReadPools {
    let mut evaluator = eval::Evaluator::new(scopes, program, host);
    let mut diagnostics = Diagnostics::default();
    let mut pools = Vec::with_capacity(definitions.len());
    for &definition in definitions {
        pool::check_name(definition, &mut diagnostics);
        let Some(chain) = merge::chain(definition, scopes, &mut diagnostics) else {
            continue;
        };
        let errors_before = diagnostics.error_count();
        let mut cx = decode::Cx {
            eval: &mut evaluator,
            diagnostics: &mut diagnostics,
        };
        let Some(pool) = pool::decode(definition, &chain, &mut cx) else {
            continue;
        };
        checks::check_values(&pool, &mut diagnostics);
        if diagnostics.error_count() == errors_before {
            checks::check_across(&pool, &mut diagnostics);
        }
        pools.push(pool);
    }
    ReadPools {
        pools,
        diagnostics,
        inputs: evaluator.inputs,
    }
}

/// Templates some pool or template extends (by the span of their name).
fn extended_templates(scopes: &scope::Scopes) -> HashSet<Span> {
    scopes
        .pools
        .iter()
        .chain(&scopes.all_templates)
        .filter_map(|d| scopes.lookup_template(d.file, &d.def.extends.as_ref()?.value))
        .map(|t| t.def.name.span)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Host, ReadError};

    /// One file, `site.pool`, in memory.
    struct Memory(String);

    impl Host for Memory {
        fn read(&self, _: &Path, _: u64) -> Result<Vec<u8>, ReadError> {
            Ok(self.0.clone().into_bytes())
        }
        fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
            Ok(path.to_path_buf())
        }
        fn env_var(&self, _: &str) -> Option<String> {
            None
        }
    }

    fn pools(text: &str) -> Vec<crate::model::Pool> {
        let checked = check(Path::new("site.pool"), &Memory(text.into())).unwrap();
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked.site.pools
    }

    const POOL: &str = "pool \"a\" {\n  credentials external \"s\"\n  launcher { resources { \
        requests = { cpu = 1 } } }\n  tolerations = [{ key = \"k\", operator = \"Exists\" }]\n}\n";

    #[test]
    fn models_are_equal_wherever_the_pool_is_written() {
        let moved = format!("# a comment first\nlet unused = 1\n\n{POOL}");
        assert_eq!(pools(POOL), pools(&moved));
        let changed = POOL.replace("cpu = 1", "cpu = 2");
        assert_ne!(pools(POOL), pools(&changed));
    }
}
