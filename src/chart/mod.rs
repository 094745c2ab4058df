//! The `spacelift-worker` Helm chart (0.1.0), its facts in one place for
//! every stage: its names and labels ([`names`]), its defaults, the
//! containers, volume, mounts and variables it writes, and its values with
//! the pool field that stands for each ([`values`]). docs/chart.md
//! describes the chart; `render/chart.rs` builds its objects from these
//! facts, and the checker and `poolc import` read them too.

pub mod names;
pub mod values;

use crate::model::launcher_settings::CREDENTIAL_VARIABLES;
use crate::model::{Credentials, PullPolicy};

pub const CHART_NAME: &str = "spacelift-worker";
/// The `helm.sh/chart` label.
pub const CHART_LABEL: &str = "spacelift-worker-0.1.0";
/// The `app.kubernetes.io/version` label.
pub const APP_VERSION: &str = "latest";
/// The `app.kubernetes.io/managed-by` label.
pub const MANAGED_BY: &str = "Helm";

/// Labels the chart puts on every object, in its order.
pub const COMMON_LABELS: [&str; 5] = [
    "helm.sh/chart",
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/managed-by",
];
/// The selector labels: on the pod template, and what selects its pods.
pub const SELECTOR_LABELS: [&str; 2] = ["app.kubernetes.io/name", "app.kubernetes.io/instance"];

pub const DEFAULT_REPLICAS: i32 = 1;
pub const DEFAULT_GRACE_SECONDS: i64 = 30;

/// The volume the launcher and Docker keep their data on.
pub const STORAGE_VOLUME: &str = "launcher-storage";

/// Keys of the pool's Secret (the chart's, or an existing one).
pub const TOKEN_KEY: &str = "token";
pub const PRIVATE_KEY_KEY: &str = "privateKey";

/// Where the launcher finds Docker: dind, in the same pod, without TLS.
pub const DOCKER_HOST: &str = "tcp://localhost:2375";
/// The variables the chart sets from the pod's own metadata, and the
/// field each reads.
pub const METADATA_ENV: [(&str, &str); 2] = [
    ("SPACELIFT_METADATA_instance_id", "metadata.name"),
    ("SPACELIFT_METADATA_k8s_namespace", "metadata.namespace"),
];

/// One of the chart's two containers.
pub struct Container {
    pub name: &'static str,
    pub default_image: &'static str,
    pub default_pull_policy: PullPolicy,
    /// The chart's mounts of the storage volume, ahead of the pool's own:
    /// `(mountPath, subPath)`.
    pub mounts: &'static [(&'static str, &'static str)],
    /// The command run before the container is stopped.
    pub pre_stop: &'static [&'static str],
}

pub const LAUNCHER: Container = Container {
    name: "launcher",
    default_image: "public.ecr.aws/spacelift/launcher:latest",
    default_pull_policy: PullPolicy::Always,
    mounts: &[("/opt/spacelift", "spacelift")],
    pre_stop: &["/bin/sh", "-c", "sleep 20"],
};

pub const DIND: Container = Container {
    name: "dind",
    default_image: "docker:23.0.6-dind",
    default_pull_policy: PullPolicy::IfNotPresent,
    mounts: &[
        ("/var/lib/docker", "docker"),
        ("/opt/spacelift", "spacelift"),
    ],
    // Waits for the runs' containers to end.
    pre_stop: &[
        "/bin/sh",
        "-c",
        "while [ ! -z $(docker ps -q) ]; do sleep 1; done;",
    ],
};

/// The chart's own containers, by name.
pub const CONTAINERS: [&str; 2] = [LAUNCHER.name, DIND.name];

/// dind's command: Docker without TLS, for the launcher on localhost; the
/// chart runs docker-init as PID 1 only on a Deployment.
pub const DIND_COMMAND_DEPLOYMENT: [&str; 5] = [
    "docker-init",
    "--",
    "dockerd",
    "--host",
    "tcp://127.0.0.1:2375",
];
pub const DIND_COMMAND_STATEFULSET: [&str; 3] = ["dockerd", "--host", "tcp://127.0.0.1:2375"];

/// Variables the chart sets in the launcher container before the pool's own.
pub fn launcher_builtin_env(credentials: &Credentials) -> Vec<&'static str> {
    let mut names = vec!["DOCKER_HOST"];
    names.extend(METADATA_ENV.map(|(name, _)| name));
    if !matches!(credentials, Credentials::External) {
        names.extend(CREDENTIAL_VARIABLES);
    }
    names
}

/// Variables the chart sets in the dind container.
pub const DIND_BUILTIN_ENV: [&str; 1] = ["DOCKER_HOST"];
