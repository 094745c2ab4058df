//! poolc: a typed language for Spacelift worker pools on Kubernetes,
//! compiled to exactly the manifests the `spacelift-worker` Helm chart
//! renders, or to a `WorkerPool` of the Spacelift workerpool operator
//! (each pool's `target`).
//!
//! Data flows one way: [`source`] text → [`syntax`] → [`semantics`] (names,
//! types, checks) → the [`model`] → [`render`]ed manifests, the operator's
//! checked against its CRD before anything is written. Every problem
//! on the way is a [`diagnostics::Diagnostic`]. Beside the pipeline,
//! [`format`] lays out .pool files canonically and [`import`] turns Helm
//! values into a .pool file, and [`ide`] answers an editor's questions
//! (hover, completion, definitions...). The front-ends (the `poolc` command,
//! in `cli/`, and its language server, in `lsp/`) drive them. This core does no I/O of its own (see
//! [`source::Host`]); the root `clippy.toml` makes clippy refuse any.

mod chart;
pub mod diagnostics;
mod format;
pub mod ide;
pub mod import;
mod kube;
pub mod model;
mod operator;
mod render;
mod secrets;
mod semantics;
mod source;
pub mod syntax;

pub use chart::names::release_name;
pub use format::{Unformattable, format};
pub use kube::validation::pod::workload as validate_workload;
pub use render::{Rendered, pool as render_pool};
pub use secrets::{Secrecy, Secrets};
pub use semantics::Checked;
pub use semantics::cache::PoolCache;
pub use semantics::suggest::suggest;
pub use source::{
    Access, FileKind, Host, MAX_INPUT_BYTES, MAX_SOURCE_BYTES, MemoryHost, ReadError, SourceFile,
    SourceMap, describe_io, size,
};
pub use syntax::cache::ItemCache;

/// Checks the site rooted at `root`: every problem, and the pools' model.
/// Files are read in the root file's folder only.
pub fn check(root: &std::path::Path, host: &dyn Host) -> std::io::Result<Checked> {
    check_for(root, host, None)
}

/// [`check`], with every pool compiled for `target` when one is given
/// (`--target`, a migration preview), whatever its own says. Operator
/// pools are also checked as written out, against the operator's CRD.
pub fn check_for(
    root: &std::path::Path,
    host: &dyn Host,
    target: Option<model::Target>,
) -> std::io::Result<Checked> {
    check_with(root, host, target, &Access::default())
}

/// [`check_for`], reading files in the folders `access` allows too.
pub fn check_with(
    root: &std::path::Path,
    host: &dyn Host,
    target: Option<model::Target>,
    access: &Access,
) -> std::io::Result<Checked> {
    let mut checked = semantics::check(root, host, target, access)?;
    // The WorkerPools are checked once the pools read cleanly: a problem
    // found before would be found again in the objects made from it.
    if !checked.has_errors() {
        let found = render::verify(&checked.site);
        checked.add_diagnostics(found);
    }
    Ok(checked)
}
