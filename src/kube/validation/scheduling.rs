//! Where pods may run (validation.go: `ValidateTolerations`,
//! `validateAffinity` and the node selector terms,
//! `validateTopologySpreadConstraints`; apimachinery's
//! `ValidateLabelSelector`).

use super::{Problem, Validate, Validator};
use crate::kube::enums::{
    EFFECTS, INCLUSION_POLICIES, NODE_OPERATORS, SELECTOR_OPERATORS, WHEN_UNSATISFIABLE,
};
use crate::kube::names;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

const TOLERATION_OPERATORS: &[&str] = &["Equal", "Exists", "Lt", "Gt"];

impl Validate for core::Toleration {
    fn validate(&self, v: &mut Validator) {
        let key = self.key.as_deref().unwrap_or_default();
        let operator = self.operator.as_deref().unwrap_or("Equal");
        let value = self.value.as_deref().unwrap_or_default();
        if !key.is_empty() {
            v.field("key", |v| label_key(v, key));
        } else if operator != "Exists" {
            v.field(
                if self.operator.is_some() {
                    "operator"
                } else {
                    "key"
                },
                |v| {
                    v.conflict(
                    "a toleration without a key must use the `Exists` operator",
                    "no key",
                    "add the taint's key, or write operator = \"Exists\" to tolerate every taint",
                )
                },
            );
        }
        if let Some(operator) = &self.operator {
            v.field("operator", |v| {
                v.one_of("toleration operator", operator, TOLERATION_OPERATORS)
            });
        }
        match operator {
            "Exists" if !value.is_empty() => v.field("value", |v| {
                v.conflict(
                    "a toleration with `operator = \"Exists\"` has no value",
                    "a value beside Exists",
                    "remove the value, or use operator = \"Equal\"",
                )
            }),
            "Equal" => v.field("value", |v| label_value(v, value)),
            _ => {}
        }
        if let Some(effect) = self.effect.as_deref().filter(|e| !e.is_empty()) {
            v.field("effect", |v| v.one_of("taint effect", effect, EFFECTS));
        }
        if self.toleration_seconds.is_some() && self.effect.as_deref() != Some("NoExecute") {
            v.field("tolerationSeconds", |v| {
                v.conflict(
                    "`tolerationSeconds` needs `effect = \"NoExecute\"`",
                    "the effect is not NoExecute",
                    "set effect = \"NoExecute\", or remove tolerationSeconds",
                )
            });
        }
    }
}

impl Validate for core::Affinity {
    fn validate(&self, v: &mut Validator) {
        if let Some(node) = &self.node_affinity {
            v.field("nodeAffinity", |v| node_affinity(v, node));
        }
        for (field, pod) in [
            ("podAffinity", self.pod_affinity.as_ref().map(pod_terms)),
            (
                "podAntiAffinity",
                self.pod_anti_affinity.as_ref().map(anti_terms),
            ),
        ] {
            let Some((required, preferred)) = pod else {
                continue;
            };
            v.field(field, |v| {
                v.items(
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    required,
                    |v, _, term| pod_affinity_term(v, term),
                );
                v.items(
                    "preferredDuringSchedulingIgnoredDuringExecution",
                    preferred,
                    |v, _, weighted| {
                        v.field("weight", |v| {
                            v.range("weight", weighted.weight.into(), 1, 100)
                        });
                        v.field("podAffinityTerm", |v| {
                            pod_affinity_term(v, &weighted.pod_affinity_term)
                        });
                    },
                );
            });
        }
    }
}

type PodTerms<'a> = (
    Option<&'a Vec<core::PodAffinityTerm>>,
    Option<&'a Vec<core::WeightedPodAffinityTerm>>,
);

fn pod_terms(a: &core::PodAffinity) -> PodTerms<'_> {
    (
        a.required_during_scheduling_ignored_during_execution
            .as_ref(),
        a.preferred_during_scheduling_ignored_during_execution
            .as_ref(),
    )
}

fn anti_terms(a: &core::PodAntiAffinity) -> PodTerms<'_> {
    (
        a.required_during_scheduling_ignored_during_execution
            .as_ref(),
        a.preferred_during_scheduling_ignored_during_execution
            .as_ref(),
    )
}

fn node_affinity(v: &mut Validator, node: &core::NodeAffinity) {
    if let Some(required) = &node.required_during_scheduling_ignored_during_execution {
        v.field("requiredDuringSchedulingIgnoredDuringExecution", |v| {
            if required.node_selector_terms.is_empty() {
                v.required(
                    "a node selector term",
                    "nodeSelectorTerms = [{ matchExpressions = [...] }]",
                );
            }
            v.items(
                "nodeSelectorTerms",
                Some(&required.node_selector_terms),
                |v, _, t| node_selector_term(v, t),
            );
        });
    }
    v.items(
        "preferredDuringSchedulingIgnoredDuringExecution",
        node.preferred_during_scheduling_ignored_during_execution
            .as_ref(),
        |v, _, term| {
            v.field("weight", |v| v.range("weight", term.weight.into(), 1, 100));
            v.field("preference", |v| node_selector_term(v, &term.preference));
        },
    );
}

fn node_selector_term(v: &mut Validator, term: &core::NodeSelectorTerm) {
    v.items(
        "matchExpressions",
        term.match_expressions.as_ref(),
        |v, _, r| {
            requirement(v, &r.key, &r.operator, r.values.as_deref(), NODE_OPERATORS);
        },
    );
    v.items("matchFields", term.match_fields.as_ref(), |v, _, r| {
        v.field("key", |v| {
            v.one_of("node field", &r.key, &["metadata.name"])
        });
        v.field("operator", |v| {
            v.one_of("node field operator", &r.operator, &["In", "NotIn"])
        });
        if r.values.as_ref().is_none_or(|values| values.len() != 1) {
            v.field("values", |v| {
                v.conflict(
                    "a node field selector matches exactly one value",
                    "not one value",
                    "give one node name: values = [\"node-1\"]",
                )
            });
        }
    });
}

fn pod_affinity_term(v: &mut Validator, term: &core::PodAffinityTerm) {
    for (field, selector) in [
        ("labelSelector", &term.label_selector),
        ("namespaceSelector", &term.namespace_selector),
    ] {
        if let Some(selector) = selector {
            v.field(field, |v| label_selector(v, selector));
        }
    }
    v.items("namespaces", term.namespaces.as_ref(), |v, _, namespace| {
        v.name(
            "namespace",
            namespace,
            super::NameRule::DnsLabel,
            names::dns1123_label,
        )
    });
    for (field, keys) in [
        ("matchLabelKeys", &term.match_label_keys),
        ("mismatchLabelKeys", &term.mismatch_label_keys),
    ] {
        label_keys(v, field, keys.as_ref(), term.label_selector.is_some());
    }
    v.field("topologyKey", |v| {
        if term.topology_key.is_empty() {
            v.required(
                "a topologyKey",
                "the node label that groups nodes, such as topology.kubernetes.io/zone",
            );
        } else {
            label_key(v, &term.topology_key);
        }
    });
}

/// `matchLabelKeys` and the like: label keys, beside a label selector.
fn label_keys(v: &mut Validator, field: &'static str, keys: Option<&Vec<String>>, selector: bool) {
    if keys.is_some_and(|k| !k.is_empty()) && !selector {
        v.field(field, |v| {
            v.conflict(
                format!("`{field}` needs a `labelSelector`"),
                "no labelSelector",
                "add a labelSelector",
            )
        });
    }
    v.items(field, keys, |v, _, key| label_key(v, key));
}

impl Validate for core::TopologySpreadConstraint {
    fn validate(&self, v: &mut Validator) {
        v.field("maxSkew", |v| {
            v.range("maxSkew", self.max_skew.into(), 1, i64::MAX)
        });
        v.field("topologyKey", |v| {
            if self.topology_key.is_empty() {
                v.required(
                    "a topologyKey",
                    "the node label to spread over, such as topology.kubernetes.io/zone",
                );
            }
        });
        v.field("whenUnsatisfiable", |v| {
            v.one_of(
                "whenUnsatisfiable action",
                &self.when_unsatisfiable,
                WHEN_UNSATISFIABLE,
            )
        });
        if let Some(min) = self.min_domains {
            v.field("minDomains", |v| {
                v.range("minDomains", min.into(), 1, i64::MAX);
                if self.when_unsatisfiable != "DoNotSchedule" {
                    v.conflict(
                        "`minDomains` needs `whenUnsatisfiable = \"DoNotSchedule\"`",
                        "whenUnsatisfiable is not DoNotSchedule",
                        "remove minDomains, or set whenUnsatisfiable = \"DoNotSchedule\"",
                    );
                }
            });
        }
        v.enum_field(
            "nodeAffinityPolicy",
            "node inclusion policy",
            self.node_affinity_policy.as_ref(),
            INCLUSION_POLICIES,
        );
        v.enum_field(
            "nodeTaintsPolicy",
            "node inclusion policy",
            self.node_taints_policy.as_ref(),
            INCLUSION_POLICIES,
        );
        label_keys(
            v,
            "matchLabelKeys",
            self.match_label_keys.as_ref(),
            self.label_selector.is_some(),
        );
        if let Some(selector) = &self.label_selector {
            let selected = selector_keys(selector);
            v.items(
                "matchLabelKeys",
                self.match_label_keys.as_ref(),
                |v, _, key| {
                    if selected.contains(&key.as_str()) {
                        v.conflict(
                            format!("`{key}` is both a matchLabelKey and in the labelSelector"),
                            "already in the labelSelector",
                            "remove it from one of them",
                        );
                    }
                },
            );
            v.field("labelSelector", |v| label_selector(v, selector));
        }
    }
}

fn selector_keys(selector: &LabelSelector) -> Vec<&str> {
    let labels = selector.match_labels.iter().flat_map(|m| m.keys());
    let expressions = selector.match_expressions.iter().flatten().map(|e| &e.key);
    labels.chain(expressions).map(String::as_str).collect()
}

/// A label selector: its labels, and each expression's operator and values.
pub(super) fn label_selector(v: &mut Validator, selector: &LabelSelector) {
    if let Some(labels) = &selector.match_labels {
        v.field("matchLabels", |v| super::metadata::labels(v, labels));
    }
    v.items(
        "matchExpressions",
        selector.match_expressions.as_ref(),
        |v, _, e| {
            requirement(
                v,
                &e.key,
                &e.operator,
                e.values.as_deref(),
                SELECTOR_OPERATORS,
            );
        },
    );
}

/// One expression of a selector: key, operator and the values it allows.
fn requirement(
    v: &mut Validator,
    key: &str,
    operator: &str,
    values: Option<&[String]>,
    operators: &'static [&'static str],
) {
    v.field("key", |v| label_key(v, key));
    v.field("operator", |v| {
        v.one_of("selector operator", operator, operators)
    });
    let count = values.map_or(0, <[String]>::len);
    let problem = match operator {
        "In" | "NotIn" if count == 0 => Some(("needs values", "values = [\"...\"]")),
        "Exists" | "DoesNotExist" if count > 0 => Some(("takes no values", "remove `values`")),
        "Gt" | "Lt" if count != 1 => Some(("takes one value", "values = [\"4\"]")),
        _ => None,
    };
    if let Some((what, help)) = problem {
        v.field("values", |v| {
            v.conflict(
                format!("the `{operator}` operator {what}"),
                format!("operator is {operator}"),
                help,
            )
        });
    }
    v.items(
        "values",
        values.map(<[String]>::to_vec).as_ref(),
        |v, _, value| label_value(v, value),
    );
}

fn label_key(v: &mut Validator, key: &str) {
    if let Err(reason) = names::label_key(key) {
        v.report(Problem::LabelKey { reason });
    }
}

fn label_value(v: &mut Validator, value: &str) {
    if let Err(reason) = names::label_value(value) {
        v.report(Problem::LabelValue { reason });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Step, validate};
    use super::*;

    fn toleration(json: serde_json::Value) -> core::Toleration {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn tolerations() {
        let fine = toleration(serde_json::json!({
            "key": "dedicated", "operator": "Equal", "value": "ci", "effect": "NoSchedule" }));
        assert_eq!(validate(&fine), []);
        let exists = toleration(serde_json::json!({
            "key": "k", "operator": "Exists", "value": "v", "effect": "NoSchedul" }));
        let found = validate(&exists);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].path, [Step::Field("value")]);
        let keyless = toleration(serde_json::json!({ "tolerationSeconds": 30 }));
        assert_eq!(validate(&keyless).len(), 2);
    }

    #[test]
    fn selectors_and_spread() {
        let constraint: core::TopologySpreadConstraint =
            serde_json::from_value(serde_json::json!({
                "maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway",
                "minDomains": 2,
                "labelSelector": { "matchExpressions": [
                    { "key": "app", "operator": "In" },
                    { "key": "tier", "operator": "Exists", "values": ["x"] },
                ] },
            }))
            .unwrap();
        let found = validate(&constraint);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert_eq!(found[0].path, [Step::Field("maxSkew")]);
    }
}
