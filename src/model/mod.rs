//! The pool model: one typed description of a pool, independent of the
//! syntax it was written in and of the chart it is rendered by. The checker
//! builds it; the renderer reads it. Spans travel with the values, so a
//! later stage can still point at the source.
//!
//! Two models are equal when they describe the same pool: spans are not
//! compared (see [`Spanned`]), so moving a pool in its file, or editing
//! another one, leaves it equal, and `watch` need not render it again.

pub mod duration;
pub mod image;
pub mod launcher_settings;
pub mod span_tree;
pub(crate) mod spans;

use crate::secrets::Secrecy;
use crate::syntax::span::{Span, Spanned};
use image::ImageRef;
use k8s_openapi::api::core::v1 as core;
use launcher_settings::Setting;
use span_tree::SpanTree;
use std::sync::Arc;

/// Every pool of a site, in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Site {
    pub pools: Vec<Pool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    /// The pool's name, which is its Helm release name.
    pub name: Spanned<String>,
    pub credentials: Spanned<Credentials>,
    /// What the pool is compiled to: as written (`spec.target`), or as
    /// the command line overrides it.
    pub target: Target,
    /// Boxed: the spec is 1.8 KB, and pools are moved from list to list
    /// (read, cached, compared with the last build).
    pub spec: Box<PoolSpec>,
    /// Where the pool is written, as the manifests' `# Source:` comments
    /// name it: `teams/data.pool:4` (the file relative to the root file's
    /// folder, and the line of its name). Part of what the pool is: a pool
    /// moved to another line renders other comments.
    pub origin: String,
}

/// What a pool compiles to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// The `spacelift-worker` Helm chart's objects.
    #[default]
    Chart,
    /// A `WorkerPool` of the Spacelift workerpool operator (docs/operator.md).
    Operator,
}

impl Target {
    pub const ALL: [Target; 2] = [Target::Chart, Target::Operator];

    /// The target as written in a .pool file and on the command line.
    pub fn keyword(self) -> &'static str {
        match self {
            Target::Chart => "chart",
            Target::Operator => "operator",
        }
    }

    pub fn keywords() -> [(&'static str, Target); 2] {
        Target::ALL.map(|t| (t.keyword(), t))
    }
}

/// Everything about a pool that has a default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PoolSpec {
    /// `target = ...` as written (or inherited); [`Pool::target`] is the
    /// one in effect.
    pub target: Option<Spanned<Target>>,
    pub workload: Option<Spanned<Workload>>,
    pub replicas: Option<Spanned<Replicas>>,
    pub termination_grace_period_seconds: Option<Spanned<i64>>,
    pub revision_history_limit: Option<Spanned<i32>>,
    pub name_override: Option<Spanned<String>>,
    pub fullname_override: Option<Spanned<String>>,
    pub labels: StringMap,
    pub annotations: StringMap,
    pub pod_labels: StringMap,
    pub pod_annotations: StringMap,
    pub pod_security_context: Option<Embedded<core::PodSecurityContext>>,
    pub image_pull_secrets: Vec<Spanned<String>>,
    pub service_account: Option<Spanned<ServiceAccount>>,
    pub launcher: Launcher,
    pub dind: Dind,
    pub extra_containers: Vec<Embedded<core::Container>>,
    pub volumes: Vec<Embedded<core::Volume>>,
    pub storage: Option<Spanned<Storage>>,
    pub node_selector: StringMap,
    pub tolerations: Vec<Embedded<core::Toleration>>,
    pub affinity: Option<Embedded<core::Affinity>>,
    pub topology_spread_constraints: Vec<Embedded<core::TopologySpreadConstraint>>,
    /// Settings only the operator has.
    pub operator: OperatorSpec,
}

impl PoolSpec {
    pub fn workload(&self) -> Workload {
        self.workload
            .as_ref()
            .map_or(Workload::Deployment, |w| w.value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    Deployment,
    StatefulSet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replicas {
    Fixed(i32),
    /// `spec.replicas` is not written; an autoscaler owns it.
    Autoscaled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub const ALL: [PullPolicy; 3] = [
        PullPolicy::Always,
        PullPolicy::IfNotPresent,
        PullPolicy::Never,
    ];

    /// A policy as Kubernetes writes it.
    pub fn parse(text: &str) -> Option<PullPolicy> {
        PullPolicy::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// Each policy as written, for a keyword table.
    pub fn keywords() -> [(&'static str, PullPolicy); 3] {
        PullPolicy::ALL.map(|p| (p.as_str(), p))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::Always => "Always",
            PullPolicy::IfNotPresent => "IfNotPresent",
            PullPolicy::Never => "Never",
        }
    }
}

/// An ordered string map (labels, annotations, node selector), each key and
/// value with its span.
pub type StringMap = Vec<(Spanned<String>, Spanned<String>)>;

/// A secret string: its Debug output never shows the value.
#[derive(Clone)]
pub struct Secret {
    pub text: String,
    /// Where the text was written, so that help can fit it.
    pub written: Written,
}

/// Equal when the texts are, wherever they were written.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where a text value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// A quoted string, at its span (in a `let` when that is where it was
    /// written).
    Literal(Span),
    /// A heredoc, at its span.
    Heredoc(Span),
    /// Read by `file(...)`.
    File,
    /// Read by `env(...)`.
    Env,
    /// Built: interpolated, or through `base64()` or `trimspace()`.
    Computed,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Credentials {
    /// poolc writes a Secret holding these.
    Inline {
        token: Spanned<Secret>,
        private_key: Spanned<Secret>,
    },
    /// An existing Secret with keys `token` and `privateKey`.
    ExistingSecret { name: Spanned<String> },
    /// Supplied some other way, through the launcher's `env` or `env_from`.
    External,
    /// No credentials: the operator registers the pool itself (operator only).
    AutoRegistered(AutoRegistration),
}

/// What an auto-registered pool is registered with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AutoRegistration {
    /// The Spacelift space the pool is created in.
    pub space: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub drift_detection_runs: Option<Spanned<DriftDetectionRuns>>,
}

/// How many drift detection runs the pool takes: the CRD's either/or of
/// `disabled` and `maxRuns`, as one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DriftDetectionRuns {
    Disabled,
    AtMost(i32),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ServiceAccount {
    /// poolc writes a ServiceAccount (named after the pool unless `name` is set).
    Create {
        name: Option<Spanned<String>>,
        annotations: StringMap,
    },
    /// An account that already exists (`default` when unnamed).
    Existing { name: Option<Spanned<String>> },
}

/// A Kubernetes object written inside a pool: the typed object, and where
/// each of its parts was written. Both are shared: a template's object is
/// the same object in every pool that extends it.
#[derive(Clone, Debug)]
pub struct Embedded<T> {
    pub object: Arc<T>,
    pub spans: Arc<SpanTree>,
}

/// Equal when the objects are, wherever they were written.
impl<T: PartialEq> PartialEq for Embedded<T> {
    fn eq(&self, other: &Self) -> bool {
        self.object == other.object
    }
}

/// One variable in a container's extra environment.
#[derive(Clone, Debug)]
pub struct EnvEntry {
    pub var: core::EnvVar,
    /// The setting or the entry's `name`.
    pub span: Span,
    /// The typed launcher setting that produced it, if any.
    pub setting: Option<&'static Setting>,
    /// How secret the name and the value may be, so checks know whether
    /// they may quote them.
    pub name_secrecy: Secrecy,
    pub value_secrecy: Secrecy,
}

/// Equal when they set the same variable the same way.
impl PartialEq for EnvEntry {
    fn eq(&self, other: &Self) -> bool {
        self.var == other.var && self.setting == other.setting
    }
}

/// What the launcher and dind containers have in common.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerSpec {
    pub image: Option<Spanned<ImageRef>>,
    pub pull_policy: Option<Spanned<PullPolicy>>,
    pub resources: Option<Embedded<core::ResourceRequirements>>,
    pub env: Vec<EnvEntry>,
    pub env_from: Vec<Embedded<core::EnvFromSource>>,
    pub volume_mounts: Vec<Embedded<core::VolumeMount>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Launcher {
    pub container: ContainerSpec,
    pub security_context: Option<Embedded<core::SecurityContext>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dind {
    pub container: ContainerSpec,
}

/// The operator-only settings of a pool (docs/operator.md).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperatorSpec {
    /// The run pod's built-in containers (`ContainerSpec::image` stays unset:
    /// the backend and the stack choose their images).
    pub worker: RunContainer,
    pub init: RunContainer,
    pub grpc: RunContainer,
    /// The volume tool binaries are cached on (never a claim).
    pub binaries_cache: Option<Spanned<Storage>>,
    pub pod_history: PodHistory,
    pub runtime_class: Option<Spanned<String>>,
    pub allowed_runner_image_hosts: Vec<Spanned<String>>,
    pub custom_binaries_path: Option<Spanned<String>>,
}

/// One of the run pod's built-in containers: `worker`, `init` or `grpc`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunContainer {
    pub container: ContainerSpec,
    pub security_context: Option<Embedded<core::SecurityContext>>,
}

/// How long finished run pods are kept, by count and by age.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodHistory {
    pub keep_successful: Option<Spanned<i32>>,
    pub keep_failed: Option<Spanned<i32>>,
    pub successful_ttl: Option<Spanned<duration::Duration>>,
    pub failed_ttl: Option<Spanned<duration::Duration>>,
}

/// How a pool's storage is written: `storage KIND { ... }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    EmptyDir,
    HostPath,
    Ephemeral,
    /// A claim template per pod (StatefulSet only).
    Claim,
    /// Any other volume source, written out.
    Volume,
}

impl StorageKind {
    pub const ALL: [StorageKind; 5] = [
        StorageKind::EmptyDir,
        StorageKind::HostPath,
        StorageKind::Ephemeral,
        StorageKind::Claim,
        StorageKind::Volume,
    ];

    /// The kind as written in a .pool file.
    pub fn keyword(self) -> &'static str {
        match self {
            StorageKind::EmptyDir => "empty_dir",
            StorageKind::HostPath => "host_path",
            StorageKind::Ephemeral => "ephemeral",
            StorageKind::Claim => "claim",
            StorageKind::Volume => "volume",
        }
    }

    /// The Kubernetes volume source the kind stands for, when it names one.
    pub fn volume_source(self) -> Option<&'static str> {
        match self {
            StorageKind::EmptyDir => Some("emptyDir"),
            StorageKind::HostPath => Some("hostPath"),
            StorageKind::Ephemeral => Some("ephemeral"),
            StorageKind::Claim | StorageKind::Volume => None,
        }
    }

    pub fn parse(keyword: &str) -> Option<StorageKind> {
        StorageKind::ALL
            .into_iter()
            .find(|k| k.keyword() == keyword)
    }
}

/// Where the launcher and Docker keep their data (`launcher-storage`).
#[derive(Clone, Debug, PartialEq)]
pub enum Storage {
    /// A volume source for `launcher-storage` (emptyDir, hostPath,
    /// ephemeral, ...); the object's name is the chart's.
    Volume(Box<Embedded<core::Volume>>),
    /// A claim template per pod; StatefulSet only.
    Claim(Box<Embedded<core::PersistentVolumeClaimSpec>>),
}
