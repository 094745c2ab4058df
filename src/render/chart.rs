//! The objects the `spacelift-worker` chart renders for a pool, in its
//! order, built from the chart's facts ([`crate::chart`]) and the pool.

use crate::chart::names::Names;
use crate::chart::{self as facts, Container};
use crate::model::image::ImageRef;
use crate::model::{
    ContainerSpec, Credentials, Embedded, EnvEntry, Pool, PoolSpec, Replicas, ServiceAccount,
    Storage, StringMap, Workload,
};
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use std::collections::BTreeMap;

/// An object's metadata: its name and the chart's labels.
fn object_metadata(names: &Names, name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        labels: Some(names.common_labels()),
        ..Default::default()
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
            metadata: object_metadata(&names, &names.fullname),
            type_: Some("Opaque".into()),
            string_data: Some(BTreeMap::from([
                (facts::TOKEN_KEY.to_string(), token.value.text.clone()),
                (
                    facts::PRIVATE_KEY_KEY.to_string(),
                    private_key.value.text.clone(),
                ),
            ])),
            ..Default::default()
        }));
    }
    let template = pod_template(&names, pool);
    let mut metadata = object_metadata(&names, &names.fullname);
    if let Some(labels) = &mut metadata.labels {
        labels.extend(map(&spec.labels));
    }
    metadata.annotations = non_empty(map(&spec.annotations));
    let replicas = match spec.replicas.as_ref().map(|r| r.value) {
        None => Some(facts::DEFAULT_REPLICAS),
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
                metadata: object_metadata(&names, &names.fullname),
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
                        name: Some(facts::STORAGE_VOLUME.into()),
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
    let mut metadata = object_metadata(names, &names.service_account);
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
                    .map_or(facts::DEFAULT_GRACE_SECONDS, |g| g.value),
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
    let mut env = vec![value_var("DOCKER_HOST", facts::DOCKER_HOST)];
    if matches!(pool.credentials.value, Credentials::Inline { .. }) {
        env.extend(credential_vars(&names.fullname));
    }
    env.extend(facts::METADATA_ENV.map(|(name, path)| field_var(name, path)));
    if let Credentials::ExistingSecret { name } = &pool.credentials.value {
        env.extend(credential_vars(&name.value));
    }
    core::Container {
        security_context: Some(
            launcher
                .security_context
                .as_ref()
                .map(|s| s.object.as_ref().clone())
                .unwrap_or_default(),
        ),
        ..container(&facts::LAUNCHER, &launcher.container, env)
    }
}

fn dind(spec: &PoolSpec) -> core::Container {
    let command: &[&str] = match spec.workload() {
        Workload::Deployment => &facts::DIND_COMMAND_DEPLOYMENT,
        Workload::StatefulSet => &facts::DIND_COMMAND_STATEFULSET,
    };
    let env = vec![value_var("DOCKER_HOST", facts::DOCKER_HOST)];
    core::Container {
        command: Some(strings(command)),
        security_context: Some(core::SecurityContext {
            privileged: Some(true),
            ..Default::default()
        }),
        ..container(&facts::DIND, &spec.dind.container, env)
    }
}

/// The fields the launcher and dind containers share: the chart's defaults
/// (`chart`) overlaid with the pool's image, pull policy, resources, env
/// and mounts; `env` is what the chart sets ahead of the pool's variables.
fn container(chart: &Container, c: &ContainerSpec, mut env: Vec<core::EnvVar>) -> core::Container {
    env.extend(extra_env(&c.env));
    let mut mounts: Vec<core::VolumeMount> = chart
        .mounts
        .iter()
        .map(|(path, sub_path)| mount(path, sub_path))
        .collect();
    mounts.extend(objects_of(&c.volume_mounts));
    let pull_policy = c
        .pull_policy
        .as_ref()
        .map_or(chart.default_pull_policy, |p| p.value);
    core::Container {
        name: chart.name.into(),
        image: Some(image(
            c.image.as_ref().map(|i| &i.value),
            chart.default_image,
        )),
        image_pull_policy: Some(pull_policy.as_str().into()),
        resources: Some(
            c.resources
                .as_ref()
                .map(|r| r.object.as_ref().clone())
                .unwrap_or_default(),
        ),
        env: Some(env),
        env_from: non_empty_vec(objects_of(&c.env_from)),
        volume_mounts: Some(mounts),
        lifecycle: Some(pre_stop(chart.pre_stop)),
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
    volume.name = facts::STORAGE_VOLUME.into();
    volume
}

fn image(image: Option<&ImageRef>, default: &str) -> String {
    image.map_or_else(|| default.to_string(), ImageRef::to_string)
}

fn mount(path: &str, sub_path: &str) -> core::VolumeMount {
    core::VolumeMount {
        name: facts::STORAGE_VOLUME.into(),
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
        from("SPACELIFT_TOKEN", facts::TOKEN_KEY),
        from("SPACELIFT_POOL_PRIVATE_KEY", facts::PRIVATE_KEY_KEY),
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
