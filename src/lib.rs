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

pub mod chart;
pub mod diagnostics;
pub mod format;
pub mod import;
pub mod model;
pub mod render;
pub mod semantics;
pub mod source;
pub mod syntax;
