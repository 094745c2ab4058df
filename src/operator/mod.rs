//! The Spacelift workerpool operator, its facts in one place beside the
//! chart's ([`crate::chart`]): the `WorkerPool` resource's API, the run
//! pod's built-in containers and volumes, where each launcher variable goes,
//! the CRD itself ([`crd`]) and the pool-field ↔ WorkerPool-field mapping
//! ([`fields`]). docs/operator.md describes the operator for users;
//! `render/operator.rs` builds the objects from these facts and the checker
//! reads them to say what does not map.

pub mod crd;
pub mod fields;

use crate::model::duration::Duration;
use crate::model::{self, EnvEntry, Pool};
use crate::syntax::span::Span;

/// The version of the CRD poolc writes (the vendored CRD's served version).
pub const VERSION: &str = "v1beta1";
pub const API_VERSION: &str = "workers.spacelift.io/v1beta1";
pub const KIND: &str = "WorkerPool";

/// The Kubernetes release whose core types (Container, Volume, Affinity,
/// ...) the vendored CRD embeds: fields added later are pruned.
pub const KUBERNETES: &str = "1.33";

/// Keys of the pool's Secret, in the forms the launcher reads (the token
/// as Spacelift gives it, the private key as base64 of the PEM file).
pub const TOKEN_KEY: &str = "token";
pub const PRIVATE_KEY_KEY: &str = "privateKey";

/// One of the run pod's built-in containers.
#[derive(Debug, PartialEq, Eq)]
pub struct RunContainer {
    /// Its block in a .pool file.
    pub block: &'static str,
    /// The container's name in the run pod.
    pub name: &'static str,
    /// Its settings in the WorkerPool (`spec.pod.<field>`).
    pub field: &'static str,
}

pub const INIT: RunContainer = RunContainer {
    block: "init",
    name: "init",
    field: "initContainer",
};
pub const GRPC: RunContainer = RunContainer {
    block: "grpc",
    name: "launcher-grpc",
    field: "grpcServerContainer",
};
pub const WORKER: RunContainer = RunContainer {
    block: "worker",
    name: "worker",
    field: "workerContainer",
};

/// The built-in containers, in the order they run.
pub const RUN_CONTAINERS: [&RunContainer; 3] = [&INIT, &GRPC, &WORKER];

/// What a built-in container block may set, and the field of the CRD's
/// per-container overrides each becomes.
pub const CONTAINER_FIELDS: [(&str, &str); 6] = [
    ("pull_policy", "imagePullPolicy"),
    ("resources", "resources"),
    ("security_context", "securityContext"),
    ("env", "env"),
    ("env_from", "envFrom"),
    ("volume_mounts", "volumeMounts"),
];

/// The names poolc gives the two special volumes (the controller mounts
/// them at `/opt/spacelift/workspace` and `/opt/spacelift/binaries_cache`).
pub const WORKSPACE_VOLUME: &str = "workspace";
pub const BINARIES_CACHE_VOLUME: &str = "binaries-cache";

/// Where a launcher variable (a typed `launcher` setting) goes on the
/// operator, whose runs are not Docker containers started by a launcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// An environment variable of one of the built-in containers.
    Env(&'static RunContainer),
    /// A field of `spec.pod` that replaces the variable.
    PodField(&'static str),
    /// It configures Docker, which the operator does not use: no counterpart.
    DockerOnly,
}

/// Every launcher variable's destination. The run timeout is also the run
/// pod's deadline ([`RUN_TIMEOUT`]).
pub const LAUNCHER_VARIABLES: [(&str, Destination); 16] = [
    ("SPACELIFT_MASK_ENVS", Destination::Env(&WORKER)),
    (
        "SPACELIFT_SENSITIVE_OUTPUT_UPLOAD_ENABLED",
        Destination::Env(&WORKER),
    ),
    (
        "SPACELIFT_RUN_LOGS_ON_STANDARD_OUTPUT_ENABLED",
        Destination::Env(&WORKER),
    ),
    // Spacelift's documentation sets the initialization policy on the init
    // container, which prepares the run.
    (
        "SPACELIFT_LAUNCHER_RUN_INITIALIZATION_POLICY",
        Destination::Env(&INIT),
    ),
    ("SPACELIFT_LAUNCHER_LOGS_TIMEOUT", Destination::Env(&WORKER)),
    ("SPACELIFT_LAUNCHER_RUN_TIMEOUT", Destination::Env(&WORKER)),
    ("SPACELIFT_DEBUG", Destination::Env(&WORKER)),
    ("SPACELIFT_DOCKER_CONFIG_DIR", Destination::DockerOnly),
    ("SPACELIFT_WHITELIST_ENVS", Destination::DockerOnly),
    // Extra mounts are bind mounts into the Docker containers of runs.
    ("SPACELIFT_WORKER_EXTRA_MOUNTS", Destination::DockerOnly),
    ("SPACELIFT_WORKER_RO_EXTRA_MOUNTS", Destination::DockerOnly),
    ("SPACELIFT_WORKER_WO_EXTRA_MOUNTS", Destination::DockerOnly),
    ("SPACELIFT_WORKER_NETWORK", Destination::DockerOnly),
    ("SPACELIFT_WORKER_RUNTIME", Destination::DockerOnly),
    (
        "SPACELIFT_DEFAULT_RUNNER_IMAGE",
        Destination::PodField("defaultRunnerImage"),
    ),
    (
        "SPACELIFT_DEFAULT_ANSIBLE_RUNNER_IMAGE",
        Destination::PodField("defaultAnsibleRunnerImage"),
    ),
];

/// The run timeout: the worker's variable and `spec.pod.activeDeadlineSeconds`
/// (Spacelift's documentation asks for both).
pub const RUN_TIMEOUT: &str = "SPACELIFT_LAUNCHER_RUN_TIMEOUT";
pub const RUN_DEADLINE_FIELD: &str = "activeDeadlineSeconds";

/// The run pod's deadline for a run timeout: whole seconds, rounded up.
pub fn deadline_seconds(timeout: &Duration) -> i64 {
    i64::try_from(timeout.nanos.div_ceil(1_000_000_000)).unwrap_or(i64::MAX)
}

/// The run timeout a pool sets, if any: the launcher's typed setting, or a
/// literal variable in `worker { env }`.
pub fn run_timeout(pool: &Pool) -> Option<(Duration, Span)> {
    let entry = run_env(pool, &WORKER)
        .into_iter()
        .find(|e| e.var.name == RUN_TIMEOUT)?;
    let duration = Duration::parse(entry.var.value.as_deref()?).ok()?;
    Some((duration, entry.span))
}

/// A built-in container's settings in a pool.
pub fn settings<'p>(pool: &'p Pool, container: &RunContainer) -> &'p model::RunContainer {
    let operator = &pool.spec.operator;
    if *container == INIT {
        &operator.init
    } else if *container == GRPC {
        &operator.grpc
    } else {
        &operator.worker
    }
}

/// A built-in container's environment, in order: the launcher's typed
/// settings that go to it, as written, then its own `env`.
pub fn run_env<'p>(pool: &'p Pool, container: &RunContainer) -> Vec<&'p EnvEntry> {
    let typed = pool.spec.launcher.container.env.iter().filter(|e| {
        let to = destination(&e.var.name);
        e.setting.is_some() && matches!(to, Some(Destination::Env(c)) if c == container)
    });
    typed
        .chain(&settings(pool, container).container.env)
        .collect()
}

/// Where a launcher variable goes (`None` for a variable that is not a
/// launcher setting).
pub fn destination(variable: &str) -> Option<Destination> {
    LAUNCHER_VARIABLES
        .iter()
        .find(|(v, _)| *v == variable)
        .map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::launcher_settings::SETTINGS;

    #[test]
    fn every_launcher_setting_has_one_destination() {
        for setting in SETTINGS {
            let rows = LAUNCHER_VARIABLES
                .iter()
                .filter(|(v, _)| *v == setting.variable)
                .count();
            assert_eq!(rows, 1, "{}", setting.variable);
        }
        assert_eq!(LAUNCHER_VARIABLES.len(), SETTINGS.len());
    }

    #[test]
    fn the_docker_only_variables_are_those_the_operator_documents_and_the_mount_lists() {
        let docker_only: Vec<&str> = LAUNCHER_VARIABLES
            .iter()
            .filter(|(_, d)| *d == Destination::DockerOnly)
            .map(|(v, _)| *v)
            .collect();
        for documented in [
            "SPACELIFT_DOCKER_CONFIG_DIR",
            "SPACELIFT_WHITELIST_ENVS",
            "SPACELIFT_WORKER_EXTRA_MOUNTS",
            "SPACELIFT_WORKER_NETWORK",
            "SPACELIFT_WORKER_RUNTIME",
        ] {
            assert!(docker_only.contains(&documented), "{documented}");
        }
        assert_eq!(docker_only.len(), 7);
    }

    #[test]
    fn the_facts_name_what_the_crd_has() {
        let pod = ["spec", "pod"];
        for container in RUN_CONTAINERS {
            for (_, field) in CONTAINER_FIELDS {
                let path = [pod[0], pod[1], container.field, field];
                assert!(crd::schema_at(&path).is_some(), "{path:?}");
            }
        }
        for (_, destination) in LAUNCHER_VARIABLES {
            if let Destination::PodField(field) = destination {
                assert!(crd::schema_at(&["spec", "pod", field]).is_some(), "{field}");
            }
        }
        assert!(crd::schema_at(&["spec", "pod", RUN_DEADLINE_FIELD]).is_some());
        let crd_group = crd::YAML
            .lines()
            .find_map(|l| l.trim().strip_prefix("group: "));
        assert_eq!(
            crd_group.map(|g| format!("{g}/{VERSION}")),
            Some(API_VERSION.into())
        );
        let crd_kind = crd::YAML
            .lines()
            .find_map(|l| l.trim().strip_prefix("kind: "));
        assert_eq!(crd_kind, Some("CustomResourceDefinition"));
        assert!(crd::YAML.contains(&format!("    kind: {KIND}\n")));
    }
}
