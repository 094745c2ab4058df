//! poolc: a typed language for Spacelift worker pools on Kubernetes,
//! compiled to exactly the manifests the `spacelift-worker` Helm chart
//! renders.
//!
//! Data flows one way: [`source`] text → [`syntax`] → [`semantics`] (names,
//! types, checks) → the [`model`] → [`render`]ed manifests. Every problem
//! on the way is a [`diagnostics::Diagnostic`]. Beside the pipeline,
//! [`format`] lays out .pool files canonically and [`import`] turns Helm
//! values into a .pool file. The front-ends (the `poolc` command, in
//! `cli/`) drive them. This core does no I/O of its own (see
//! [`source::Host`]); the root `clippy.toml` makes clippy refuse any.

mod chart;
pub mod diagnostics;
mod format;
pub mod import;
mod kube;
pub mod model;
mod render;
mod semantics;
mod source;
pub mod syntax;

pub use chart::names::release_name;
pub use format::format;
pub use render::{Rendered, pool as render_pool};
pub use semantics::suggest::suggest;
pub use semantics::{Checked, check, check_with};
pub use source::{
    Access, FileKind, Host, MAX_INPUT_BYTES, MAX_SOURCE_BYTES, ReadError, SourceFile, SourceMap,
    describe_io, size,
};
