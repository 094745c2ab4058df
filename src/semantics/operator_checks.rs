//! Checks across a whole operator pool, on the model: the counterparts of
//! `checks` for the chart (credentials, the launcher's variables, names
//! of containers and volumes, mounts), and what a migration from the chart
//! easily gets wrong (selectors written against the chart's pod labels).
//! What the operator cannot do at all is `targets`.

use super::checks::{self, name_quoted, name_span};
use super::suggest::suggest;
use crate::chart;
use crate::diagnostics::{ChartProblem, Diagnostics, OperatorProblem, Quoted};
use crate::model::span_tree::SpanTree;
use crate::model::{ContainerSpec, Credentials, Pool};
use crate::operator::{self, BINARIES_CACHE_VOLUME, RUN_CONTAINERS, WORKSPACE_VOLUME};
use crate::secrets::{Secrecy, Secrets};
use crate::syntax::span::Span;
use serde_json::Value as Json;
use std::collections::HashMap;

/// Checks of single values (see `checks::check_values`).
pub fn check_values(pool: &Pool, _: &Secrets, diagnostics: &mut Diagnostics) {
    if let Credentials::Inline { token, private_key } = &pool.credentials.value {
        super::credentials::check(token, private_key, diagnostics);
    }
    for container in RUN_CONTAINERS {
        let settings = operator::settings(pool, container);
        checks::launcher_variables(&settings.container, diagnostics);
    }
    sidecars(pool, diagnostics);
    checks::spread_constraints(&pool.spec.topology_spread_constraints, diagnostics);
    for annotations in [&pool.spec.annotations, &pool.spec.pod_annotations] {
        checks::annotations_size(annotations, diagnostics);
    }
    if let Some((timeout, span)) = operator::run_timeout(pool)
        && timeout.nanos == 0
    {
        diagnostics.push(OperatorProblem::BadValue {
            span,
            field: "run_timeout",
            reason: "the run pod's deadline (activeDeadlineSeconds) must be at least 1s",
        });
    }
}

/// Checks across fields (see `checks::check_across`).
pub fn check_across(pool: &Pool, secrets: &Secrets, diagnostics: &mut Diagnostics) {
    for container in RUN_CONTAINERS {
        let env = ContainerSpec {
            env: operator::run_env(pool, container)
                .into_iter()
                .cloned()
                .collect(),
            ..ContainerSpec::default()
        };
        checks::env(&env, &[], container.name, diagnostics);
    }
    volumes(pool, diagnostics);
    selectors(pool, secrets, diagnostics);
}

/// Sidecars may not take the run pod's container names, nor each other's.
fn sidecars(pool: &Pool, diagnostics: &mut Diagnostics) {
    checks::extra_container_names(pool, diagnostics, |name, span, quoted| {
        RUN_CONTAINERS
            .iter()
            .any(|c| c.name == name)
            .then(|| OperatorProblem::ReservedContainer { span, name: quoted }.into())
    });
}

/// Volume names are unique and not those of the two special volumes;
/// every mount names a volume of the pool's.
fn volumes(pool: &Pool, diagnostics: &mut Diagnostics) {
    let spec = &pool.spec;
    // Each volume's span, and how secret its name is.
    let mut defined: HashMap<&str, (Span, Secrecy)> = HashMap::new();
    for volume in &spec.volumes {
        let name = volume.object.name.as_str();
        let span = name_span(volume);
        let special = [
            (WORKSPACE_VOLUME, "workspace volume (`storage`)"),
            (BINARIES_CACHE_VOLUME, "binaries cache (`binaries_cache`)"),
        ];
        if let Some((name, field)) = special.into_iter().find(|(n, _)| *n == name) {
            diagnostics.push(OperatorProblem::ReservedVolume { span, name, field });
        } else if let Some((previous, _)) =
            defined.insert(name, (span, volume.spans.field_secrecy("name")))
        {
            diagnostics.push(ChartProblem::DuplicateName {
                span,
                previous,
                what: "volume",
                name: name_quoted(name, volume),
            });
        }
    }
    let run_mounts = RUN_CONTAINERS.iter().flat_map(|c| {
        let mounts = &operator::settings(pool, c).container.volume_mounts;
        mounts.iter().map(|m| {
            let secrecy = m.spans.field_secrecy("name");
            (m.object.name.as_str(), name_span(m), secrecy)
        })
    });
    let sidecar_mounts = spec.extra_containers.iter().flat_map(|c| {
        let spans = c.spans.field("volumeMounts").map(|f| &f.value);
        let mounts = c.object.volume_mounts.iter().flatten().enumerate();
        mounts.map(move |(i, m)| {
            let spans = spans.and_then(|spans| spans.item(i));
            let span = spans.map_or(c.spans.span, |spans| spans.field_span("name"));
            let secrecy = spans.map_or(c.spans.secrecy, |spans| spans.field_secrecy("name"));
            (m.name.as_str(), span, secrecy)
        })
    });
    for (name, span, secrecy) in run_mounts.chain(sidecar_mounts) {
        if !defined.contains_key(name) {
            let suggestion = suggest(name, defined.keys().copied());
            let suggestion = suggestion.map(|s| Quoted::value(&s, defined[s.as_str()].1));
            diagnostics.push(ChartProblem::UndefinedVolume {
                span,
                name: Quoted::value(name, secrecy),
                suggestion: suggestion.filter(|_| secrecy == Secrecy::Public),
            });
        }
    }
}

/// Affinity terms and spread constraints that select the chart's pod
/// labels select nothing on the operator, unless `pod_labels` sets them.
fn selectors(pool: &Pool, secrets: &Secrets, diagnostics: &mut Diagnostics) {
    let spec = &pool.spec;
    let mut keys = Vec::new();
    if let Some(affinity) = &spec.affinity {
        let json = serde_json::to_value(affinity.object.as_ref()).unwrap_or_default();
        selector_keys(&json, &affinity.spans, &mut keys);
    }
    for constraint in &spec.topology_spread_constraints {
        let json = serde_json::to_value(constraint.object.as_ref()).unwrap_or_default();
        selector_keys(&json, &constraint.spans, &mut keys);
    }
    let on_pods = |key: &str| spec.pod_labels.iter().any(|(k, _)| k.value == key);
    for (key, span) in keys {
        if chart::SELECTOR_LABELS.contains(&key.as_str()) && !on_pods(&key) {
            let key = Quoted::written(key, span, secrets);
            diagnostics.push(OperatorProblem::ChartPodLabel { span, key });
        }
    }
}

/// The label keys every `labelSelector` inside `json` selects on, with
/// where each is written.
fn selector_keys(json: &Json, spans: &SpanTree, keys: &mut Vec<(String, Span)>) {
    match json {
        Json::Object(fields) => {
            for (name, value) in fields {
                let Some(field) = spans.field(name) else {
                    continue;
                };
                if name == "labelSelector" {
                    selected(value, &field.value, keys);
                } else {
                    selector_keys(value, &field.value, keys);
                }
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(spans) = spans.item(i) {
                    selector_keys(item, spans, keys);
                }
            }
        }
        _ => {}
    }
}

fn selected(selector: &Json, spans: &SpanTree, keys: &mut Vec<(String, Span)>) {
    let labels = selector.get("matchLabels").and_then(Json::as_object);
    let label_spans = spans.field("matchLabels").map(|f| &f.value);
    for key in labels.into_iter().flat_map(|l| l.keys()) {
        let span = label_spans
            .and_then(|s| s.field(key))
            .map_or(spans.span, |f| f.key_span);
        keys.push((key.clone(), span));
    }
    let expressions = selector.get("matchExpressions").and_then(Json::as_array);
    let expression_spans = spans.field("matchExpressions").map(|f| &f.value);
    for (i, expression) in expressions.into_iter().flatten().enumerate() {
        let Some(key) = expression.get("key").and_then(Json::as_str) else {
            continue;
        };
        let span = expression_spans
            .and_then(|s| s.item(i))
            .map_or(spans.span, |s| s.field_span("key"));
        keys.push((key.to_string(), span));
    }
}
