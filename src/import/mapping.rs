//! The chart values → .pool mapping (docs/language.md has the same table
//! for users): one row per .pool field, in the order the pool is written,
//! naming the chart values it comes from and how it is written. Defaults
//! are left out; what the chart ignores is reported and left out too.

use super::objects::Schema;
use super::output::{self, Entry, Expr};
use super::values::truthy;
use super::yaml::{self, Node, NodeKind};
use super::{Context, containers, storage};
use crate::chart::{self, values::values_of};
use crate::diagnostics::{ImportProblem, Quoted};
use crate::kube::schema::{Described, list_schema_of, schema_of};
use crate::model::duration::Duration;
use k8s_openapi::api::core::v1 as core;
use serde_json::Value as Json;

/// One .pool field, and how it is written from the chart values it stands
/// for (`chart::values::MAPPING`).
pub struct Field {
    pub pool: &'static str,
    write: Write,
}

/// How a field is written. The common shapes read the one value the
/// field stands for.
enum Write {
    /// By a function of its own.
    With(fn(&mut Context) -> Vec<Entry>),
    /// A string the chart interpolates into names.
    Text,
    /// An object of strings: labels, annotations, node selectors.
    StringMap,
    /// A Kubernetes object or list of objects (`object_block::<T>` or
    /// `list_at::<T>`).
    Kube(fn(&mut Context, &str, &[&str]) -> Vec<Entry>),
}

impl Field {
    /// The field's entries in the .pool, none when the values leave it unset.
    pub fn write(&self, cx: &mut Context) -> Vec<Entry> {
        let value = || values_of(self.pool)[0];
        match self.write {
            Write::With(write) => write(cx),
            Write::Text => text_field(cx, self.pool, value()),
            Write::StringMap => string_map_at(cx, self.pool, &[value()]),
            Write::Kube(write) => write(cx, self.pool, &[value()]),
        }
    }
}

const fn field(pool: &'static str, write: fn(&mut Context) -> Vec<Entry>) -> Field {
    Field {
        pool,
        write: Write::With(write),
    }
}

const fn text(pool: &'static str) -> Field {
    Field {
        pool,
        write: Write::Text,
    }
}

const fn string_map(pool: &'static str) -> Field {
    Field {
        pool,
        write: Write::StringMap,
    }
}

/// A Kubernetes object of type `T`, written as a block.
const fn object<T: Described>(pool: &'static str) -> Field {
    Field {
        pool,
        write: Write::Kube(object_block::<T>),
    }
}

/// A list of Kubernetes objects of type `T`.
const fn list<T: Described>(pool: &'static str) -> Field {
    Field {
        pool,
        write: Write::Kube(list_at::<T>),
    }
}

/// The fields in the order a pool is written.
pub const FIELDS: &[Field] = &[
    field("workload", workload),
    field("replicas", replicas),
    field("termination_grace_period", grace_period),
    field("revision_history_limit", revision_history_limit),
    text("name_override"),
    text("fullname_override"),
    string_map("annotations"),
    string_map("labels"),
    string_map("pod_annotations"),
    string_map("pod_labels"),
    object::<core::PodSecurityContext>("pod_security_context"),
    field("image_pull_secrets", image_pull_secrets),
    field("credentials", containers::credentials),
    field("service_account", service_account),
    field("launcher", containers::launcher),
    field("dind", containers::dind),
    list::<core::Container>("extra_containers"),
    list::<core::Volume>("volumes"),
    field("storage", storage::storage),
    string_map("node_selector"),
    list::<core::Toleration>("tolerations"),
    object::<core::Affinity>("affinity"),
    list::<core::TopologySpreadConstraint>("topology_spread_constraints"),
];

/// A value that is set: present, and neither null nor empty.
pub fn set<'v>(cx: &Context<'v>, path: &[&str]) -> Option<&'v Node> {
    cx.values.at(path).filter(|n| !n.is_unset())
}

fn attribute(node: &Node, key: &str, value: Expr) -> Vec<Entry> {
    vec![Entry::from(node.span, Entry::attribute(key, value))]
}

fn workload(cx: &mut Context) -> Vec<Entry> {
    match cx.values.get("useStatefulSet") {
        Some(node) if truthy(node) => attribute(node, "workload", Expr::Text("statefulset".into())),
        _ => Vec::new(),
    }
}

fn replicas(cx: &mut Context) -> Vec<Entry> {
    if let Some(enabled) = cx.values.get("replicasEnabled").filter(|n| !truthy(n)) {
        return attribute(enabled, "replicas", Expr::Text("autoscaled".into()));
    }
    let Some(node) = cx.values.get("replicaCount") else {
        return Vec::new();
    };
    match whole_number(cx, node, "replicaCount") {
        Some(n) if n != i64::from(chart::DEFAULT_REPLICAS) => {
            attribute(node, "replicas", Expr::Text(n.to_string()))
        }
        _ => Vec::new(),
    }
}

fn grace_period(cx: &mut Context) -> Vec<Entry> {
    let Some(node) = cx.values.get("terminationGracePeriodSeconds") else {
        return Vec::new();
    };
    match whole_number(cx, node, "terminationGracePeriodSeconds") {
        Some(seconds) if seconds != chart::DEFAULT_GRACE_SECONDS => attribute(
            node,
            "termination_grace_period",
            Expr::Text(duration(seconds)),
        ),
        _ => Vec::new(),
    }
}

fn revision_history_limit(cx: &mut Context) -> Vec<Entry> {
    let Some(node) = cx.values.get("revisionHistoryLimit") else {
        return Vec::new();
    };
    match whole_number(cx, node, "revisionHistoryLimit") {
        Some(0) => {
            cx.problems.push(ImportProblem::ChartIgnores {
                span: node.span,
                what: Quoted::fixed("`revisionHistoryLimit: 0`"),
                why: "the chart drops a limit of 0 (Kubernetes then keeps 10)",
            });
            Vec::new()
        }
        Some(n) => attribute(node, "revision_history_limit", Expr::Text(n.to_string())),
        None => Vec::new(),
    }
}

/// A whole number ≥ 0 (null is unset); anything else is reported.
fn whole_number(cx: &mut Context, node: &Node, value: &str) -> Option<i64> {
    match node.kind {
        NodeKind::Null => None,
        NodeKind::Number(n) if n.fract() == 0.0 && (0.0..=f64::from(i32::MAX)).contains(&n) => {
            Some(n as i64)
        }
        _ => {
            cx.problems.push(ImportProblem::ValuesType {
                span: node.span,
                value: Quoted::public(value),
                expected: "a whole number between 0 and 2147483647",
                found: node.describe(),
            });
            None
        }
    }
}

/// Seconds as a duration literal: `2h`, `1h30m`, `90s` → `1m30s`.
fn duration(seconds: i64) -> String {
    let (hours, minutes, secs) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut text = String::new();
    for (amount, unit) in [(hours, "h"), (minutes, "m"), (secs, "s")] {
        if amount > 0 {
            text.push_str(&format!("{amount}{unit}"));
        }
    }
    if text.is_empty() {
        text.push_str("0s");
    }
    debug_assert!(Duration::parse(&text).is_ok());
    text
}

/// A string value that the chart interpolates into names.
fn text_field(cx: &mut Context, key: &str, value: &str) -> Vec<Entry> {
    let Some(node) = set(cx, &[value]) else {
        return Vec::new();
    };
    let text = text_of(cx, node, value);
    attribute(node, key, Expr::Text(text))
}

fn type_error(cx: &mut Context, node: &Node, value: &str, expected: &'static str) -> Vec<Entry> {
    cx.problems.push(ImportProblem::ValuesType {
        span: node.span,
        value: Quoted::public(value),
        expected,
        found: node.describe(),
    });
    Vec::new()
}

/// A Kubernetes object written as a block: `affinity { ... }`.
pub fn object_block<T: Described>(cx: &mut Context, key: &str, path: &[&str]) -> Vec<Entry> {
    let Some(node) = set(cx, path) else {
        return Vec::new();
    };
    match converted::<T>(cx, node).map(Expr::without_origin) {
        Some(Expr::Object(fields)) => {
            let body = fields
                .into_iter()
                .map(|(k, v)| Entry::Attribute(k, v))
                .collect();
            vec![Entry::from(node.span, Entry::block(key, body))]
        }
        Some(other) => attribute(node, key, other),
        None => Vec::new(),
    }
}

/// A node as the Kubernetes type `T`.
pub fn converted<T: Described>(cx: &mut Context, node: &Node) -> Option<Expr> {
    let schema = schema_of::<T>();
    let types = Schema { root: &schema };
    cx.converter().value(node, &schema, &types)
}

/// A list of Kubernetes objects of type `T`, at `path` in the values.
pub fn list_at<T: Described>(cx: &mut Context, key: &str, path: &[&str]) -> Vec<Entry> {
    let Some(node) = set(cx, path) else {
        return Vec::new();
    };
    let schema = list_schema_of::<T>();
    let types = Schema { root: &schema };
    let list_schema: &Json = &schema;
    match cx.converter().value(node, list_schema, &types) {
        Some(expr) => attribute(node, key, expr),
        None => Vec::new(),
    }
}

fn image_pull_secrets(cx: &mut Context) -> Vec<Entry> {
    let Some(node) = set(cx, &["imagePullSecrets"]) else {
        return Vec::new();
    };
    let names: Option<Vec<Expr>> = match &node.kind {
        NodeKind::List(items) => items
            .iter()
            .map(
                |item| match (item.get("name").and_then(Node::text), &item.kind) {
                    (Some(name), NodeKind::Map(entries)) if entries.len() == 1 => {
                        Some(Expr::from(item.span, Expr::Text(output::string(name))))
                    }
                    _ => None,
                },
            )
            .collect(),
        _ => None,
    };
    match names {
        Some(names) => attribute(node, "image_pull_secrets", Expr::List(names)),
        None => type_error(
            cx,
            node,
            "imagePullSecrets",
            "a list of `name: SECRET` entries",
        ),
    }
}

fn service_account(cx: &mut Context) -> Vec<Entry> {
    let create = cx
        .values
        .at(&["serviceAccount", "create"])
        .is_none_or(truthy);
    let name = set(cx, &["serviceAccount", "name"]);
    let name_text = |cx: &mut Context| name.map(|n| text_of(cx, n, "serviceAccount.name"));
    if !create {
        if let Some(annotations) = set(cx, &["serviceAccount", "annotations"]) {
            cx.problems.push(ImportProblem::ChartIgnores {
                span: annotations.span,
                what: Quoted::fixed("`serviceAccount.annotations`"),
                why: "the chart only annotates an account it creates",
            });
        }
        let header = match name_text(cx) {
            Some(name) => format!("service_account external {name}"),
            None => "service_account external".into(),
        };
        let span = cx
            .values
            .at(&["serviceAccount", "create"])
            .map_or(cx.values.span, |n| n.span);
        return vec![Entry::from(span, Entry::bare(&header))];
    }
    let mut body = Vec::new();
    if let (Some(node), Some(text)) = (name, name_text(cx)) {
        body.push(Entry::from(
            node.span,
            Entry::attribute("name", Expr::Text(text)),
        ));
    }
    body.extend(string_map_at(
        cx,
        "annotations",
        &["serviceAccount", "annotations"],
    ));
    if body.is_empty() {
        return Vec::new();
    }
    vec![Entry::section("service_account", body)]
}

/// Labels, annotations, node selectors: an object of strings, at `path`.
fn string_map_at(cx: &mut Context, key: &str, path: &[&str]) -> Vec<Entry> {
    let Some(node) = set(cx, path) else {
        return Vec::new();
    };
    let NodeKind::Map(entries) = &node.kind else {
        return type_error(cx, node, &path.join("."), "a map of strings");
    };
    let mut converter = cx.converter();
    let fields = entries
        .iter()
        .filter_map(|(k, v)| {
            Some((
                output::key(&k.name),
                Expr::from(k.span, converter.string(v)?),
            ))
        })
        .collect();
    attribute(node, key, Expr::Object(fields))
}

/// A string value as a .pool string literal (warning when Helm reads it
/// as something else).
fn text_of(cx: &mut Context, node: &Node, value: &str) -> String {
    output::string(&helm_text(cx, node, value))
}

/// The text Helm interpolates for a value (`{{ .Values.x }}`), with a
/// warning when that is not the text written.
pub fn helm_text(cx: &mut Context, node: &Node, value: &str) -> String {
    let rendered = match &node.kind {
        NodeKind::Text(text) => return text.clone(),
        NodeKind::Number(n) => yaml::template_number(*n),
        NodeKind::Bool(b) => b.to_string(),
        _ => {
            type_error(cx, node, value, "a string");
            return String::new();
        }
    };
    cx.converter().warn_reread(node, &output::string(&rendered));
    rendered
}

#[cfg(test)]
mod tests {
    use super::{FIELDS, duration};
    use crate::chart::values::values_of;

    /// Each row writes a field of the chart's mapping, once, and the
    /// shapes that read one value have one.
    #[test]
    fn every_row_is_a_mapped_pool_field() {
        for (i, row) in FIELDS.iter().enumerate() {
            assert!(
                !values_of(row.pool).is_empty(),
                "{} is not mapped",
                row.pool
            );
            assert!(
                FIELDS[i + 1..].iter().all(|other| other.pool != row.pool),
                "{} is written twice",
                row.pool
            );
        }
    }

    #[test]
    fn seconds_become_duration_literals() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(90), "1m30s");
        assert_eq!(duration(3600), "1h");
        assert_eq!(duration(5400), "1h30m");
        assert_eq!(duration(7261), "2h1m1s");
    }
}
