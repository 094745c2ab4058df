//! The chart's values: which keys exist (a typo is reported with a
//! did-you-mean, where Helm silently ignores it), Helm's merge of several
//! values files, and Go templates' idea of true.

use super::yaml::{Node, NodeKind};
use crate::diagnostics::Problem;
use crate::semantics::suggest::suggest;

/// A value of the chart: a leaf (a scalar or a Kubernetes object, whose
/// fields the compiler checks) or a map of further values.
pub enum Known {
    Leaf,
    Map(&'static [(&'static str, Known)]),
}

use Known::{Leaf, Map};

const IMAGE: Known = Map(&[
    ("repository", Leaf),
    ("tag", Leaf),
    ("digest", Leaf),
    ("pullPolicy", Leaf),
]);

/// Every value of the chart (spec/chart.md).
pub const VALUES: Known = Map(&[
    ("replicasEnabled", Leaf),
    ("replicaCount", Leaf),
    ("terminationGracePeriodSeconds", Leaf),
    ("revisionHistoryLimit", Leaf),
    (
        "credentials",
        Map(&[("create", Leaf), ("token", Leaf), ("privateKey", Leaf)]),
    ),
    ("imagePullSecrets", Leaf),
    ("nameOverride", Leaf),
    ("fullnameOverride", Leaf),
    (
        "serviceAccount",
        Map(&[("create", Leaf), ("annotations", Leaf), ("name", Leaf)]),
    ),
    ("annotations", Leaf),
    ("extraLabels", Leaf),
    ("podAnnotations", Leaf),
    ("extraPodLabels", Leaf),
    ("podSecurityContext", Leaf),
    (
        "launcher",
        Map(&[
            ("image", IMAGE),
            ("resources", Leaf),
            ("securityContext", Leaf),
            ("extraEnv", Leaf),
            ("envFrom", Leaf),
            ("extraVolumeMounts", Leaf),
        ]),
    ),
    (
        "dind",
        Map(&[
            ("image", IMAGE),
            ("resources", Leaf),
            ("extraEnv", Leaf),
            ("envFrom", Leaf),
            ("extraVolumeMounts", Leaf),
        ]),
    ),
    ("additionalContainers", Leaf),
    ("nodeSelector", Leaf),
    ("tolerations", Leaf),
    ("affinity", Leaf),
    ("topologySpreadConstraints", Leaf),
    ("volumes", Leaf),
    ("storageVolume", Leaf),
    ("storageVolumeClaimTemplateSpec", Leaf),
    ("useStatefulSet", Leaf),
]);

/// Reports every key the chart does not have, and maps where the chart
/// has a map.
pub fn check_keys(node: &Node, known: &Known, path: &str, problems: &mut Vec<Problem>) {
    let Map(keys) = known else {
        return;
    };
    let NodeKind::Map(entries) = &node.kind else {
        if !matches!(node.kind, NodeKind::Null) {
            problems.push(Problem::ValuesType {
                span: node.span,
                value: if path.is_empty() {
                    "the values".into()
                } else {
                    path.into()
                },
                expected: "a map",
                found: node.describe(),
            });
        }
        return;
    };
    for (key, value) in entries {
        let qualified = if path.is_empty() {
            key.name.clone()
        } else {
            format!("{path}.{}", key.name)
        };
        match keys.iter().find(|(name, _)| *name == key.name) {
            Some((_, known)) => check_keys(value, known, &qualified, problems),
            None => problems.push(Problem::UnknownValue {
                span: key.span,
                key: qualified,
                suggestion: suggest(&key.name, keys.iter().map(|(name, _)| *name)),
            }),
        }
    }
}

/// Helm's merge of values files given with `-f`: a later file wins, maps
/// are merged key by key, anything else (lists too) is replaced.
pub fn merge(base: Node, over: Node) -> Node {
    match (base.kind, over.kind) {
        (NodeKind::Map(mut entries), NodeKind::Map(overrides)) => {
            for (key, value) in overrides {
                match entries.iter().position(|(k, _)| k.name == key.name) {
                    Some(i) => {
                        let (_, old) = entries.remove(i);
                        entries.insert(i, (key, merge(old, value)));
                    }
                    None => entries.push((key, value)),
                }
            }
            Node {
                kind: NodeKind::Map(entries),
                span: over.span,
                reread: None,
            }
        }
        (_, kind) => Node { kind, ..over },
    }
}

/// Whether `{{ if VALUE }}` takes the branch: false, 0, null and empty
/// strings, lists and maps are false; anything else is true.
pub fn truthy(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Bool(b) => *b,
        NodeKind::Number(n) => *n != 0.0,
        _ => !node.is_unset(),
    }
}
