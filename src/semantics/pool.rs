//! What a pool body may contain, as tables: each row names a field, how it
//! is written, the chart value it stands for (docs/language.md has the same
//! mapping for users), and how it is read into the model.

use super::decode::{self, Cx, Extra, FieldSpec, MapKind, Schema, decode_body, require_body};
use super::embedded::embedded;
use super::merge::{MergedBlock, Node};
use super::scope::DefRef;
use super::suggest::suggest;
use super::value::{Field, Str, Value, ValueKind};
use crate::chart::names::release_name;
use crate::diagnostics::{ChartProblem, KubeProblem, ShapeProblem, ValueProblem, one_of};
use crate::kube::names;
use crate::model::launcher_settings::{self, Setting};
use crate::model::*;
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
        F::block("storage", |d, b, cx| d.spec.storage = storage(b, cx))
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
    ]],
    extra: None,
};

fn map(value: &Value, kind: MapKind, cx: &mut Cx) -> StringMap {
    decode::string_map(value, kind, cx).unwrap_or_default()
}

fn replicas(value: &Value, cx: &mut Cx) -> Option<Spanned<Replicas>> {
    match &value.kind {
        ValueKind::Number(_) => {
            decode::integer(value, 0, i32::MAX.into(), "between 0 and 2147483647", cx)
                .map(|n| Spanned::new(Replicas::Fixed(n.value as i32), n.span))
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
                reason,
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
}

type C = FieldSpec<ContainerDraft>;

const CONTAINER_FIELDS: &[C] = &[
    C::attribute("image", |c, v, cx| c.container.image = decode::image(v, cx)),
    C::attribute("pull_policy", |c, v, cx| {
        c.container.pull_policy = decode::keyword(v, &PullPolicy::keywords(), cx)
    }),
    C::object("resources", |c, v, cx| {
        c.container.resources = embedded(v, cx)
    }),
    C::attribute("env", env),
    C::attribute("env_from", |c, v, cx| {
        c.container.env_from = decode::list(v, cx, embedded).unwrap_or_default()
    }),
    C::attribute("volume_mounts", |c, v, cx| {
        c.container.volume_mounts = decode::list(v, cx, embedded).unwrap_or_default()
    }),
];

const LAUNCHER: Schema<ContainerDraft> = Schema {
    context: "the launcher block",
    fields: &[
        CONTAINER_FIELDS,
        &[C::object("security_context", |c, v, cx| {
            c.security_context = embedded(v, cx)
        })],
    ],
    extra: Some(Extra {
        accepts: |name| launcher_settings::by_name(name).is_some(),
        names: || launcher_settings::SETTINGS.iter().map(|s| s.name).collect(),
        apply: setting,
    }),
};

const DIND: Schema<ContainerDraft> = Schema {
    context: "the dind block",
    fields: &[CONTAINER_FIELDS],
    extra: None,
};

/// A block without labels, with a body.
fn plain_body<'b, 'a>(block: &'b MergedBlock<'a>, cx: &mut Cx) -> Option<&'b [Node<'a>]> {
    if let Some(label) = block.block.labels.first() {
        cx.report(ShapeProblem::BadBlockLabels {
            span: label.span,
            block: block.block.kind.name.clone(),
            expected: "no labels".into(),
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
    let mut draft = ContainerDraft::default();
    decode_body(body, schema, &mut draft, cx);
    Some(draft)
}

/// `env = [{ name = ..., value = ... }, ...]` (Kubernetes EnvVars) or
/// `env = { NAME = "value", ... }`. Entries join the typed settings in the
/// order written.
fn env(c: &mut ContainerDraft, value: &Value, cx: &mut Cx) {
    match &value.kind {
        ValueKind::List(items) => {
            for item in items {
                if let Some(var) = embedded::<core::EnvVar>(item, cx) {
                    let span = item.field("name").map_or(item.span, |f| f.value.span);
                    c.container.env.push(EnvEntry {
                        var: Arc::unwrap_or_clone(var.object),
                        span,
                        setting: None,
                    });
                }
            }
        }
        ValueKind::Object(fields) => {
            for field in fields {
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
    let Some((text, external)) = setting_text(setting, value, cx) else {
        return;
    };
    if let Err(reason) = setting.kind.check(&text) {
        let reason = decode::reason(
            &Str {
                text: String::new(),
                external,
            },
            reason,
        );
        cx.report(ValueProblem::BadSettingValue {
            span: value.span,
            variable: setting.variable,
            reason,
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
    });
}

/// A setting's value as the variable's text.
fn setting_text(setting: &Setting, value: &Value, cx: &mut Cx) -> Option<(String, bool)> {
    use launcher_settings::SettingKind::*;
    let scalar = |value: &Value, cx: &mut Cx| -> Option<(String, bool)> {
        match (&value.kind, setting.kind) {
            (ValueKind::Bool(b), Bool) => Some((b.to_string(), false)),
            (ValueKind::Number(text), Duration) => Some((text.clone(), false)),
            (
                ValueKind::Str(s),
                Path | Text | Image | Duration | Names | PrefixedNames | Mounts,
            ) => Some((s.text.clone(), s.external)),
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
    let external = items.iter().any(|(_, e)| *e);
    Some((
        items
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .join(","),
        external,
    ))
}

// ---- credentials and service account ---------------------------------------------

#[derive(Default)]
struct InlineCredentials {
    token: Option<Spanned<Secret>>,
    private_key: Option<Spanned<Secret>>,
}

const CREDENTIALS: Schema<InlineCredentials> = Schema {
    context: "credentials",
    fields: &[&[
        FieldSpec::attribute("token", |c, v, cx| c.token = secret(v, cx)),
        FieldSpec::attribute("private_key", |c, v, cx| c.private_key = secret(v, cx)),
    ]],
    extra: None,
};

fn secret(value: &Value, cx: &mut Cx) -> Option<Spanned<Secret>> {
    decode::string(value, cx).map(|s| Spanned::new(Secret(s.value), s.span))
}

const CREDENTIALS_FORMS: &str =
    "a body `{ token = ..., private_key = ... }`, or `external` with an optional Secret name";

/// A block's kind and labels, where a problem with the whole block is shown.
fn header(block: &MergedBlock) -> Span {
    let kind = block.block.kind.span;
    block.block.labels.last().map_or(kind, |l| kind.to(l.span))
}

/// `credentials { token = ..., private_key = ... }`,
/// `credentials external "SECRET"` or `credentials external`.
fn credentials(block: &MergedBlock, cx: &mut Cx) -> Option<Spanned<Credentials>> {
    let span = header(block);
    let credentials = match (external_labels(block), &block.body) {
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
                block: "credentials".into(),
                expected: CREDENTIALS_FORMS.into(),
            });
            return None;
        }
    };
    Some(Spanned::new(credentials, span))
}

/// A field that must be written; one that was written but failed to read
/// has been reported already.
fn required<T>(
    value: Option<T>,
    name: &'static str,
    body: &[Node],
    span: Span,
    cx: &mut Cx,
) -> Option<T> {
    if value.is_none() && !body.iter().any(|n| n.key().name == name) {
        cx.report(ShapeProblem::MissingAttribute {
            span,
            name,
            context: "credentials".into(),
        });
    }
    value
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
                block: "service_account".into(),
                expected: "a body `{ name = ..., annotations = ... }`, or `external` with an \
                    optional account name"
                    .into(),
            });
            return None;
        }
    };
    Some(Spanned::new(account, span))
}

// ---- storage -------------------------------------------------------------------------

/// `storage KIND { ... }`: a volume source for `launcher-storage`, or a
/// per-pod claim template (`claim`, StatefulSet only).
fn storage(block: &MergedBlock, cx: &mut Cx) -> Option<Spanned<Storage>> {
    let span = header(block);
    let keywords = StorageKind::ALL.map(StorageKind::keyword);
    let [label] = block.block.labels.as_slice() else {
        cx.report(ShapeProblem::BadBlockLabels {
            span,
            block: "storage".into(),
            expected: format!("one kind: {}", one_of(&keywords)),
        });
        return None;
    };
    let Some(kind) = StorageKind::parse(&label.value) else {
        cx.report(ShapeProblem::UnknownKeyword {
            span: label.span,
            value: label.value.clone(),
            suggestion: super::suggest::suggest(&label.value, keywords),
            expected: keywords.to_vec(),
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
    let storage = match kind {
        StorageKind::Claim => Storage::Claim(Box::new(embedded(&claim_spec(body, cx)?, cx)?)),
        StorageKind::Ephemeral => {
            let spec = claim_spec(body, cx)?;
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
                    field: "name".into(),
                    object: "storage volume (its name is launcher-storage)".into(),
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

/// A volume for `launcher-storage`; its name is the chart's, filled in by
/// the renderer, so an empty one stands in for the schema check.
fn volume(mut fields: Vec<Field>, span: Span, cx: &mut Cx) -> Option<Storage> {
    fields.insert(
        0,
        field(
            "name",
            Value::new(
                ValueKind::Str(Str {
                    text: String::new(),
                    external: false,
                }),
                span,
            ),
        ),
    );
    embedded(&object(fields, span), cx).map(|v| Storage::Volume(Box::new(v)))
}

/// A claim spec from a storage body: Kubernetes' PersistentVolumeClaimSpec
/// fields, plus `class` (storageClassName) and `size`
/// (resources.requests.storage); accessModes defaults to ReadWriteOnce.
fn claim_spec(body: Value, cx: &mut Cx) -> Option<Value> {
    let span = body.span;
    let ValueKind::Object(fields) = body.kind else {
        return None;
    };
    let mut spec: Vec<Field> = Vec::new();
    // The keys written so far (a linear-time duplicate check).
    let mut keys: HashMap<String, Span> = HashMap::new();
    let mut ok = true;
    for f in fields {
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
            cx.report(ShapeProblem::DuplicateEntry {
                span: f.key_span,
                previous,
                name: key,
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
        let mode = Value::new(
            ValueKind::Str(Str {
                text: "ReadWriteOnce".into(),
                external: false,
            }),
            span,
        );
        spec.insert(
            0,
            field("accessModes", Value::new(ValueKind::List(vec![mode]), span)),
        );
    }
    ok.then(|| object(spec, span))
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
/// pool schema. `None` when it cannot be built at all.
pub fn decode<'p>(definition: DefRef<'p>, chain: &[DefRef<'p>], cx: &mut Cx) -> Option<Pool> {
    let nodes = super::merge::effective_body(chain);
    let mut draft = Draft::default();
    decode_body(&nodes, &POOL, &mut draft, cx);
    let name = &definition.def.name;
    let Some(credentials) = draft.credentials else {
        // Credentials that were written but did not read are reported already.
        if !nodes.iter().any(|n| n.key().name == "credentials") {
            cx.report(ChartProblem::MissingCredentials {
                span: name.span,
                pool: name.value.clone(),
            });
        }
        return None;
    };
    Some(Pool {
        name: Spanned::new(name.value.clone(), name.span),
        credentials,
        spec: draft.spec,
    })
}

/// A pool's name is its Helm release name.
pub fn check_name(definition: DefRef, diagnostics: &mut crate::diagnostics::Diagnostics) {
    let name = &definition.def.name;
    if let Err(reason) = release_name(&name.value) {
        diagnostics.push(ValueProblem::BadPoolName {
            span: name.span,
            name: name.value.clone(),
            reason,
        });
    }
}

/// Reads a template no pool extends, so its mistakes are still found; a
/// template need not be a complete pool.
pub fn decode_template(chain: &[DefRef], cx: &mut Cx) {
    let nodes = super::merge::effective_body(chain);
    decode_body(&nodes, &POOL, &mut Draft::default(), cx);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::{MAPPING, values_of};

    fn listed<T>(schema: &Schema<T>) -> impl Iterator<Item = &'static str> {
        schema.fields.iter().flat_map(|f| f.iter()).map(|f| f.name)
    }

    /// The schemas here and the chart's mapping name the same fields.
    #[test]
    fn every_field_has_chart_values_and_every_mapping_a_field() {
        let mut fields: Vec<String> = listed(&POOL).map(String::from).collect();
        let blocks: [(&str, Vec<&str>); 4] = [
            ("launcher", listed(&LAUNCHER).collect()),
            ("dind", listed(&DIND).collect()),
            ("credentials", listed(&CREDENTIALS).collect()),
            ("service_account", listed(&SERVICE_ACCOUNT).collect()),
        ];
        for (block, names) in blocks {
            fields.extend(names.into_iter().map(|f| format!("{block}.{f}")));
        }
        for field in &fields {
            assert!(!values_of(field).is_empty(), "{field} has no chart values");
        }
        for mapping in MAPPING {
            assert!(
                fields.iter().any(|f| f == mapping.field),
                "{} is not a pool field",
                mapping.field
            );
        }
    }
}
