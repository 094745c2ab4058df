//! `storageVolume` and `storageVolumeClaimTemplateSpec` as `storage KIND`
//! blocks, with the `class` and `size` shorthands where they apply.

use super::Context;
use super::mapping::{converted, set};
use super::output::{Entry, Expr};
use super::values::truthy;
use super::yaml::{Node, NodeKind};
use crate::diagnostics::{ImportProblem, Quoted};
use crate::model::StorageKind;
use k8s_openapi::api::core::v1 as core;

pub fn storage(cx: &mut Context) -> Vec<Entry> {
    let mut entries = Vec::new();
    if let Some(volume) = set(cx, &["storageVolume"]) {
        entries.extend(volume_storage(cx, volume));
    }
    if let Some(claim) = set(cx, &["storageVolumeClaimTemplateSpec"]) {
        if cx.values.get("useStatefulSet").is_some_and(truthy) {
            let body = claim_body(cx, claim);
            entries.push(Entry::from(claim.span, Entry::block("storage claim", body)));
        } else {
            cx.problems.push(ImportProblem::ChartIgnores {
                span: claim.span,
                what: Quoted::fixed("`storageVolumeClaimTemplateSpec` on a Deployment"),
                why: "claim templates are for StatefulSets (`useStatefulSet: true`)",
            });
        }
    }
    entries
}

/// `storage empty_dir`, `host_path`, `ephemeral` or `volume`.
fn volume_storage(cx: &mut Context, volume: &Node) -> Vec<Entry> {
    let NodeKind::Map(sources) = &volume.kind else {
        return vec![Entry::from(
            volume.span,
            Entry::attribute("storage", Expr::Text("{}".into())),
        )];
    };
    if let [(source, body)] = sources.as_slice() {
        // The chart's default.
        if source.name == "emptyDir" && body.is_unset() {
            return Vec::new();
        }
        let kind = StorageKind::ALL
            .into_iter()
            .find(|k| k.volume_source() == Some(source.name.as_str()));
        match kind {
            Some(kind @ (StorageKind::EmptyDir | StorageKind::HostPath)) => {
                let kind = kind.keyword();
                let body = fields(converted::<core::Volume>(cx, volume), &source.name);
                return vec![Entry::from(
                    volume.span,
                    Entry::block(&format!("storage {kind}"), body),
                )];
            }
            Some(StorageKind::Ephemeral) => {
                if let Some(spec) = ephemeral_spec(body) {
                    let body = claim_body(cx, spec);
                    return vec![Entry::from(
                        volume.span,
                        Entry::block("storage ephemeral", body),
                    )];
                }
            }
            _ => {}
        }
    }
    let body = object_entries(converted::<core::Volume>(cx, volume));
    vec![Entry::from(
        volume.span,
        Entry::block("storage volume", body),
    )]
}

/// `{volumeClaimTemplate: {spec: SPEC}}` and nothing else: the spec.
fn ephemeral_spec(source: &Node) -> Option<&Node> {
    let template = source.get("volumeClaimTemplate")?;
    (only(source, "volumeClaimTemplate") && only(template, "spec")).then(|| template.get("spec"))?
}

/// A claim spec as a storage body: `class` for storageClassName, `size`
/// for a lone storage request, accessModes left out when it is the
/// default.
fn claim_body(cx: &mut Context, spec: &Node) -> Vec<Entry> {
    let NodeKind::Map(entries) = &spec.kind else {
        return object_entries(converted::<core::PersistentVolumeClaimSpec>(cx, spec));
    };
    if !entries.iter().any(|(k, _)| k.name == "accessModes") {
        cx.problems
            .push(ImportProblem::ClaimWithoutAccessModes { span: spec.span });
    }
    let converted = object_entries(converted::<core::PersistentVolumeClaimSpec>(cx, spec));
    converted
        .into_iter()
        .filter_map(|entry| {
            let Entry::Attribute(key, value) = entry else {
                return None;
            };
            match entries.iter().find(|(k, _)| k.name == key) {
                Some((_, node)) => shorthand(&key, value, node),
                None => Some(Entry::Attribute(key, value)),
            }
        })
        .collect()
}

fn shorthand(key: &str, value: Expr, node: &Node) -> Option<Entry> {
    let is_default_modes = matches!(&node.kind, NodeKind::List(modes)
        if modes.len() == 1 && modes[0].text() == Some("ReadWriteOnce"));
    match key {
        "accessModes" if is_default_modes => None,
        "storageClassName" => Some(Entry::attribute("class", value)),
        "resources" => Some(match lone_request(node) {
            Some(size) => Entry::from(size.span, Entry::attribute("size", request_value(value)?)),
            None => Entry::attribute("resources", value),
        }),
        _ => Some(Entry::attribute(key, value)),
    }
}

/// `{requests: {storage: SIZE}}` and nothing else: the size.
fn lone_request(resources: &Node) -> Option<&Node> {
    let requests = resources.get("requests")?;
    (only(resources, "requests") && only(requests, "storage")).then(|| requests.get("storage"))?
}

/// A map with exactly one key, `key`.
fn only(node: &Node, key: &str) -> bool {
    matches!(&node.kind, NodeKind::Map(m) if m.len() == 1 && m[0].0.name == key)
}

/// The converted `storage` request inside converted resources.
fn request_value(resources: Expr) -> Option<Expr> {
    let mut expr = resources;
    for key in ["requests", "storage"] {
        expr = match expr.without_origin() {
            Expr::Object(mut fields) => fields.drain(..).find(|(k, _)| k == key)?.1,
            _ => return None,
        };
    }
    Some(expr)
}

/// The fields of the converted object under `source` (a volume source).
fn fields(volume: Option<Expr>, source: &str) -> Vec<Entry> {
    let Some(Expr::Object(fields)) = volume.map(Expr::without_origin) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .find(|(k, _)| k == source)
        .map_or_else(Vec::new, |(_, body)| object_entries(Some(body)))
}

fn object_entries(object: Option<Expr>) -> Vec<Entry> {
    match object.map(Expr::without_origin) {
        Some(Expr::Object(fields)) => fields
            .into_iter()
            .map(|(k, v)| Entry::Attribute(k, v))
            .collect(),
        _ => Vec::new(),
    }
}
