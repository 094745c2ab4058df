//! What each field of a pool means, for hover and completion: its type as
//! written, its default and what it does (docs/language.md says the same
//! for readers), and the kind of value it takes. The field names come from
//! the checker's own tables (`semantics::pool::fields_of`); a test keeps
//! this table and those in step.

use crate::chart;
use crate::kube::schema::schema_of;
use crate::model::{PullPolicy, StorageKind, Target};
use crate::semantics::pool::BINARIES_CACHE_KINDS;
use k8s_openapi::api::core::v1 as core;
use serde_json::Value as Json;
use std::sync::Arc;

/// The kind of value a field takes.
#[derive(Clone, Copy)]
pub enum Kind {
    /// One of these words, or (with `integer`) a whole number.
    Keyword {
        words: fn() -> Vec<&'static str>,
        integer: bool,
    },
    Integer,
    Duration,
    Text,
    Image,
    /// An object of strings (labels, annotations, node selectors).
    Strings,
    /// A list of object names.
    Names,
    /// A Kubernetes object of this schema, or a list of them.
    Kube {
        schema: fn() -> Arc<Json>,
        list: bool,
    },
    /// A block with a body of its own fields (`launcher`).
    Body,
    /// A block whose first label says what it is.
    Labelled {
        labels: fn() -> Vec<&'static str>,
    },
}

pub struct FieldDoc {
    /// The field's path: `replicas`, `launcher.image`.
    pub path: &'static str,
    /// Its type, as docs/language.md writes it.
    pub written: &'static str,
    pub default: Option<fn() -> String>,
    pub doc: &'static str,
    pub kind: Kind,
}

const fn row(path: &'static str, written: &'static str, kind: Kind, doc: &'static str) -> FieldDoc {
    FieldDoc {
        path,
        written,
        default: None,
        doc,
        kind,
    }
}

impl FieldDoc {
    const fn or(mut self, default: fn() -> String) -> FieldDoc {
        self.default = Some(default);
        self
    }
}

const fn kube(schema: fn() -> Arc<Json>) -> Kind {
    Kind::Kube {
        schema,
        list: false,
    }
}

const fn kube_list(schema: fn() -> Arc<Json>) -> Kind {
    Kind::Kube { schema, list: true }
}

const fn external() -> Kind {
    Kind::Labelled {
        labels: || vec!["external"],
    }
}

fn pull_policies() -> Vec<&'static str> {
    PullPolicy::keywords().map(|(word, _)| word).to_vec()
}

/// The fields of a container block (`launcher`, `dind`, and the
/// operator's `worker`, `init`, `grpc`) but its image and settings.
macro_rules! container_fields {
    ($block:literal, $pull_default:expr) => {
        [
            row(
                concat!($block, ".pull_policy"),
                "`Always`, `IfNotPresent` or `Never`",
                Kind::Keyword {
                    words: pull_policies,
                    integer: false,
                },
                "when the kubelet pulls the image",
            )
            .or($pull_default),
            row(
                concat!($block, ".resources"),
                "object: ResourceRequirements",
                kube(schema_of::<core::ResourceRequirements>),
                "CPU and memory requests and limits",
            ),
            row(
                concat!($block, ".env"),
                "list of EnvVar, or an object `{ NAME = \"value\" }`",
                kube_list(schema_of::<core::EnvVar>),
                "extra environment variables, after the chart's own",
            ),
            row(
                concat!($block, ".env_from"),
                "list of EnvFromSource",
                kube_list(schema_of::<core::EnvFromSource>),
                "variables from ConfigMaps and Secrets",
            ),
            row(
                concat!($block, ".volume_mounts"),
                "list of VolumeMount",
                kube_list(schema_of::<core::VolumeMount>),
                "extra mounts, after the chart's own",
            ),
        ]
    };
}

/// A container's `security_context`.
macro_rules! security_context {
    ($block:literal) => {
        row(
            concat!($block, ".security_context"),
            "object: SecurityContext",
            kube(schema_of::<core::SecurityContext>),
            "the container's security context",
        )
    };
}

const fn image(path: &'static str, default: fn() -> String) -> FieldDoc {
    row(
        path,
        "image reference `repository[:tag]` or `repository@sha256:…`",
        Kind::Image,
        "the container's image",
    )
    .or(default)
}

/// The operator's pull policy default is the kubelet's.
fn kubelet_default() -> String {
    "the kubelet's (IfNotPresent, Always for :latest)".into()
}

const LAUNCHER: [FieldDoc; 5] = container_fields!("launcher", || chart::LAUNCHER
    .default_pull_policy
    .as_str()
    .into());
const DIND: [FieldDoc; 5] =
    container_fields!("dind", || chart::DIND.default_pull_policy.as_str().into());
const WORKER: [FieldDoc; 5] = container_fields!("worker", kubelet_default);
const INIT: [FieldDoc; 5] = container_fields!("init", kubelet_default);
const GRPC: [FieldDoc; 5] = container_fields!("grpc", kubelet_default);

const POOL: &[FieldDoc] = &[
    row(
        "target",
        "`chart` or `operator`",
        Kind::Keyword {
            words: || Target::ALL.map(Target::keyword).to_vec(),
            integer: false,
        },
        "what the pool compiles to: the spacelift-worker chart's objects, or a WorkerPool of the \
        Spacelift operator (docs/operator.md); `poolc build --target` overrides it",
    )
    .or(|| Target::default().keyword().into()),
    row(
        "workload",
        "`deployment` or `statefulset`",
        Kind::Keyword {
            words: || vec!["deployment", "statefulset"],
            integer: false,
        },
        "the kind of workload; a StatefulSet also gets a headless Service and may have a \
        `storage claim`",
    )
    .or(|| "deployment".into()),
    row(
        "replicas",
        "integer ≥ 0, or `autoscaled`",
        Kind::Keyword {
            words: || vec!["autoscaled"],
            integer: true,
        },
        "the number of workers; `autoscaled` leaves `spec.replicas` to an autoscaler",
    )
    .or(|| chart::DEFAULT_REPLICAS.to_string()),
    row(
        "termination_grace_period",
        "duration, whole seconds",
        Kind::Duration,
        "how long a pod has to stop (runs in progress finish)",
    )
    .or(|| format!("{}s", chart::DEFAULT_GRACE_SECONDS)),
    row(
        "revision_history_limit",
        "integer ≥ 0",
        Kind::Integer,
        "old ReplicaSets or revisions kept; written as given, including 0",
    ),
    row(
        "name_override",
        "string",
        Kind::Text,
        "replaces the chart name in object names and the `app.kubernetes.io/name` label",
    ),
    row(
        "fullname_override",
        "string",
        Kind::Text,
        "replaces the objects' name (cut to 63 characters, as the chart does)",
    ),
    row(
        "labels",
        "object of strings",
        Kind::Strings,
        "extra labels on the Deployment or StatefulSet",
    ),
    row(
        "annotations",
        "object of strings",
        Kind::Strings,
        "annotations on the Deployment or StatefulSet",
    ),
    row(
        "pod_labels",
        "object of strings",
        Kind::Strings,
        "extra labels on the pods",
    ),
    row(
        "pod_annotations",
        "object of strings",
        Kind::Strings,
        "annotations on the pods",
    ),
    row(
        "pod_security_context",
        "object: PodSecurityContext",
        kube(schema_of::<core::PodSecurityContext>),
        "the pods' security context",
    ),
    row(
        "image_pull_secrets",
        "list of Secret names",
        Kind::Names,
        "Secrets with registry credentials for pulling the images",
    ),
    row(
        "service_account",
        "block: `{ name = ..., annotations = ... }` or `external [\"NAME\"]`",
        external(),
        "a ServiceAccount the chart creates, or an existing one",
    ),
    row(
        "credentials",
        "block: `{ token = ..., private_key = ... }` or `external [\"SECRET\"]`",
        Kind::Labelled {
            labels: || vec!["external", "auto"],
        },
        "the worker pool's token and private key (required): written here, `external` in a \
        Secret, or `auto`, registered by the operator",
    ),
    row(
        "launcher",
        "block",
        Kind::Body,
        "the launcher container: image, resources, env, and the launcher's settings",
    ),
    row(
        "dind",
        "block",
        Kind::Body,
        "the Docker-in-Docker container that runs the runs' containers",
    ),
    row(
        "extra_containers",
        "list of Container",
        kube_list(schema_of::<core::Container>),
        "more containers in the pod, after `launcher` and `dind`",
    ),
    row(
        "volumes",
        "list of Volume",
        kube_list(schema_of::<core::Volume>),
        "more volumes in the pod, after `launcher-storage`",
    ),
    row(
        "storage",
        "block: `storage KIND { ... }`",
        Kind::Labelled {
            labels: || StorageKind::ALL.map(StorageKind::keyword).to_vec(),
        },
        "the launcher's storage volume (`launcher-storage`), or a per-pod claim",
    ),
    row(
        "node_selector",
        "object of strings",
        Kind::Strings,
        "node labels the pods must run on",
    ),
    row(
        "tolerations",
        "list of Toleration",
        kube_list(schema_of::<core::Toleration>),
        "taints the pods tolerate",
    ),
    row(
        "affinity",
        "object: Affinity",
        kube(schema_of::<core::Affinity>),
        "the pods' node and pod affinity",
    ),
    row(
        "topology_spread_constraints",
        "list of TopologySpreadConstraint",
        kube_list(schema_of::<core::TopologySpreadConstraint>),
        "how the pods spread across zones or nodes",
    ),
];

const OPERATOR: &[FieldDoc] = &[
    row(
        "worker",
        "block (operator only)",
        Kind::Body,
        "the container that runs a run",
    ),
    row(
        "init",
        "block (operator only)",
        Kind::Body,
        "the container that prepares a run's workspace",
    ),
    row(
        "grpc",
        "block (operator only)",
        Kind::Body,
        "the container that talks to Spacelift during a run",
    ),
    row(
        "binaries_cache",
        "block: `binaries_cache KIND { ... }` (operator only)",
        Kind::Labelled {
            labels: || BINARIES_CACHE_KINDS.map(StorageKind::keyword).to_vec(),
        },
        "a volume where runs cache the tools they download",
    ),
    row(
        "pod_history",
        "block (operator only)",
        Kind::Body,
        "how many finished run pods are kept, and for how long",
    ),
    row(
        "runtime_class",
        "a RuntimeClass name (operator only)",
        Kind::Text,
        "the RuntimeClass of the run pods (gVisor, Kata...)",
    ),
    row(
        "allowed_runner_image_hosts",
        "list of registry hosts (operator only)",
        Kind::Names,
        "the registries runner images may come from",
    ),
    row(
        "custom_binaries_path",
        "absolute directories separated by `:` (operator only)",
        Kind::Text,
        "where runs find tools of your own",
    ),
    row(
        "pod_history.keep_successful",
        "integer ≥ 0",
        Kind::Integer,
        "successful run pods kept",
    ),
    row(
        "pod_history.keep_failed",
        "integer ≥ 0",
        Kind::Integer,
        "failed run pods kept",
    ),
    row(
        "pod_history.successful_ttl",
        "duration",
        Kind::Duration,
        "how long a successful run pod is kept",
    ),
    row(
        "pod_history.failed_ttl",
        "duration",
        Kind::Duration,
        "how long a failed run pod is kept",
    ),
    row(
        "credentials auto.space",
        "string",
        Kind::Text,
        "the space the operator registers the pool in",
    ),
    row(
        "credentials auto.description",
        "string",
        Kind::Text,
        "the registered pool's description",
    ),
    row(
        "credentials auto.drift_detection_runs",
        "integer ≥ 0, or `disabled`",
        Kind::Keyword {
            words: || vec!["disabled"],
            integer: true,
        },
        "how many drift detection runs may run at once",
    ),
];

const OTHERS: &[FieldDoc] = &[
    image("launcher.image", || chart::LAUNCHER.default_image.into()),
    image("dind.image", || chart::DIND.default_image.into()),
    security_context!("launcher"),
    security_context!("worker"),
    security_context!("init"),
    security_context!("grpc"),
    row(
        "credentials.token",
        "string",
        Kind::Text,
        "the worker pool's token (a secret: read it with env(...) or file(...))",
    ),
    row(
        "credentials.private_key",
        "string: base64 of the PEM key",
        Kind::Text,
        "the worker pool's private key, base64 of the whole PEM file on one line",
    ),
    row(
        "service_account.name",
        "string",
        Kind::Text,
        "the ServiceAccount's name",
    ),
    row(
        "service_account.annotations",
        "object of strings",
        Kind::Strings,
        "the ServiceAccount's annotations (an IAM role, say)",
    ),
];

/// Every documented field.
pub fn all() -> impl Iterator<Item = &'static FieldDoc> {
    let containers = LAUNCHER
        .iter()
        .chain(&DIND)
        .chain(&WORKER)
        .chain(&INIT)
        .chain(&GRPC);
    POOL.iter().chain(containers).chain(OPERATOR).chain(OTHERS)
}

/// The field at `path` (`replicas`, `launcher.image`).
pub fn doc(path: &str) -> Option<&'static FieldDoc> {
    all().find(|f| f.path == path)
}

/// What a storage block of each kind holds, beyond its Kubernetes object.
pub fn storage_schema(kind: StorageKind) -> fn() -> Arc<Json> {
    match kind {
        StorageKind::Claim | StorageKind::Ephemeral => schema_of::<core::PersistentVolumeClaimSpec>,
        StorageKind::EmptyDir => schema_of::<core::EmptyDirVolumeSource>,
        StorageKind::HostPath => schema_of::<core::HostPathVolumeSource>,
        StorageKind::Volume => schema_of::<core::Volume>,
    }
}

/// The fields a claim's storage block adds to PersistentVolumeClaimSpec.
pub const CLAIM_SHORTHANDS: [(&str, &str); 2] = [
    ("class", "the StorageClass (`storageClassName`)"),
    (
        "size",
        "the size requested, a quantity such as 100Gi (`resources.requests.storage`)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantics::pool::fields_of;

    #[test]
    fn every_field_of_the_checker_is_documented_and_every_row_is_a_field() {
        let mut fields = Vec::new();
        let bodies = [
            "",
            "launcher",
            "dind",
            "credentials",
            "credentials auto",
            "service_account",
            "worker",
            "init",
            "grpc",
            "pod_history",
        ];
        for body in bodies {
            for (name, _) in fields_of(body) {
                let path = match body {
                    "" => name.to_string(),
                    _ => format!("{body}.{name}"),
                };
                fields.push(path);
            }
        }
        for field in &fields {
            let setting = field
                .strip_prefix("launcher.")
                .and_then(crate::model::launcher_settings::by_name);
            assert!(
                doc(field).is_some() || setting.is_some(),
                "{field} is not documented"
            );
        }
        for row in all() {
            assert!(
                fields.iter().any(|f| f == row.path),
                "{} is not a field",
                row.path
            );
        }
    }
}

#[cfg(test)]
mod kube_tests {
    use super::*;
    use crate::source::MemoryHost;
    use std::path::Path;

    /// The object the checker names when `body` (a pool body entry) has
    /// an unknown field.
    fn checked_object(entry: &str) -> String {
        let source = format!("pool \"p\" {{\n  credentials external \"s\"\n  {entry}\n}}\n");
        let checked = crate::check(Path::new("site.pool"), &MemoryHost::site(&source)).unwrap();
        let message = checked
            .diagnostics
            .iter()
            .find(|d| d.code == crate::diagnostics::Code::UnknownField)
            .map(|d| d.message.clone())
            .unwrap_or_default();
        message
            .strip_prefix("unknown field `zz_unknown` in ")
            .unwrap_or(&message)
            .to_string()
    }

    fn title(schema: fn() -> Arc<Json>) -> String {
        let schema = schema();
        let title = schema["title"].as_str().unwrap_or_default();
        title.rsplit('.').next().unwrap_or_default().to_string()
    }

    /// The schemas of this table are the ones the checker reads each field with.
    #[test]
    fn each_kubernetes_field_has_the_checkers_schema() {
        for row in all() {
            let Kind::Kube { schema, list } = row.kind else {
                continue;
            };
            let object = "{ zz_unknown = \"1\" }";
            let value = if list {
                format!("[{object}]")
            } else {
                object.to_string()
            };
            let entry = match row.path.split_once('.') {
                Some((block, field)) => format!("{block} {{\n    {field} = {value}\n  }}"),
                None => format!("{} = {value}", row.path),
            };
            assert_eq!(checked_object(&entry), title(schema), "{}", row.path);
        }
        for kind in StorageKind::ALL {
            // A claim needs a size before its other fields are read.
            let size = match kind {
                StorageKind::Claim | StorageKind::Ephemeral => "size = 1Gi, ",
                _ => "",
            };
            let entry = format!("storage {} {{ {size}zz_unknown = \"1\" }}", kind.keyword());
            assert_eq!(
                checked_object(&entry),
                title(storage_schema(kind)),
                "storage {}",
                kind.keyword()
            );
        }
    }
}
