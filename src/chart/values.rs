//! The chart's values: which keys exist (so that `poolc import` can report
//! a typo where Helm silently ignores it) and, for each field of a pool,
//! the chart values it stands for (docs/language.md shows the same mapping
//! to users; `poolc import` writes each field from its values).

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

/// Every value of the chart (docs/chart.md).
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

/// A pool field (a dotted path: `launcher.image`) and the chart values it
/// stands for (dotted paths into [`VALUES`]).
pub struct Mapping {
    pub field: &'static str,
    pub values: &'static [&'static str],
}

const fn row(field: &'static str, values: &'static [&'static str]) -> Mapping {
    Mapping { field, values }
}

/// Every pool field and the chart values it stands for.
pub const MAPPING: &[Mapping] = &[
    row("workload", &["useStatefulSet"]),
    row("replicas", &["replicasEnabled", "replicaCount"]),
    row(
        "termination_grace_period",
        &["terminationGracePeriodSeconds"],
    ),
    row("revision_history_limit", &["revisionHistoryLimit"]),
    row("name_override", &["nameOverride"]),
    row("fullname_override", &["fullnameOverride"]),
    row("labels", &["extraLabels"]),
    row("annotations", &["annotations"]),
    row("pod_labels", &["extraPodLabels"]),
    row("pod_annotations", &["podAnnotations"]),
    row("pod_security_context", &["podSecurityContext"]),
    row("image_pull_secrets", &["imagePullSecrets"]),
    row("service_account", &["serviceAccount.create"]),
    row("service_account.name", &["serviceAccount.name"]),
    row(
        "service_account.annotations",
        &["serviceAccount.annotations"],
    ),
    row("credentials", &["credentials.create"]),
    row("credentials.token", &["credentials.token"]),
    row("credentials.private_key", &["credentials.privateKey"]),
    row("launcher", &["launcher"]),
    row(
        "launcher.image",
        &[
            "launcher.image.repository",
            "launcher.image.tag",
            "launcher.image.digest",
        ],
    ),
    row("launcher.pull_policy", &["launcher.image.pullPolicy"]),
    row("launcher.resources", &["launcher.resources"]),
    row("launcher.security_context", &["launcher.securityContext"]),
    row("launcher.env", &["launcher.extraEnv"]),
    row("launcher.env_from", &["launcher.envFrom"]),
    row("launcher.volume_mounts", &["launcher.extraVolumeMounts"]),
    row("dind", &["dind"]),
    row(
        "dind.image",
        &[
            "dind.image.repository",
            "dind.image.tag",
            "dind.image.digest",
        ],
    ),
    row("dind.pull_policy", &["dind.image.pullPolicy"]),
    row("dind.resources", &["dind.resources"]),
    row("dind.env", &["dind.extraEnv"]),
    row("dind.env_from", &["dind.envFrom"]),
    row("dind.volume_mounts", &["dind.extraVolumeMounts"]),
    row("extra_containers", &["additionalContainers"]),
    row("volumes", &["volumes"]),
    row(
        "storage",
        &["storageVolume", "storageVolumeClaimTemplateSpec"],
    ),
    row("node_selector", &["nodeSelector"]),
    row("tolerations", &["tolerations"]),
    row("affinity", &["affinity"]),
    row(
        "topology_spread_constraints",
        &["topologySpreadConstraints"],
    ),
];

/// The chart values a pool field stands for (none for a field the chart
/// does not have).
pub fn values_of(field: &str) -> &'static [&'static str] {
    MAPPING
        .iter()
        .find(|m| m.field == field)
        .map_or(&[], |m| m.values)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value at a dotted path (`launcher.image.tag`), if the chart has it.
    fn at(path: &str) -> Option<&'static Known> {
        path.split('.').try_fold(&VALUES, |known, key| match known {
            Map(keys) => keys.iter().find(|(name, _)| *name == key).map(|(_, k)| k),
            Leaf => None,
        })
    }

    #[test]
    fn every_mapped_value_is_a_value_of_the_chart() {
        for mapping in MAPPING {
            for value in mapping.values {
                assert!(at(value).is_some(), "{}: {value}", mapping.field);
            }
        }
    }

    #[test]
    fn every_value_of_the_chart_has_a_field() {
        fn leaves(prefix: &str, known: &Known, out: &mut Vec<String>) {
            match known {
                Leaf => out.push(prefix.to_string()),
                Map(keys) => {
                    for (key, known) in *keys {
                        let path = match prefix {
                            "" => key.to_string(),
                            _ => format!("{prefix}.{key}"),
                        };
                        leaves(&path, known, out);
                    }
                }
            }
        }
        let mut all = Vec::new();
        leaves("", &VALUES, &mut all);
        for leaf in all {
            let covered = MAPPING
                .iter()
                .flat_map(|m| m.values)
                .any(|value| leaf == *value || leaf.starts_with(&format!("{value}.")));
            assert!(covered, "no pool field stands for {leaf}");
        }
    }
}
