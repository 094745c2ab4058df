//! The `spacelift-worker` chart (0.1.0), in one place: its names, labels,
//! defaults and the objects it renders (spec/chart.md). The checker asks
//! this module what the chart sets, so that knowledge is written once.

use crate::model::image::ImageRef;
use crate::model::{
    ContainerSpec, Credentials, Embedded, EnvEntry, Pool, PoolSpec, Replicas, ServiceAccount,
    Storage, StringMap, Workload,
};
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use std::collections::BTreeMap;

pub const CHART_NAME: &str = "spacelift-worker";
const CHART_LABEL: &str = "spacelift-worker-0.1.0";
const APP_VERSION: &str = "latest";
/// The volume the launcher and Docker keep their data on.
pub const STORAGE_VOLUME: &str = "launcher-storage";
/// The chart's own containers.
pub const CONTAINERS: [&str; 2] = ["launcher", "dind"];
pub const DEFAULT_LAUNCHER_IMAGE: &str = "public.ecr.aws/spacelift/launcher:latest";
pub const DEFAULT_DIND_IMAGE: &str = "docker:23.0.6-dind";
pub const DEFAULT_LAUNCHER_PULL_POLICY: &str = "Always";
pub const DEFAULT_DIND_PULL_POLICY: &str = "IfNotPresent";
pub const DEFAULT_REPLICAS: i32 = 1;
pub const DEFAULT_GRACE_SECONDS: i64 = 30;
const DOCKER_HOST: &str = "tcp://localhost:2375";
/// Secret keys, in the chart's Secret and in an existing one.
const TOKEN_KEY: &str = "token";
const PRIVATE_KEY_KEY: &str = "privateKey";

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

/// Variables the chart sets in the launcher container before the pool's own.
pub fn launcher_builtin_env(credentials: &Credentials) -> Vec<&'static str> {
    let mut names = vec![
        "DOCKER_HOST",
        "SPACELIFT_METADATA_instance_id",
        "SPACELIFT_METADATA_k8s_namespace",
    ];
    if !matches!(credentials, Credentials::External) {
        names.extend(crate::model::launcher_settings::CREDENTIAL_VARIABLES);
    }
    names
}

/// Variables the chart sets in the dind container.
pub const DIND_BUILTIN_ENV: [&str; 1] = ["DOCKER_HOST"];

/// The names a pool's objects get.
pub struct Names {
    pub release: String,
    /// The `app.kubernetes.io/name` label.
    pub name: String,
    /// The objects' name.
    pub fullname: String,
    pub service_account: String,
}

/// Helm's `trunc 63 | trimSuffix "-"`.
fn trim63(name: &str) -> String {
    let cut = &name[..name.len().min(63)];
    cut.strip_suffix('-').unwrap_or(cut).to_string()
}

impl Names {
    pub fn of(pool: &Pool) -> Names {
        let spec = &pool.spec;
        let release = pool.name.value.clone();
        let base = spec
            .name_override
            .as_ref()
            .map_or(CHART_NAME, |n| n.value.as_str());
        let name = trim63(base);
        let fullname = match &spec.fullname_override {
            Some(full) => trim63(full),
            None if release.contains(base) => trim63(&release),
            None => trim63(&format!("{release}-{base}")),
        };
        let service_account = match spec.service_account.as_ref().map(|s| &s.value) {
            None => fullname.clone(),
            Some(ServiceAccount::Create { name, .. }) => {
                name.as_ref().map_or(fullname.clone(), |n| n.value.clone())
            }
            Some(ServiceAccount::Existing { name }) => {
                name.as_ref().map_or("default".into(), |n| n.value.clone())
            }
        };
        Names {
            release,
            name,
            fullname,
            service_account,
        }
    }

    fn common_labels(&self) -> BTreeMap<String, String> {
        let values = [CHART_LABEL, &self.name, &self.release, APP_VERSION, "Helm"];
        COMMON_LABELS
            .iter()
            .zip(values)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn selector_labels(&self) -> BTreeMap<String, String> {
        let values = [&self.name, &self.release];
        SELECTOR_LABELS
            .iter()
            .zip(values)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn metadata(&self, name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(self.common_labels()),
            ..Default::default()
        }
    }
}

/// One rendered object, in the chart's order.
pub enum Object {
    ServiceAccount(core::ServiceAccount),
    Secret(core::Secret),
    Service(core::Service),
    Deployment(apps::Deployment),
    StatefulSet(apps::StatefulSet),
}

/// The objects the chart renders for a pool, in the chart's order.
pub fn objects(pool: &Pool) -> Vec<Object> {
    let names = Names::of(pool);
    let spec = &pool.spec;
    let mut objects = Vec::with_capacity(4);
    if let Some(account) = service_account(&names, spec) {
        objects.push(Object::ServiceAccount(account));
    }
    if let Credentials::Inline { token, private_key } = &pool.credentials.value {
        objects.push(Object::Secret(core::Secret {
            metadata: names.metadata(&names.fullname),
            type_: Some("Opaque".into()),
            string_data: Some(BTreeMap::from([
                (TOKEN_KEY.to_string(), token.value.0.clone()),
                (PRIVATE_KEY_KEY.to_string(), private_key.value.0.clone()),
            ])),
            ..Default::default()
        }));
    }
    let template = pod_template(&names, pool);
    let mut metadata = names.metadata(&names.fullname);
    if let Some(labels) = &mut metadata.labels {
        labels.extend(map(&spec.labels));
    }
    metadata.annotations = non_empty(map(&spec.annotations));
    let replicas = match spec.replicas.as_ref().map(|r| r.value) {
        None => Some(DEFAULT_REPLICAS),
        Some(Replicas::Fixed(n)) => Some(n),
        Some(Replicas::Autoscaled) => None,
    };
    let selector = LabelSelector {
        match_labels: Some(names.selector_labels()),
        match_expressions: None,
    };
    // The chart drops a limit of 0; poolc writes what it was asked for.
    let revision_history_limit = spec.revision_history_limit.as_ref().map(|r| r.value);
    match spec.workload() {
        Workload::Deployment => objects.push(Object::Deployment(apps::Deployment {
            metadata,
            spec: apps::DeploymentSpec {
                replicas,
                revision_history_limit,
                selector,
                template,
                ..Default::default()
            },
            status: None,
        })),
        Workload::StatefulSet => {
            objects.push(Object::Service(core::Service {
                metadata: names.metadata(&names.fullname),
                spec: Some(core::ServiceSpec {
                    cluster_ip: Some("None".into()),
                    selector: Some(names.selector_labels()),
                    ..Default::default()
                }),
                status: None,
            }));
            let claim = match spec.storage.as_ref().map(|s| &s.value) {
                Some(Storage::Claim(claim)) => Some(vec![core::PersistentVolumeClaim {
                    metadata: ObjectMeta {
                        name: Some(STORAGE_VOLUME.into()),
                        ..Default::default()
                    },
                    spec: Some(claim.object.as_ref().clone()),
                    status: None,
                }]),
                _ => None,
            };
            objects.push(Object::StatefulSet(apps::StatefulSet {
                metadata,
                spec: apps::StatefulSetSpec {
                    replicas,
                    revision_history_limit,
                    selector,
                    service_name: Some(names.fullname.clone()),
                    template,
                    volume_claim_templates: claim,
                    ..Default::default()
                },
                status: None,
            }));
        }
    }
    objects
}

fn service_account(names: &Names, spec: &PoolSpec) -> Option<core::ServiceAccount> {
    let annotations = match spec.service_account.as_ref().map(|s| &s.value) {
        None => None,
        Some(ServiceAccount::Create { annotations, .. }) => non_empty(map(annotations)),
        Some(ServiceAccount::Existing { .. }) => return None,
    };
    let mut metadata = names.metadata(&names.service_account);
    metadata.annotations = annotations;
    Some(core::ServiceAccount {
        metadata,
        ..Default::default()
    })
}

fn pod_template(names: &Names, pool: &Pool) -> core::PodTemplateSpec {
    let spec = &pool.spec;
    let mut labels = names.selector_labels();
    labels.extend(map(&spec.pod_labels));
    let mut containers = vec![launcher(names, pool), dind(spec)];
    containers.extend(objects_of(&spec.extra_containers));
    let mut volumes = vec![storage_volume(spec)];
    volumes.extend(objects_of(&spec.volumes));
    core::PodTemplateSpec {
        metadata: Some(ObjectMeta {
            annotations: non_empty(map(&spec.pod_annotations)),
            labels: Some(labels),
            ..Default::default()
        }),
        spec: Some(core::PodSpec {
            image_pull_secrets: non_empty_vec(
                spec.image_pull_secrets
                    .iter()
                    .map(|s| core::LocalObjectReference {
                        name: s.value.clone(),
                    })
                    .collect(),
            ),
            service_account_name: Some(names.service_account.clone()),
            security_context: Some(
                spec.pod_security_context
                    .as_ref()
                    .map(|c| c.object.as_ref().clone())
                    .unwrap_or_default(),
            ),
            termination_grace_period_seconds: Some(
                spec.termination_grace_period_seconds
                    .as_ref()
                    .map_or(DEFAULT_GRACE_SECONDS, |g| g.value),
            ),
            containers,
            volumes: Some(volumes),
            topology_spread_constraints: non_empty_vec(objects_of(
                &spec.topology_spread_constraints,
            )),
            node_selector: non_empty(map(&spec.node_selector)),
            affinity: spec.affinity.as_ref().map(|a| a.object.as_ref().clone()),
            tolerations: non_empty_vec(objects_of(&spec.tolerations)),
            ..Default::default()
        }),
    }
}

fn launcher(names: &Names, pool: &Pool) -> core::Container {
    let launcher = &pool.spec.launcher;
    let mut env = vec![value_var("DOCKER_HOST", DOCKER_HOST)];
    if matches!(pool.credentials.value, Credentials::Inline { .. }) {
        env.extend(credential_vars(&names.fullname));
    }
    env.push(field_var("SPACELIFT_METADATA_instance_id", "metadata.name"));
    env.push(field_var(
        "SPACELIFT_METADATA_k8s_namespace",
        "metadata.namespace",
    ));
    if let Credentials::ExistingSecret { name } = &pool.credentials.value {
        env.extend(credential_vars(&name.value));
    }
    let defaults = ContainerDefaults {
        name: "launcher",
        image: DEFAULT_LAUNCHER_IMAGE,
        pull_policy: DEFAULT_LAUNCHER_PULL_POLICY,
        env,
        mounts: vec![mount("/opt/spacelift", "spacelift")],
    };
    core::Container {
        security_context: Some(
            launcher
                .security_context
                .as_ref()
                .map(|s| s.object.as_ref().clone())
                .unwrap_or_default(),
        ),
        lifecycle: Some(pre_stop(&["/bin/sh", "-c", "sleep 20"])),
        ..container(&launcher.container, defaults)
    }
}

fn dind(spec: &PoolSpec) -> core::Container {
    // Started without TLS so the launcher can reach it on localhost; the
    // chart runs docker-init as PID 1 only on a Deployment.
    let command: &[&str] = match spec.workload() {
        Workload::Deployment => &[
            "docker-init",
            "--",
            "dockerd",
            "--host",
            "tcp://127.0.0.1:2375",
        ],
        Workload::StatefulSet => &["dockerd", "--host", "tcp://127.0.0.1:2375"],
    };
    let defaults = ContainerDefaults {
        name: "dind",
        image: DEFAULT_DIND_IMAGE,
        pull_policy: DEFAULT_DIND_PULL_POLICY,
        env: vec![value_var("DOCKER_HOST", DOCKER_HOST)],
        mounts: vec![
            mount("/var/lib/docker", "docker"),
            mount("/opt/spacelift", "spacelift"),
        ],
    };
    core::Container {
        command: Some(strings(command)),
        lifecycle: Some(pre_stop(&[
            "/bin/sh",
            "-c",
            "while [ ! -z $(docker ps -q) ]; do sleep 1; done;",
        ])),
        security_context: Some(core::SecurityContext {
            privileged: Some(true),
            ..Default::default()
        }),
        ..container(&spec.dind.container, defaults)
    }
}

/// What the chart sets on one of its two containers before the user's values.
struct ContainerDefaults {
    name: &'static str,
    image: &'static str,
    pull_policy: &'static str,
    /// Variables the chart sets, ahead of the user's.
    env: Vec<core::EnvVar>,
    /// Mounts the chart sets, ahead of the user's.
    mounts: Vec<core::VolumeMount>,
}

/// The fields the launcher and dind containers share: the chart's defaults
/// overlaid with the user's image, pull policy, resources, env and mounts.
fn container(c: &ContainerSpec, defaults: ContainerDefaults) -> core::Container {
    let ContainerDefaults {
        name,
        image: default_image,
        pull_policy,
        mut env,
        mut mounts,
    } = defaults;
    env.extend(extra_env(&c.env));
    mounts.extend(objects_of(&c.volume_mounts));
    core::Container {
        name: name.into(),
        image: Some(image(c.image.as_ref().map(|i| &i.value), default_image)),
        image_pull_policy: Some(
            c.pull_policy
                .as_ref()
                .map_or(pull_policy, |p| p.value.as_str())
                .into(),
        ),
        resources: Some(
            c.resources
                .as_ref()
                .map(|r| r.object.as_ref().clone())
                .unwrap_or_default(),
        ),
        env: Some(env),
        env_from: non_empty_vec(objects_of(&c.env_from)),
        volume_mounts: Some(mounts),
        ..Default::default()
    }
}

/// `launcher-storage`: the pool's storage volume, `emptyDir: {}` by
/// default, or a name only when a claim template provides it.
fn storage_volume(spec: &PoolSpec) -> core::Volume {
    let mut volume = match spec.storage.as_ref().map(|s| &s.value) {
        Some(Storage::Volume(v)) => v.object.as_ref().clone(),
        Some(Storage::Claim(_)) if spec.workload() == Workload::StatefulSet => {
            core::Volume::default()
        }
        _ => core::Volume {
            empty_dir: Some(Default::default()),
            ..Default::default()
        },
    };
    volume.name = STORAGE_VOLUME.into();
    volume
}

fn image(image: Option<&ImageRef>, default: &str) -> String {
    image.map_or_else(|| default.to_string(), ImageRef::to_string)
}

fn mount(path: &str, sub_path: &str) -> core::VolumeMount {
    core::VolumeMount {
        name: STORAGE_VOLUME.into(),
        mount_path: path.into(),
        sub_path: Some(sub_path.into()),
        ..Default::default()
    }
}

fn pre_stop(command: &[&str]) -> core::Lifecycle {
    core::Lifecycle {
        pre_stop: Some(core::LifecycleHandler {
            exec: Some(core::ExecAction {
                command: Some(strings(command)),
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn value_var(name: &str, value: &str) -> core::EnvVar {
    core::EnvVar {
        name: name.into(),
        value: Some(value.into()),
        value_from: None,
    }
}

fn field_var(name: &str, path: &str) -> core::EnvVar {
    let field_ref = core::ObjectFieldSelector {
        field_path: path.into(),
        api_version: None,
    };
    core::EnvVar {
        name: name.into(),
        value: None,
        value_from: Some(core::EnvVarSource {
            field_ref: Some(field_ref),
            ..Default::default()
        }),
    }
}

/// SPACELIFT_TOKEN and SPACELIFT_POOL_PRIVATE_KEY from a Secret.
fn credential_vars(secret: &str) -> [core::EnvVar; 2] {
    let from = |name: &str, key: &str| core::EnvVar {
        name: name.into(),
        value: None,
        value_from: Some(core::EnvVarSource {
            secret_key_ref: Some(core::SecretKeySelector {
                name: secret.into(),
                key: key.into(),
                optional: None,
            }),
            ..Default::default()
        }),
    };
    [
        from("SPACELIFT_TOKEN", TOKEN_KEY),
        from("SPACELIFT_POOL_PRIVATE_KEY", PRIVATE_KEY_KEY),
    ]
}

fn extra_env(entries: &[EnvEntry]) -> impl Iterator<Item = core::EnvVar> + '_ {
    entries.iter().map(|e| e.var.clone())
}

fn objects_of<T: Clone>(embedded: &[Embedded<T>]) -> Vec<T> {
    embedded.iter().map(|e| e.object.as_ref().clone()).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn map(entries: &StringMap) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| (k.value.clone(), v.value.clone()))
        .collect()
}

/// Empty maps and lists count as unset.
fn non_empty(map: BTreeMap<String, String>) -> Option<BTreeMap<String, String>> {
    (!map.is_empty()).then_some(map)
}

fn non_empty_vec<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_truncation_removes_one_trailing_dash() {
        assert_eq!(
            trim63("a-very-long-worker-pool-name-for-the-production-cluster-in-eu-west-1"),
            "a-very-long-worker-pool-name-for-the-production-cluster-in-eu-w"
        );
        let with_dash_at_63 = format!("{}-x", "a".repeat(62));
        assert_eq!(trim63(&with_dash_at_63), "a".repeat(62));
        assert_eq!(trim63("short"), "short");
    }
}
