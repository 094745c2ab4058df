//! The objects poolc writes for an operator pool, in order: the
//! ServiceAccount it creates (if any), the Secret holding inline
//! credentials, and the `WorkerPool`, built from the operator's facts
//! ([`crate::operator`]) and the pool. Each field of the WorkerPool is
//! written at the path the field mapping gives it.
//!
//! The WorkerPool is built as a [`tree::Built`], which remembers where in
//! the source each part came from, so [`verify`] can check it against the
//! vendored CRD and point every violation at what the user wrote.

mod tree;

use crate::chart;
use crate::diagnostics::Diagnostic;
use crate::kube::structural;
use crate::model::{
    AutoRegistration, Credentials, DriftDetectionRuns, EnvEntry, Pool, Replicas,
    RunContainer as Settings, ServiceAccount, Storage, StringMap,
};
use crate::operator::fields::{path, paths};
use crate::operator::{self as facts, CONTAINER_FIELDS, Destination, RUN_CONTAINERS, RunContainer};
use crate::syntax::span::Spanned;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use tree::{Built, Origin};

/// One object for an operator pool.
pub struct Object {
    pub json: Json,
    pub is_secret: bool,
}

/// The objects for `pool`, in order.
pub fn objects(pool: &Pool) -> Vec<Object> {
    let mut objects = Vec::with_capacity(3);
    if let Some(account) = service_account(pool) {
        objects.push(Object {
            json: to_json(&account),
            is_secret: false,
        });
    }
    if let Some(secret) = secret(pool) {
        objects.push(Object {
            json: to_json(&secret),
            is_secret: true,
        });
    }
    objects.push(Object {
        json: worker_pool(pool).root,
        is_secret: false,
    });
    objects
}

/// The WorkerPool against the vendored CRD: each violation at the source of
/// the part it is about.
pub fn verify(pool: &Pool) -> Vec<Diagnostic> {
    let built = worker_pool(pool);
    let violations = structural::validate(&built.root, facts::crd::schema(), &facts::crd::RULES);
    violations
        .into_iter()
        .map(|v| built.diagnostic(v, pool.name.span))
        .collect()
}

fn to_json<T: Serialize>(object: &T) -> Json {
    // Serialising plain data structures into a JSON tree cannot fail.
    serde_json::to_value(object).unwrap_or_default()
}

fn service_account(pool: &Pool) -> Option<core::ServiceAccount> {
    let annotations = match pool.spec.service_account.as_ref().map(|s| &s.value) {
        None => &StringMap::new(),
        Some(ServiceAccount::Create { annotations, .. }) => annotations,
        Some(ServiceAccount::Existing { .. }) => return None,
    };
    Some(core::ServiceAccount {
        metadata: ObjectMeta {
            name: account_name(pool),
            annotations: (!annotations.is_empty()).then(|| {
                annotations
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.value.clone()))
                    .collect()
            }),
            ..Default::default()
        },
        ..Default::default()
    })
}

/// The account the run pods use: the one poolc creates (named after the
/// pool unless named), an existing one, or none (the namespace's default).
fn account_name(pool: &Pool) -> Option<String> {
    match pool.spec.service_account.as_ref().map(|s| &s.value) {
        None => Some(pool.name.value.clone()),
        Some(ServiceAccount::Create { name, .. }) => Some(
            name.as_ref()
                .map_or_else(|| pool.name.value.clone(), |n| n.value.clone()),
        ),
        Some(ServiceAccount::Existing { name }) => name.as_ref().map(|n| n.value.clone()),
    }
}

/// The Secret holding inline credentials, named after the pool.
fn secret(pool: &Pool) -> Option<core::Secret> {
    let Credentials::Inline { token, private_key } = &pool.credentials.value else {
        return None;
    };
    Some(core::Secret {
        metadata: ObjectMeta {
            name: Some(pool.name.value.clone()),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        string_data: Some(BTreeMap::from([
            (facts::TOKEN_KEY.to_string(), token.value.text.clone()),
            (
                facts::PRIVATE_KEY_KEY.to_string(),
                private_key.value.text.clone(),
            ),
        ])),
        ..Default::default()
    })
}

/// The WorkerPool, in a fixed order: the pool's size and credentials, its
/// registration and history settings, then the run pods.
fn worker_pool(pool: &Pool) -> Built<'_> {
    let mut built = Built {
        root: json!({
            "apiVersion": facts::API_VERSION,
            "kind": facts::KIND,
            "metadata": { "name": pool.name.value },
        }),
        origins: Vec::new(),
    };
    let spec = &pool.spec;
    let whole = pool.name.span;
    built.put_map(path("labels"), &spec.labels, whole);
    built.put_map(path("annotations"), &spec.annotations, whole);
    pool_size(&mut built, pool);
    credentials(&mut built, pool);
    let operator = &spec.operator;
    built.put_list(
        path("allowed_runner_image_hosts"),
        operator
            .allowed_runner_image_hosts
            .iter()
            .map(|h| (json!(h.value), Origin::Span(h.span)))
            .collect(),
        whole,
    );
    let history = &operator.pod_history;
    built.put_value(
        path("pod_history.keep_successful"),
        &history.keep_successful,
    );
    built.put_value(path("pod_history.keep_failed"), &history.keep_failed);
    let ttl = |d: &Option<Spanned<crate::model::duration::Duration>>| {
        d.as_ref()
            .map(|d| Spanned::new(d.value.text.clone(), d.span))
    };
    built.put_value(
        path("pod_history.successful_ttl"),
        &ttl(&history.successful_ttl),
    );
    built.put_value(path("pod_history.failed_ttl"), &ttl(&history.failed_ttl));
    run_pod(&mut built, pool);
    built
}

fn pool_size(built: &mut Built, pool: &Pool) {
    let replicas = pool.spec.replicas.as_ref();
    let size = match replicas.map(|r| r.value) {
        // The same default as on the chart: a pool means the same on both.
        None => chart::DEFAULT_REPLICAS,
        Some(Replicas::Fixed(n)) => n,
        // An autoscaler owns the size, through the scale subresource.
        Some(Replicas::Autoscaled) => return,
    };
    let span = replicas.map_or(pool.name.span, |r| r.span);
    built.put(path("replicas"), json!(size), Origin::Span(span));
}

fn credentials<'p>(built: &mut Built<'p>, pool: &'p Pool) {
    let span = pool.credentials.span;
    let secret = match &pool.credentials.value {
        Credentials::Inline { .. } => pool.name.value.as_str(),
        Credentials::ExistingSecret { name } => name.value.as_str(),
        Credentials::AutoRegistered(registration) => {
            return auto_registration(built, registration);
        }
        // Not a WorkerPool's: reported by the checker.
        Credentials::External => return,
    };
    for (path, key) in paths("credentials")
        .iter()
        .zip([facts::TOKEN_KEY, facts::PRIVATE_KEY_KEY])
    {
        let reference = json!({ "secretKeyRef": { "name": secret, "key": key } });
        built.put(path, reference, Origin::Span(span));
    }
}

fn auto_registration<'p>(built: &mut Built<'p>, registration: &'p AutoRegistration) {
    built.put_value(path("credentials.space"), &registration.space);
    built.put_value(path("credentials.description"), &registration.description);
    if let Some(runs) = &registration.drift_detection_runs {
        let limits = match runs.value {
            DriftDetectionRuns::Disabled => json!({ "disabled": true }),
            DriftDetectionRuns::AtMost(n) => json!({ "maxRuns": n }),
        };
        built.put(
            path("credentials.drift_detection_runs"),
            limits,
            Origin::Span(runs.span),
        );
    }
}

/// `spec.pod`: the run pods.
fn run_pod<'p>(built: &mut Built<'p>, pool: &'p Pool) {
    let spec = &pool.spec;
    let operator = &spec.operator;
    let whole = pool.name.span;
    built.put_map(path("pod_labels"), &spec.pod_labels, whole);
    built.put_map(path("pod_annotations"), &spec.pod_annotations, whole);
    if let Some(account) = account_name(pool) {
        let span = spec.service_account.as_ref().map_or(whole, |s| s.span);
        built.put(path("service_account"), json!(account), Origin::Span(span));
    }
    let secrets = spec.image_pull_secrets.iter();
    let secrets = secrets.map(|s| (json!({ "name": s.value }), Origin::Span(s.span)));
    built.put_list(path("image_pull_secrets"), secrets.collect(), whole);
    built.put_object(path("pod_security_context"), &spec.pod_security_context);
    built.put_value(path("runtime_class"), &operator.runtime_class);
    if let Some((timeout, span)) = facts::run_timeout(pool) {
        let deadline = facts::deadline_seconds(&timeout);
        let at = format!("spec.pod.{}", facts::RUN_DEADLINE_FIELD);
        built.put(&at, json!(deadline), Origin::Span(span));
    }
    built.put_value(
        path("termination_grace_period"),
        &spec.termination_grace_period_seconds,
    );
    built.put_map(path("node_selector"), &spec.node_selector, whole);
    built.put_object(path("affinity"), &spec.affinity);
    built.put_objects(path("tolerations"), &spec.tolerations, whole);
    built.put_objects(
        path("topology_spread_constraints"),
        &spec.topology_spread_constraints,
        whole,
    );
    built.put_objects(path("volumes"), &spec.volumes, whole);
    volume(
        built,
        path("storage"),
        &spec.storage,
        facts::WORKSPACE_VOLUME,
    );
    volume(
        built,
        path("binaries_cache"),
        &operator.binaries_cache,
        facts::BINARIES_CACHE_VOLUME,
    );
    let launcher = &spec.launcher.container;
    if let Some(image) = &launcher.image {
        let text = json!(image.value.to_string());
        built.put(path("launcher.image"), text, Origin::Span(image.span));
    }
    pod_fields(built, pool);
    built.put_value(path("custom_binaries_path"), &operator.custom_binaries_path);
    for container in RUN_CONTAINERS {
        run_container(built, pool, container);
    }
    built.put_objects(path("extra_containers"), &spec.extra_containers, whole);
}

/// Launcher settings that are fields of the pod (the default runner images).
fn pod_fields<'p>(built: &mut Built<'p>, pool: &'p Pool) {
    for entry in pool
        .spec
        .launcher
        .container
        .env
        .iter()
        .filter(|e| e.setting.is_some())
    {
        if let Some(Destination::PodField(field)) = facts::destination(&entry.var.name) {
            let value = json!(entry.var.value);
            built.put(
                &format!("spec.pod.{field}"),
                value,
                Origin::Span(entry.span),
            );
        }
    }
}

/// The workspace or binaries cache volume: the pool's storage, named as
/// poolc names it. (A claim is not a volume: the checker reports it.)
fn volume<'p>(built: &mut Built<'p>, at: &str, storage: &'p Option<Spanned<Storage>>, name: &str) {
    let Some(Spanned {
        value: Storage::Volume(volume),
        ..
    }) = storage
    else {
        return;
    };
    let mut json = to_json(volume.object.as_ref());
    json["name"] = json!(name);
    built.put(at, json, Origin::Tree(&volume.spans));
}

/// One built-in container's overrides, each written only when set; the
/// launcher's pull policy applies to the init and grpc containers unless
/// their blocks set their own.
fn run_container<'p>(built: &mut Built<'p>, pool: &'p Pool, container: &RunContainer) {
    let settings: &'p Settings = facts::settings(pool, container);
    let at = |field: &str| format!("spec.pod.{}.{field}", container.field);
    let crd = |pool_field: &str| {
        CONTAINER_FIELDS
            .iter()
            .find(|(f, _)| *f == pool_field)
            .map_or("", |(_, crd)| crd)
    };
    let pull_policy = at(crd("pull_policy"));
    let own = settings.container.pull_policy.as_ref();
    let launcher = pool.spec.launcher.container.pull_policy.as_ref();
    let inherits = paths("launcher.pull_policy").contains(&pull_policy.as_str());
    if let Some(policy) = own.or(launcher.filter(|_| inherits)) {
        let value = json!(policy.value.as_str());
        built.put(&pull_policy, value, Origin::Span(policy.span));
    }
    built.put_object(&at(crd("resources")), &settings.container.resources);
    built.put_object(&at(crd("security_context")), &settings.security_context);
    let env = facts::run_env(pool, container)
        .into_iter()
        .map(env_item)
        .collect();
    built.put_list(&at(crd("env")), env, pool.name.span);
    let whole = pool.name.span;
    built.put_objects(&at(crd("env_from")), &settings.container.env_from, whole);
    built.put_objects(
        &at(crd("volume_mounts")),
        &settings.container.volume_mounts,
        whole,
    );
}

fn env_item(entry: &EnvEntry) -> (Json, Origin<'_>) {
    (to_json(&entry.var), Origin::Span(entry.span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::kube::structural::Segment;
    use crate::model::Target;
    use crate::operator::fields::{MAPPING, OnOperator};
    use crate::source::MemoryHost;
    use crate::syntax::span::Span;
    use std::path::Path;
    use tree::segments;

    fn checked(text: &str) -> crate::Checked {
        let host = MemoryHost::site(text);
        crate::check_for(Path::new("site.pool"), &host, Some(Target::Operator)).unwrap()
    }

    fn pool(text: &str) -> Pool {
        let checked = checked(text);
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        checked.site.pools.into_iter().next().unwrap()
    }

    /// The source text a span covers.
    fn at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    /// A pool that sets every field the operator has a place for.
    const EVERYTHING: &str = r#"pool "every" {
  replicas = 2
  termination_grace_period = 45s
  labels = { team = "platform" }
  annotations = { note = "x" }
  pod_labels = { tier = "ci" }
  pod_annotations = { "example.com/a" = "b" }
  pod_security_context { fsGroup = 1983 }
  image_pull_secrets = ["regcred"]
  service_account { annotations = { role = "r" } }
  credentials auto {
    space = "root"
    description = "CI"
    drift_detection_runs = 3
  }
  launcher {
    image = "registry.example.com/launcher:1"
    pull_policy = IfNotPresent
    run_timeout = 90s
    default_runner_image = "ghcr.io/acme/runner:1"
    default_ansible_runner_image = "ghcr.io/acme/ansible:1"
    run_initialization_policy = "/policy/init.rego"
  }
  extra_containers = [{ name = "redis", image = "redis:7" }]
  volumes = [{ name = "policy", configMap = { name = "policy" } }]
  storage ephemeral { size = 1Gi }
  node_selector = { "node-pool" = "ci" }
  tolerations = [{ key = "k", operator = "Exists" }]
  affinity { nodeAffinity = {} }
  topology_spread_constraints = [{
    maxSkew = 1, topologyKey = "zone", whenUnsatisfiable = "ScheduleAnyway"
  }]
  worker {
    pull_policy = Always
    resources { requests = { cpu = 1 } }
    security_context { runAsNonRoot = true }
    env = { TF_LOG = "info" }
    env_from = [{ configMapRef = { name = "vars" } }]
    volume_mounts = [{ name = "policy", mountPath = "/policy" }]
  }
  init { resources { requests = { cpu = 500m } } }
  grpc { resources { requests = { cpu = 100m } } }
  binaries_cache volume { nfs = { server = "nfs", path = "/cache" } }
  pod_history {
    keep_successful = 1
    keep_failed = 5
    successful_ttl = 1h
    failed_ttl = 24h
  }
  runtime_class = "gvisor"
  allowed_runner_image_hosts = ["ghcr.io"]
  custom_binaries_path = "/opt/bin"
}
"#;

    fn has_path(json: &Json, path: &[Segment]) -> bool {
        path.iter()
            .try_fold(json, |node, segment| match segment {
                Segment::Field(name) => node.get(name),
                Segment::Index(i) => node.get(i),
            })
            .is_some()
    }

    #[test]
    fn every_mapped_path_is_written_and_every_origin_is_in_the_tree() {
        let pool = pool(EVERYTHING);
        let built = worker_pool(&pool);
        // Auto-registration and a Secret exclude each other.
        let secret = self::pool("pool \"p\" {\n  credentials external \"s\"\n}\n");
        let with_secret = worker_pool(&secret).root;
        for mapping in MAPPING {
            let (OnOperator::At(paths) | OnOperator::Only(paths)) = mapping.on_operator else {
                continue;
            };
            for path in paths {
                let written = [&built.root, &with_secret];
                assert!(
                    written.iter().any(|root| has_path(root, &segments(path))),
                    "{} is not written at {path}",
                    mapping.field
                );
            }
        }
        for container in RUN_CONTAINERS {
            let at = segments(&format!("spec.pod.{}.resources", container.field));
            assert!(has_path(&built.root, &at), "{}", container.block);
        }
        for (path, _) in &built.origins {
            assert!(has_path(&built.root, path), "{path:?}");
        }
        assert!(verify(&pool).is_empty(), "{:#?}", verify(&pool));
    }

    #[test]
    fn settings_go_where_the_operator_reads_them() {
        let built = worker_pool(&pool(EVERYTHING)).root;
        let pod = &built["spec"]["pod"];
        assert_eq!(pod["activeDeadlineSeconds"], 90);
        assert_eq!(
            pod["workerContainer"]["env"][0]["name"],
            "SPACELIFT_LAUNCHER_RUN_TIMEOUT"
        );
        assert_eq!(pod["workerContainer"]["env"][1]["name"], "TF_LOG");
        let init_env = &pod["initContainer"]["env"][0]["name"];
        assert_eq!(init_env, "SPACELIFT_LAUNCHER_RUN_INITIALIZATION_POLICY");
        assert_eq!(pod["defaultRunnerImage"], "ghcr.io/acme/runner:1");
        // The launcher's pull policy, unless the block sets its own.
        assert_eq!(pod["initContainer"]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(
            pod["grpcServerContainer"]["imagePullPolicy"],
            "IfNotPresent"
        );
        assert_eq!(pod["workerContainer"]["imagePullPolicy"], "Always");
        assert_eq!(pod["workspaceVolume"]["name"], facts::WORKSPACE_VOLUME);
        assert_eq!(
            pod["binariesCacheVolume"]["name"],
            facts::BINARIES_CACHE_VOLUME
        );
        assert_eq!(pod["serviceAccountName"], "every");
        assert_eq!(
            built["spec"]["driftDetectionRunLimits"],
            json!({ "maxRuns": 3 })
        );
        assert!(built["spec"].get("token").is_none());
    }

    #[test]
    fn credentials_and_sizes() {
        let inline = "pool \"p\" {\n  replicas = autoscaled\n  credentials external \"s\"\n  \
            service_account external\n}\n";
        let written = objects(&pool(inline));
        assert_eq!(written.len(), 1, "no ServiceAccount for an existing one");
        let spec = &written[0].json["spec"];
        assert!(spec.get("poolSize").is_none());
        assert_eq!(
            spec["token"]["secretKeyRef"],
            json!({ "name": "s", "key": "token" })
        );
        assert_eq!(spec["privateKey"]["secretKeyRef"]["key"], "privateKey");
        assert!(spec.get("pod").is_none());
        let disabled = "pool \"p\" {\n  credentials auto { drift_detection_runs = disabled }\n}\n";
        let written = objects(&pool(disabled));
        let limits = &written[1].json["spec"]["driftDetectionRunLimits"];
        assert_eq!(limits, &json!({ "disabled": true }));
        assert_eq!(written[1].json["spec"]["poolSize"], 1);
    }

    #[test]
    fn fields_newer_than_the_crd_are_reported_where_written() {
        let text = "pool \"p\" {\n  credentials external \"s\"\n  extra_containers = [{\n    \
            name = \"side\", image = \"busybox\",\n    restartPolicyRules = [{ action = \
            \"Restart\", exitCodes = { operator = \"In\", values = [1] } }]\n  }]\n}\n";
        let checked = checked(text);
        let [found] = checked.diagnostics.as_slice() else {
            panic!("{:#?}", checked.diagnostics);
        };
        assert_eq!(found.code, Code::PrunedField);
        assert_eq!(at(text, found.primary.span), "restartPolicyRules");
        assert!(
            found
                .message
                .contains("spec.pod.additionalSidecarContainers[0]")
        );
    }

    #[test]
    fn what_the_api_server_would_refuse_is_reported_where_written() {
        let text = r#"pool "p" {
  credentials external "s"
  volumes = [{ name = "v", emptyDir = {} }]
  extra_containers = [{
    name = "side", image = "busybox",
    ports = [{ containerPort = 80 }, { containerPort = 80 }]
  }]
}
"#;
        let checked = checked(text);
        let [found] = checked.diagnostics.as_slice() else {
            panic!("{:#?}", checked.diagnostics);
        };
        assert_eq!(found.code, Code::CrdViolation);
        assert!(at(text, found.primary.span).starts_with("{ containerPort = 80 }"));
        assert!(found.primary.span.start > text.find("80").unwrap() as u32);
    }
}
