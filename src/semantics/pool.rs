//! What a pool body may contain, as tables: each row names a field, how it
//! is written, the chart value it stands for (docs/language.md has the same
//! mapping for users), and how it is read into the model.

use super::decode::{self, Cx, Extra, FieldSpec, MapKind, Schema, decode_body, require_body};
use super::embedded::embedded;
use super::merge::{MergedBlock, Node};
use super::scope::DefRef;
use super::suggest::{self, suggest};
use super::value::{Field, Str, Value, ValueKind};
use crate::chart::names::release_name;
use crate::diagnostics::{
    ChartProblem, KubeProblem, OperatorProblem, Quoted, ShapeProblem, ValueProblem, one_of,
};
use crate::kube::names;
use crate::kube::validation::{NameRule, Problem};
use crate::model::launcher_settings::{self, CREDENTIAL_VARIABLES, Setting};
use crate::model::*;
use crate::secrets::Secrecy;
use crate::syntax::span::{Span, Spanned};
use k8s_openapi::api::core::v1 as core;
use std::collections::HashMap;
use std::sync::Arc;

/// A pool while it is being read: the model, and what it must still have.
#[derive(Default)]
pub struct Draft {
    pub spec: PoolSpec,
    pub credentials: Option<Spanned<Credentials>>,
}

type F = FieldSpec<Draft>;

pub const POOL: Schema<Draft> = Schema {
    context: "a pool",
    fields: &[&[
        F::attribute("target", |d, v, cx| {
            d.spec.target = decode::keyword(v, &Target::keywords(), cx)
        }),
        F::attribute("workload", |d, v, cx| {
            d.spec.workload = decode::keyword(
                v,
                &[
                    ("deployment", Workload::Deployment),
                    ("statefulset", Workload::StatefulSet),
                ],
                cx,
            )
        }),
        F::attribute("replicas", |d, v, cx| d.spec.replicas = replicas(v, cx)),
        F::attribute("termination_grace_period", |d, v, cx| {
            d.spec.termination_grace_period_seconds = grace_period(v, cx)
        }),
        F::attribute("revision_history_limit", |d, v, cx| {
            d.spec.revision_history_limit =
                decode::integer(v, 0, i32::MAX.into(), "between 0 and 2147483647", cx)
                    .map(|n| Spanned::new(n.value as i32, n.span))
        }),
        F::attribute("name_override", |d, v, cx| {
            d.spec.name_override = chart_name(v, cx)
        }),
        F::attribute("fullname_override", |d, v, cx| {
            d.spec.fullname_override = chart_name(v, cx)
        }),
        F::object("labels", |d, v, cx| {
            d.spec.labels = map(v, MapKind::Labels, cx)
        }),
        F::object("annotations", |d, v, cx| {
            d.spec.annotations = map(v, MapKind::Annotations, cx)
        }),
        F::object("pod_labels", |d, v, cx| {
            d.spec.pod_labels = map(v, MapKind::Labels, cx)
        }),
        F::object("pod_annotations", |d, v, cx| {
            d.spec.pod_annotations = map(v, MapKind::Annotations, cx)
        }),
        F::object("pod_security_context", |d, v, cx| {
            d.spec.pod_security_context = embedded(v, cx)
        }),
        F::attribute("image_pull_secrets", |d, v, cx| {
            d.spec.image_pull_secrets =
                decode::list(v, cx, |v, cx| decode::object_name(v, "Secret", cx))
                    .unwrap_or_default()
        }),
        F::block("service_account", |d, b, cx| {
            d.spec.service_account = service_account(b, cx)
        }),
        F::block("credentials", |d, b, cx| d.credentials = credentials(b, cx)),
        F::block("launcher", |d, b, cx| {
            if let Some(c) = container(b, &LAUNCHER, cx) {
                d.spec.launcher = Launcher {
                    container: c.container,
                    security_context: c.security_context,
                };
            }
        }),
        F::block("dind", |d, b, cx| {
            if let Some(c) = container(b, &DIND, cx) {
                d.spec.dind = Dind {
                    container: c.container,
                };
            }
        }),
        F::attribute("extra_containers", |d, v, cx| {
            d.spec.extra_containers = decode::list(v, cx, embedded).unwrap_or_default()
        }),
        F::attribute("volumes", |d, v, cx| {
            d.spec.volumes = decode::list(v, cx, embedded).unwrap_or_default()
        }),
        F::block("storage", |d, b, cx| {
            d.spec.storage = storage(b, &StorageKind::ALL, cx)
        })
        .when_twice(|span, previous, _| ChartProblem::TwoStorages { span, previous }.into()),
        F::object("node_selector", |d, v, cx| {
            d.spec.node_selector = map(v, MapKind::Labels, cx)
        }),
        F::attribute("tolerations", |d, v, cx| {
            d.spec.tolerations = decode::list(v, cx, embedded).unwrap_or_default()
        }),
        F::object("affinity", |d, v, cx| d.spec.affinity = embedded(v, cx)),
        F::attribute("topology_spread_constraints", |d, v, cx| {
            d.spec.topology_spread_constraints = decode::list(v, cx, embedded).unwrap_or_default()
        }),
        // Operator only (docs/operator.md).
        F::block("worker", |d, b, cx| {
            d.spec.operator.worker = run_container(b, &WORKER, cx)
        }),
        F::block("init", |d, b, cx| {
            d.spec.operator.init = run_container(b, &INIT, cx)
        }),
        F::block("grpc", |d, b, cx| {
            d.spec.operator.grpc = run_container(b, &GRPC, cx)
        }),
        F::block("binaries_cache", |d, b, cx| {
            d.spec.operator.binaries_cache = storage(b, &BINARIES_CACHE_KINDS, cx)
        }),
        F::block("pod_history", |d, b, cx| {
            if let Some(body) = plain_body(b, cx) {
                decode_body(body, &POD_HISTORY, &mut d.spec.operator.pod_history, cx);
            }
        }),
        F::attribute("runtime_class", |d, v, cx| {
            d.spec.operator.runtime_class = decode::object_name(v, "RuntimeClass", cx)
        }),
        F::attribute("allowed_runner_image_hosts", |d, v, cx| {
            d.spec.operator.allowed_runner_image_hosts =
                decode::list(v, cx, image_host).unwrap_or_default()
        }),
        F::attribute("custom_binaries_path", |d, v, cx| {
            d.spec.operator.custom_binaries_path = binaries_path(v, cx)
        }),
    ]],
    extra: None,
    examples: &[
        ("target", "operator"),
        ("runtime_class", "\"gvisor\""),
        ("allowed_runner_image_hosts", "[\"public.ecr.aws\"]"),
        ("custom_binaries_path", "\"/opt/binaries\""),
        ("workload", "statefulset"),
        ("replicas", "4"),
        ("termination_grace_period", "2h"),
        ("revision_history_limit", "3"),
        ("name_override", "\"worker\""),
        ("fullname_override", "\"ci-workers\""),
        ("labels", "{ team = \"platform\" }"),
        ("annotations", "{ \"example.com/owner\" = \"platform\" }"),
        ("pod_labels", "{ team = \"platform\" }"),
        (
            "pod_annotations",
            "{ \"example.com/owner\" = \"platform\" }",
        ),
        ("image_pull_secrets", "[\"regcred\"]"),
        ("node_selector", "{ \"kubernetes.io/os\" = \"linux\" }"),
        (
            "extra_containers",
            "[{ name = \"sidecar\", image = \"busybox\" }]",
        ),
        ("volumes", "[{ name = \"cache\", emptyDir = {} }]"),
        (
            "tolerations",
            "[{ key = \"dedicated\", operator = \"Equal\", value = \"ci\" }]",
        ),
        (
            "topology_spread_constraints",
            "[{ maxSkew = 1, topologyKey = \"topology.kubernetes.io/zone\", whenUnsatisfiable = \
            \"ScheduleAnyway\" }]",
        ),
    ],
};

fn map(value: &Value, kind: MapKind, cx: &mut Cx) -> StringMap {
    decode::string_map(value, kind, cx).unwrap_or_default()
}

fn replicas(value: &Value, cx: &mut Cx) -> Option<Spanned<Replicas>> {
    match &value.kind {
        ValueKind::Number(_) => {
            let n = decode::integer_value(value, "a whole number or `autoscaled`", cx)?;
            if !(0..=i64::from(i32::MAX)).contains(&n) {
                cx.report(ShapeProblem::OutOfRange {
                    span: value.span,
                    range: "between 0 and 2147483647",
                    help: (n < 0).then_some(
                        "to leave the number of workers to an autoscaler, write \
                        `replicas = autoscaled`",
                    ),
                });
                return None;
            }
            Some(Spanned::new(Replicas::Fixed(n as i32), value.span))
        }
        // A bare word is `autoscaled` or a misspelling of it; any other word
        // is a wrong type, not an unknown keyword.
        ValueKind::Keyword(word)
            if word == "autoscaled" || suggest(word, ["autoscaled"]).is_some() =>
        {
            decode::keyword(value, &[("autoscaled", Replicas::Autoscaled)], cx)
        }
        _ => {
            cx.mismatch(value, "a whole number or `autoscaled`");
            None
        }
    }
}

fn grace_period(value: &Value, cx: &mut Cx) -> Option<Spanned<i64>> {
    let duration = decode::duration(value, cx)?;
    match duration.whole_seconds() {
        Some(seconds) => Some(Spanned::new(seconds, duration.span)),
        None => {
            cx.report(ValueProblem::NotWholeSeconds { span: value.span });
            None
        }
    }
}

/// `name_override` and `fullname_override` become parts of object names;
/// the chart cuts them to 63 characters, so only the characters are checked.
fn chart_name(value: &Value, cx: &mut Cx) -> Option<Spanned<String>> {
    let name = decode::string(value, cx)?;
    match names::dns_label(&name, usize::MAX) {
        Ok(()) => Some(name),
        Err(reason) => {
            cx.report(ValueProblem::BadObjectName {
                span: value.span,
                what: "chart",
                reason: Quoted::value(reason, value.secrecy),
            });
            None
        }
    }
}

// ---- launcher and dind ----------------------------------------------------------

/// A launcher or dind block while it is read.
#[derive(Default)]
struct ContainerDraft {
    container: ContainerSpec,
    security_context: Option<Embedded<core::SecurityContext>>,
    /// The block's schema context ("the launcher block", ...): only the
    /// launcher's env may pass the credentials on.
    context: &'static str,
}

type C = FieldSpec<ContainerDraft>;

const IMAGE_FIELD: &[C] = &[C::attribute("image", |c, v, cx| {
    c.container.image = decode::image(v, cx)
})];

const SECURITY_CONTEXT_FIELD: &[C] = &[C::object("security_context", |c, v, cx| {
    c.security_context = embedded(v, cx)
})];

const CONTAINER_FIELDS: &[C] = &[
    C::attribute("pull_policy", |c, v, cx| {
        c.container.pull_policy = decode::keyword(v, &PullPolicy::keywords(), cx)
    }),
    C::object("resources", |c, v, cx| {
        c.container.resources = embedded(v, cx)
    }),
    C::attribute("env", env).holds_credentials(),
    C::attribute("env_from", |c, v, cx| {
        c.container.env_from = decode::list(v, cx, embedded).unwrap_or_default()
    }),
    C::attribute("volume_mounts", |c, v, cx| {
        c.container.volume_mounts = decode::list(v, cx, embedded).unwrap_or_default()
    }),
];

/// Examples of the fields the launcher and dind blocks share.
const CONTAINER_EXAMPLES: &[(&str, &str)] = &[
    ("image", "\"public.ecr.aws/spacelift/launcher:latest\""),
    ("pull_policy", "IfNotPresent"),
    (
        "env",
        "[{ name = \"HTTP_PROXY\", value = \"http://proxy:3128\" }]",
    ),
    (
        "env_from",
        "[{ secretRef = { name = \"aws-credentials\" } }]",
    ),
    (
        "volume_mounts",
        "[{ name = \"cache\", mountPath = \"/cache\" }]",
    ),
];

const LAUNCHER: Schema<ContainerDraft> = Schema {
    context: "the launcher block",
    fields: &[IMAGE_FIELD, CONTAINER_FIELDS, SECURITY_CONTEXT_FIELD],
    extra: Some(Extra {
        accepts: |name| launcher_settings::by_name(name).is_some(),
        example: |name| launcher_settings::by_name(name).map(|s| s.kind.example()),
        names: || launcher_settings::SETTINGS.iter().map(|s| s.name).collect(),
        apply: setting,
    }),
    examples: CONTAINER_EXAMPLES,
};

const DIND: Schema<ContainerDraft> = Schema {
    context: "the dind block",
    fields: &[IMAGE_FIELD, CONTAINER_FIELDS],
    extra: None,
    examples: CONTAINER_EXAMPLES,
};

/// The operator's built-in containers take no image: the backend chooses
/// the launcher's, the stack the runner's.
const fn run_container_schema(context: &'static str) -> Schema<ContainerDraft> {
    Schema {
        context,
        fields: &[CONTAINER_FIELDS, SECURITY_CONTEXT_FIELD],
        extra: None,
        examples: CONTAINER_EXAMPLES,
    }
}

const WORKER: Schema<ContainerDraft> = run_container_schema("the worker block");
const INIT: Schema<ContainerDraft> = run_container_schema("the init block");
const GRPC: Schema<ContainerDraft> = run_container_schema("the grpc block");

fn run_container(
    block: &MergedBlock,
    schema: &Schema<ContainerDraft>,
    cx: &mut Cx,
) -> RunContainer {
    container(block, schema, cx).map_or_else(RunContainer::default, |c| RunContainer {
        container: c.container,
        security_context: c.security_context,
    })
}

const POD_HISTORY: Schema<PodHistory> = Schema {
    context: "pod_history",
    fields: &[&[
        FieldSpec::attribute("keep_successful", |h, v, cx| {
            h.keep_successful = pod_count(v, cx)
        }),
        FieldSpec::attribute("keep_failed", |h, v, cx| h.keep_failed = pod_count(v, cx)),
        FieldSpec::attribute("successful_ttl", |h, v, cx| {
            h.successful_ttl = decode::duration(v, cx)
        }),
        FieldSpec::attribute("failed_ttl", |h, v, cx| {
            h.failed_ttl = decode::duration(v, cx)
        }),
    ]],
    extra: None,
    examples: &[
        ("keep_successful", "5"),
        ("keep_failed", "10"),
        ("successful_ttl", "1h"),
        ("failed_ttl", "24h"),
    ],
};

fn pod_count(value: &Value, cx: &mut Cx) -> Option<Spanned<i32>> {
    decode::integer(value, 0, i32::MAX.into(), "between 0 and 2147483647", cx)
        .map(|n| Spanned::new(n.value as i32, n.span))
}

/// A registry host runner images may come from: `ghcr.io`,
/// `registry.example.com:5000`.
fn image_host(value: &Value, cx: &mut Cx) -> Option<Spanned<String>> {
    let host = decode::string(value, cx)?;
    let problem = if host.value.is_empty() {
        Some("the host is empty")
    } else if host.value.contains("://") {
        Some("image references have no scheme: write the host alone, e.g. `ghcr.io`")
    } else if host.value.contains(char::is_whitespace) {
        Some("a host has no whitespace")
    } else {
        None
    };
    match problem {
        Some(reason) => {
            cx.report(OperatorProblem::BadValue {
                span: host.span,
                field: "allowed_runner_image_hosts",
                reason,
            });
            None
        }
        None => Some(host),
    }
}

/// Directories put ahead of the worker's PATH: absolute, `:`-separated.
fn binaries_path(value: &Value, cx: &mut Cx) -> Option<Spanned<String>> {
    let path = decode::string(value, cx)?;
    if path.value.split(':').any(|dir| !dir.starts_with('/')) {
        cx.report(OperatorProblem::BadValue {
            span: path.span,
            field: "custom_binaries_path",
            reason: "every directory must be an absolute path",
        });
        return None;
    }
    Some(path)
}

/// A block without labels, with a body.
fn plain_body<'b, 'a>(block: &'b MergedBlock<'a>, cx: &mut Cx) -> Option<&'b [Node<'a>]> {
    if let Some(label) = block.block.labels.first() {
        let kind = &block.block.kind;
        let block = cx.written(&kind.name, kind.span);
        cx.report(ShapeProblem::BadBlockLabels {
            span: label.span,
            block,
            expected: Quoted::fixed("no labels"),
        });
        return None;
    }
    require_body(block, "a body `{ ... }`", cx)
}

fn container(
    block: &MergedBlock,
    schema: &Schema<ContainerDraft>,
    cx: &mut Cx,
) -> Option<ContainerDraft> {
    let body = plain_body(block, cx)?;
    let mut draft = ContainerDraft {
        context: schema.context,
        ..ContainerDraft::default()
    };
    decode_body(body, schema, &mut draft, cx);
    // Entries are pushed one by one; the model keeps them for the whole
    // build.
    draft.container.env.shrink_to_fit();
    Some(draft)
}

/// `env = [{ name = ..., value = ... }, ...]` (Kubernetes EnvVars) or
/// `env = { NAME = "value", ... }`. Entries join the typed settings in the
/// order written. Only the launcher's credential variables may hold a
/// pool's credential.
fn env(c: &mut ContainerDraft, value: &Value, cx: &mut Cx) {
    let context = c.context;
    let launcher = context == LAUNCHER.context;
    let passes_credentials = |name: &str| launcher && CREDENTIAL_VARIABLES.contains(&name);
    match &value.kind {
        ValueKind::List(items) => {
            for item in items {
                let name = item.field("name").and_then(|f| match &f.value.kind {
                    ValueKind::Str(s) => Some(s.text.as_str()),
                    _ => None,
                });
                if !name.is_some_and(passes_credentials) && !cx.no_credential(item, "env", context)
                {
                    continue;
                }
                if let Some(var) = embedded::<core::EnvVar>(item, cx) {
                    let secrecy =
                        |key: &str| item.field(key).map_or(Secrecy::Public, |f| f.value.secrecy);
                    let span = item.field("name").map_or(item.span, |f| f.value.span);
                    c.container.env.push(EnvEntry {
                        var: Arc::unwrap_or_clone(var.object),
                        span,
                        setting: None,
                        name_secrecy: secrecy("name"),
                        value_secrecy: secrecy("value"),
                    });
                }
            }
        }
        ValueKind::Object(fields) => {
            for field in fields {
                if let Err(reason) = names::env_name(&field.key) {
                    // A key is checked where it was written.
                    let secrecy = cx.eval.secrets.secrecy_at(field.key_span);
                    cx.report(KubeProblem::Rule {
                        span: field.key_span,
                        problem: Problem::Name {
                            what: "variable",
                            name: field.key.clone(),
                            rule: NameRule::EnvVar,
                            reason,
                        },
                        secrecy,
                        suggestion: None,
                        related: None,
                    });
                    continue;
                }
                if !passes_credentials(&field.key)
                    && !cx.no_credential(&field.value, "env", context)
                {
                    continue;
                }
                if let Some(text) = decode::string(&field.value, cx) {
                    let var = core::EnvVar {
                        name: field.key.clone(),
                        value: Some(text.value),
                        value_from: None,
                    };
                    c.container.env.push(EnvEntry {
                        var,
                        span: field.key_span,
                        setting: None,
                        name_secrecy: cx.eval.secrets.secrecy_at(field.key_span),
                        value_secrecy: field.value.secrecy,
                    });
                }
            }
        }
        _ => cx.mismatch(
            value,
            "a list of env entries, or an object of NAME = \"value\"",
        ),
    }
}

/// A typed launcher setting (`run_timeout = 120m`), read by its kind and
/// checked as the launcher will read it.
fn setting(c: &mut ContainerDraft, name: &str, value: &Value, cx: &mut Cx) {
    let Some(setting) = launcher_settings::by_name(name) else {
        return;
    };
    let Some(text) = setting_text(setting, value, cx) else {
        return;
    };
    if let Err(reason) = setting.kind.check(&text) {
        cx.report(ValueProblem::BadSettingValue {
            span: value.span,
            variable: setting.variable,
            reason: Quoted::value(reason, value.secrecy),
        });
        return;
    }
    let var = core::EnvVar {
        name: setting.variable.to_string(),
        value: Some(text),
        value_from: None,
    };
    c.container.env.push(EnvEntry {
        var,
        span: value.span,
        setting: Some(setting),
        name_secrecy: Secrecy::Public,
        value_secrecy: value.secrecy,
    });
}

/// A setting's value as the variable's text.
fn setting_text(setting: &Setting, value: &Value, cx: &mut Cx) -> Option<String> {
    use launcher_settings::SettingKind::*;
    let scalar = |value: &Value, cx: &mut Cx| -> Option<String> {
        match (&value.kind, setting.kind) {
            (ValueKind::Bool(b), Bool) => Some(b.to_string()),
            (ValueKind::Number(text), Duration) => Some(text.clone()),
            (
                ValueKind::Str(s),
                Path | Text | Image | Duration | Names | PrefixedNames | Mounts,
            ) => Some(s.text.clone()),
            _ => {
                cx.mismatch(value, setting.kind.expected());
                None
            }
        }
    };
    if !setting.kind.is_list() {
        return scalar(value, cx);
    }
    let items = decode::list(value, cx, |v, cx| scalar(v, cx))?;
    Some(items.join(","))
}

// ---- credentials and service account ---------------------------------------------

#[derive(Default)]
struct InlineCredentials {
    token: Option<Spanned<Secret>>,
    private_key: Option<Spanned<Secret>>,
}

type CredentialField = FieldSpec<InlineCredentials>;

const CREDENTIALS: Schema<InlineCredentials> = Schema {
    context: "credentials",
    fields: &[&[
        CredentialField::attribute("token", |c, v, cx| c.token = secret(v, cx)).holds_credentials(),
        CredentialField::attribute("private_key", |c, v, cx| c.private_key = secret(v, cx))
            .holds_credentials(),
    ]],
    extra: None,
    examples: &[
        ("token", "env(\"SPACELIFT_TOKEN\")"),
        ("private_key", "base64(file(\"pool.pem\"))"),
    ],
};

fn secret(value: &Value, cx: &mut Cx) -> Option<Spanned<Secret>> {
    let text = decode::string(value, cx)?;
    let written = written_at(value, cx);
    Some(Spanned::new(
        Secret {
            text: text.value,
            written,
        },
        text.span,
    ))
}

/// Where a string value was written, from the source text at its origin.
fn written_at(value: &Value, cx: &Cx) -> Written {
    let origin = value.origin;
    let file = cx.eval.sources.get(origin.file);
    let source = file
        .text
        .get(origin.start as usize..origin.end as usize)
        .unwrap_or_default();
    let function = source
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .next()
        .unwrap_or_default();
    let call = source[function.len()..].trim_start().starts_with('(');
    match (function, call) {
        _ if source.starts_with("<<") => Written::Heredoc(origin),
        _ if source.starts_with('"') && !source.contains("${") => Written::Literal(origin),
        ("file", true) => Written::File,
        ("env", true) => Written::Env,
        _ => Written::Computed,
    }
}

const CREDENTIALS_FORMS: &str = "a body `{ token = ..., private_key = ... }`, `external` with an \
    optional Secret name, or `auto` with an optional body (operator only)";

const AUTO_REGISTRATION: Schema<AutoRegistration> = Schema {
    context: "credentials auto",
    fields: &[&[
        FieldSpec::attribute("space", |a, v, cx| a.space = decode::string(v, cx)),
        FieldSpec::attribute("description", |a, v, cx| {
            a.description = decode::string(v, cx)
        }),
        FieldSpec::attribute("drift_detection_runs", |a, v, cx| {
            a.drift_detection_runs = drift_detection_runs(v, cx)
        }),
    ]],
    extra: None,
    examples: &[
        ("space", "\"root\""),
        ("description", "\"CI workers\""),
        ("drift_detection_runs", "5"),
    ],
};

/// A number of runs, or `disabled`: the CRD's `maxRuns` xor `disabled`.
fn drift_detection_runs(value: &Value, cx: &mut Cx) -> Option<Spanned<DriftDetectionRuns>> {
    match &value.kind {
        ValueKind::Number(_) => {
            decode::integer(value, 0, i32::MAX.into(), "between 0 and 2147483647", cx)
                .map(|n| Spanned::new(DriftDetectionRuns::AtMost(n.value as i32), n.span))
        }
        ValueKind::Keyword(word) if word == "disabled" || suggest(word, ["disabled"]).is_some() => {
            decode::keyword(value, &[("disabled", DriftDetectionRuns::Disabled)], cx)
        }
        _ => {
            cx.mismatch(value, "a whole number or `disabled`");
            None
        }
    }
}

/// `auto` as a block's only label.
fn is_auto(block: &MergedBlock) -> bool {
    matches!(block.block.labels.as_slice(), [auto] if auto.value == "auto" && !auto.quoted)
}

/// A block's kind and labels, where a problem with the whole block is shown.
fn header(block: &MergedBlock) -> Span {
    let kind = block.block.kind.span;
    block.block.labels.last().map_or(kind, |l| kind.to(l.span))
}

/// `credentials { token = ..., private_key = ... }`,
/// `credentials external "SECRET"`, `credentials external` or
/// `credentials auto [{ ... }]`.
fn credentials(block: &MergedBlock, cx: &mut Cx) -> Option<Spanned<Credentials>> {
    let span = header(block);
    let credentials = match (external_labels(block), &block.body) {
        (None, body) if is_auto(block) => {
            let mut registration = AutoRegistration::default();
            if let Some(body) = body {
                decode_body(body, &AUTO_REGISTRATION, &mut registration, cx);
            }
            Credentials::AutoRegistered(registration)
        }
        (Some(None), None) => Credentials::External,
        (Some(Some(name)), None) => Credentials::ExistingSecret {
            name: secret_name(name, cx)?,
        },
        (None, Some(body)) if block.block.labels.is_empty() => {
            let mut inline = InlineCredentials::default();
            decode_body(body, &CREDENTIALS, &mut inline, cx);
            let token = required(inline.token, "token", body, span, cx);
            let private_key = required(inline.private_key, "private_key", body, span, cx);
            Credentials::Inline {
                token: token?,
                private_key: private_key?,
            }
        }
        _ => {
            cx.report(ShapeProblem::BadBlockLabels {
                span,
                block: Quoted::fixed("credentials"),
                expected: Quoted::fixed(CREDENTIALS_FORMS),
            });
            return None;
        }
    };
    Some(Spanned::new(credentials, span))
}

/// A field that must be written; one that was written but failed to read,
/// or was misspelt (and reported with this name as its fix), has been
/// reported already.
fn required<T>(
    value: Option<T>,
    name: &'static str,
    body: &[Node],
    span: Span,
    cx: &mut Cx,
) -> Option<T> {
    if value.is_none() && !is_written(body, name, &CREDENTIALS) {
        cx.report(ShapeProblem::MissingAttribute {
            span,
            name,
            context: "credentials",
        });
    }
    value
}

/// Whether the field `name` is written in `body`, or misspelt there (an
/// unknown field whose suggestion is `name`).
fn is_written<T>(body: &[Node], name: &str, schema: &Schema<T>) -> bool {
    body.iter().any(|node| {
        let key = node.key().name.as_str();
        key == name || !schema.knows(key) && suggest(key, schema.names()).as_deref() == Some(name)
    })
}

/// `external` or `external "NAME"` as a block's labels: `Some(name)`.
fn external_labels<'a>(block: &'a MergedBlock) -> Option<Option<&'a crate::syntax::ast::Label>> {
    match block.block.labels.as_slice() {
        [external] if external.value == "external" && !external.quoted => Some(None),
        [external, name] if external.value == "external" && !external.quoted && name.quoted => {
            Some(Some(name))
        }
        _ => None,
    }
}

fn secret_name(label: &crate::syntax::ast::Label, cx: &mut Cx) -> Option<Spanned<String>> {
    match names::dns_subdomain(&label.value) {
        Ok(()) => Some(Spanned::new(label.value.clone(), label.span)),
        Err(reason) => {
            let reason = cx.written(&reason, label.span);
            cx.report(ValueProblem::BadObjectName {
                span: label.span,
                what: "Secret",
                reason,
            });
            None
        }
    }
}

#[derive(Default)]
struct AccountDraft {
    name: Option<Spanned<String>>,
    annotations: StringMap,
}

const SERVICE_ACCOUNT: Schema<AccountDraft> = Schema {
    context: "service_account",
    fields: &[&[
        FieldSpec::attribute("name", |a, v, cx| {
            a.name = decode::object_name(v, "ServiceAccount", cx)
        }),
        FieldSpec::object("annotations", |a, v, cx| {
            a.annotations = map(v, MapKind::Annotations, cx)
        }),
    ]],
    extra: None,
    examples: &[
        ("name", "\"spacelift-irsa\""),
        (
            "annotations",
            "{ \"eks.amazonaws.com/role-arn\" = \"arn:aws:iam::123456789012:role/worker\" }",
        ),
    ],
};

/// `service_account { name = ..., annotations = {...} }` creates one;
/// `service_account external ["NAME"]` uses an existing one.
fn service_account(block: &MergedBlock, cx: &mut Cx) -> Option<Spanned<ServiceAccount>> {
    let span = header(block);
    let account = match (external_labels(block), &block.body) {
        (Some(None), None) => ServiceAccount::Existing { name: None },
        (Some(Some(label)), None) => {
            let name = match names::dns_subdomain(&label.value) {
                Ok(()) => Spanned::new(label.value.clone(), label.span),
                Err(reason) => {
                    let reason = cx.written(&reason, label.span);
                    cx.report(ValueProblem::BadObjectName {
                        span: label.span,
                        what: "ServiceAccount",
                        reason,
                    });
                    return None;
                }
            };
            ServiceAccount::Existing { name: Some(name) }
        }
        (None, Some(body)) if block.block.labels.is_empty() => {
            let mut draft = AccountDraft::default();
            decode_body(body, &SERVICE_ACCOUNT, &mut draft, cx);
            ServiceAccount::Create {
                name: draft.name,
                annotations: draft.annotations,
            }
        }
        _ => {
            cx.report(ShapeProblem::BadBlockLabels {
                span,
                block: Quoted::fixed("service_account"),
                expected: Quoted::fixed(
                    "a body `{ name = ..., annotations = ... }`, or `external` with an \
                    optional account name",
                ),
            });
            return None;
        }
    };
    Some(Spanned::new(account, span))
}

// ---- storage -------------------------------------------------------------------------

/// The kinds a `binaries_cache` takes: any volume, but no claim template.
pub(crate) const BINARIES_CACHE_KINDS: [StorageKind; 4] = [
    StorageKind::EmptyDir,
    StorageKind::HostPath,
    StorageKind::Ephemeral,
    StorageKind::Volume,
];

/// `storage KIND { ... }` (or `binaries_cache KIND { ... }`): a volume
/// source for `launcher-storage`, or a per-pod claim template (`claim`,
/// StatefulSet only), of one of `kinds`.
fn storage(block: &MergedBlock, kinds: &[StorageKind], cx: &mut Cx) -> Option<Spanned<Storage>> {
    let span = header(block);
    let keywords: Vec<&str> = kinds.iter().map(|k| k.keyword()).collect();
    let [label] = block.block.labels.as_slice() else {
        cx.report(ShapeProblem::BadBlockLabels {
            span,
            block: cx.written(&block.block.kind.name, block.block.kind.span),
            expected: Quoted::public(format!("one kind: {}", one_of(&keywords))),
        });
        return None;
    };
    let Some(kind) = StorageKind::parse(&label.value).filter(|k| kinds.contains(k)) else {
        let value = cx.written(&label.value, label.span);
        cx.report(ShapeProblem::UnknownKeyword {
            span: label.span,
            value,
            suggestion: super::suggest::suggest(&label.value, keywords.iter().copied())
                .map(Quoted::public),
            expected: keywords,
        });
        return None;
    };
    let body = match &block.body {
        Some(nodes) => cx.body_object(nodes, block.block.body.as_ref().map_or(span, |b| b.span))?,
        None if kind == StorageKind::EmptyDir => Value::new(ValueKind::Object(Vec::new()), span),
        None => {
            require_body(block, "a body `{ ... }`", cx);
            return None;
        }
    };
    if !cx.no_credential(&body, "storage", "a pool") {
        return None;
    }
    let storage = match kind {
        StorageKind::Claim => {
            let spec = claim_spec(body, span, kind, cx)?;
            Storage::Claim(Box::new(embedded(&spec, cx)?))
        }
        StorageKind::Ephemeral => {
            let spec = claim_spec(body, span, kind, cx)?;
            let template = object(vec![field("spec", spec)], span);
            volume(
                vec![field(
                    "ephemeral",
                    object(vec![field("volumeClaimTemplate", template)], span),
                )],
                span,
                cx,
            )?
        }
        StorageKind::EmptyDir | StorageKind::HostPath => {
            let source = kind.volume_source().unwrap_or_default();
            volume(vec![field(source, body)], span, cx)?
        }
        StorageKind::Volume => {
            if let Some(name) = body.field("name") {
                cx.report(KubeProblem::UnknownField {
                    span: name.key_span,
                    field: Quoted::fixed("name"),
                    object: Quoted::fixed("storage volume (its name is launcher-storage)"),
                    suggestion: None,
                });
                return None;
            }
            let ValueKind::Object(fields) = body.kind else {
                return None;
            };
            volume(fields, span, cx)?
        }
    };
    Some(Spanned::new(storage, span))
}

/// A volume for `launcher-storage`, the chart's name for it.
fn volume(mut fields: Vec<Field>, span: Span, cx: &mut Cx) -> Option<Storage> {
    fields.insert(
        0,
        field(
            "name",
            Value::new(
                ValueKind::Str(Str::public(crate::chart::STORAGE_VOLUME)),
                span,
            ),
        ),
    );
    embedded(&object(fields, span), cx).map(|v| Storage::Volume(Box::new(v)))
}

/// A claim spec from a storage body: Kubernetes' PersistentVolumeClaimSpec
/// fields, plus `class` (storageClassName) and `size`
/// (resources.requests.storage); accessModes defaults to ReadWriteOnce.
/// A claim needs a size (`header` is where the block is reported).
fn claim_spec(body: Value, header: Span, kind: StorageKind, cx: &mut Cx) -> Option<Value> {
    let span = body.span;
    let ValueKind::Object(fields) = body.kind else {
        return None;
    };
    let mut spec: Vec<Field> = Vec::new();
    // The keys written so far (a linear-time duplicate check).
    let mut keys: HashMap<String, Span> = HashMap::new();
    let mut ok = true;
    for f in fields {
        if let Some(shorthand) = suggest::near(&f.key, STORAGE_NEAR_NAMES) {
            let field = cx.written(&f.key, f.key_span);
            cx.report(KubeProblem::UnknownField {
                span: f.key_span,
                field,
                object: Quoted::public(format!("storage {}", kind.keyword())),
                suggestion: Some(Quoted::fixed(shorthand)),
            });
            ok = false;
            continue;
        }
        let (key, value) = match f.key.as_str() {
            "class" => ("storageClassName".to_string(), f.value),
            "size" => {
                let storage = object(
                    vec![Field {
                        key: "storage".into(),
                        key_span: f.key_span,
                        value: f.value,
                    }],
                    f.key_span,
                );
                (
                    "resources".to_string(),
                    object(
                        vec![Field {
                            key: "requests".into(),
                            key_span: f.key_span,
                            value: storage,
                        }],
                        f.key_span,
                    ),
                )
            }
            _ => (f.key.clone(), f.value),
        };
        if let Some(&previous) = keys.get(&key) {
            let name = cx.written(&key, f.key_span);
            cx.report(ShapeProblem::DuplicateEntry {
                span: f.key_span,
                previous,
                name,
            });
            ok = false;
            continue;
        }
        keys.insert(key.clone(), f.key_span);
        spec.push(Field {
            key,
            key_span: f.key_span,
            value,
        });
    }
    if !keys.contains_key("accessModes") {
        let mode = Value::new(ValueKind::Str(Str::public("ReadWriteOnce")), span);
        spec.insert(
            0,
            field("accessModes", Value::new(ValueKind::List(vec![mode]), span)),
        );
    }
    if !spec.iter().any(sized) {
        cx.report(ChartProblem::StorageWithoutSize {
            span: header,
            kind: kind.keyword(),
        });
        return None;
    }
    ok.then(|| object(spec, span))
}

/// Names written for the claim shorthands that edit distance does not find.
const STORAGE_NEAR_NAMES: &[(&str, &str)] = &[
    ("storageclass", "class"),
    ("storage_class_name", "class"),
    ("capacity", "size"),
    ("storage", "size"),
    ("volume_size", "size"),
];

/// Whether a claim spec's field gives it a size, or is written in a way
/// the Kubernetes check will report (so that no size is not reported too).
fn sized(field: &Field) -> bool {
    if field.key != "resources" {
        return false;
    }
    let Some(requests) = field.value.field("requests") else {
        return field.value.fields().is_none();
    };
    requests.value.fields().is_none() || requests.value.field("storage").is_some()
}

fn field(key: &str, value: Value) -> Field {
    Field {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

fn object(fields: Vec<Field>, span: Span) -> Value {
    Value::new(ValueKind::Object(fields), span)
}

// ---- pools and templates -------------------------------------------------------

/// Reads a pool: its effective body (templates merged), through the
/// pool schema, for its target (`target`, when given, overrides what the
/// pool says), and reports what that target cannot do. `None` when it
/// cannot be built at all.
pub fn decode<'p>(
    definition: DefRef<'p>,
    chain: &[DefRef<'p>],
    target: Option<Target>,
    cx: &mut Cx,
) -> Option<Pool> {
    let nodes = super::merge::effective_body(chain);
    let mut draft = Draft::default();
    decode_body(&nodes, &POOL, &mut draft, cx);
    let name = &definition.def.name;
    let Some(credentials) = draft.credentials else {
        // Credentials that were written but did not read, or were
        // misspelt, are reported already.
        if !is_written(&nodes, "credentials", &POOL) {
            cx.report(ChartProblem::MissingCredentials {
                span: name.span,
                pool: Quoted::public(&name.value),
            });
        }
        return None;
    };
    let pool = Pool {
        name: Spanned::new(name.value.clone(), name.span),
        credentials,
        target: target.unwrap_or(
            draft
                .spec
                .target
                .as_ref()
                .map(|t| t.value)
                .unwrap_or_default(),
        ),
        spec: Box::new(draft.spec),
        origin: String::new(),
    };
    super::targets::check(&pool, &nodes, target.is_some(), cx.diagnostics);
    Some(pool)
}

/// A pool's name is its Helm release name.
pub fn check_name(definition: DefRef, diagnostics: &mut crate::diagnostics::Diagnostics) {
    let name = &definition.def.name;
    if let Err(reason) = release_name(&name.value) {
        diagnostics.push(ValueProblem::BadPoolName {
            span: name.span,
            name: Quoted::public(&name.value),
            reason: Quoted::public(reason),
        });
    }
}

/// Reads a template no pool extends, so its mistakes are still found; a
/// template need not be a complete pool.
pub fn decode_template(chain: &[DefRef], cx: &mut Cx) {
    let nodes = super::merge::effective_body(chain);
    decode_body(&nodes, &POOL, &mut Draft::default(), cx);
}

/// The fields of each kind of body, by the body's kind (`""` for a pool or
/// a template, `credentials auto` for that form of credentials): their
/// names and how each is written, the launcher's settings last. The
/// editor completes and documents them.
pub(crate) fn fields_of(body: &str) -> Vec<(&'static str, decode::Shape)> {
    fn listed<T>(schema: &Schema<T>) -> Vec<(&'static str, decode::Shape)> {
        let extra = schema
            .extra
            .as_ref()
            .map(|e| (e.names)())
            .unwrap_or_default();
        schema
            .fields
            .iter()
            .flat_map(|f| f.iter())
            .map(|f| (f.name, f.shape))
            .chain(
                extra
                    .into_iter()
                    .map(|name| (name, decode::Shape::Attribute)),
            )
            .collect()
    }
    match body {
        "" => listed(&POOL),
        "launcher" => listed(&LAUNCHER),
        "dind" => listed(&DIND),
        "credentials" => listed(&CREDENTIALS),
        "credentials auto" => listed(&AUTO_REGISTRATION),
        "service_account" => listed(&SERVICE_ACCOUNT),
        "worker" => listed(&WORKER),
        "init" => listed(&INIT),
        "grpc" => listed(&GRPC),
        "pod_history" => listed(&POD_HISTORY),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::{MAPPING, values_of};

    fn listed<T>(schema: &Schema<T>) -> impl Iterator<Item = &'static str> {
        schema.fields.iter().flat_map(|f| f.iter()).map(|f| f.name)
    }

    /// The schemas here and the chart's and the operator's mappings name
    /// the same fields: each field has chart values or is operator-only,
    /// and each has a fate on the operator.
    #[test]
    fn every_field_has_chart_values_and_every_mapping_a_field() {
        use crate::operator::fields::{self as operator, OnOperator};
        let mut fields: Vec<String> = listed(&POOL).map(String::from).collect();
        let blocks: [(&str, Vec<&str>); 10] = [
            ("launcher", listed(&LAUNCHER).collect()),
            ("dind", listed(&DIND).collect()),
            ("credentials", listed(&CREDENTIALS).collect()),
            ("credentials", listed(&AUTO_REGISTRATION).collect()),
            ("service_account", listed(&SERVICE_ACCOUNT).collect()),
            ("worker", listed(&WORKER).collect()),
            ("init", listed(&INIT).collect()),
            ("grpc", listed(&GRPC).collect()),
            ("pod_history", listed(&POD_HISTORY).collect()),
            ("binaries_cache", Vec::new()),
        ];
        for (block, names) in blocks {
            fields.extend(names.into_iter().map(|f| format!("{block}.{f}")));
        }
        for field in &fields {
            let on_operator = operator::on_operator(field);
            let operator_only =
                matches!(on_operator, Some(OnOperator::Only(_) | OnOperator::Target));
            assert!(
                !values_of(field).is_empty() || operator_only,
                "{field} has no chart values and is not operator-only"
            );
            assert!(on_operator.is_some(), "{field} has no fate on the operator");
        }
        for mapping in MAPPING {
            assert!(
                fields.iter().any(|f| f == mapping.field),
                "{} is not a pool field",
                mapping.field
            );
        }
        for mapping in operator::MAPPING {
            assert!(
                fields.iter().any(|f| f == mapping.field),
                "{} is not a pool field",
                mapping.field
            );
        }
    }
}
