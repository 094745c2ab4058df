//! Requests and limits (validation.go: `validateResourceRequirements`,
//! `validateContainerResourceName`, `ValidateResourceQuantityValue`; the
//! resource helpers of pkg/apis/core/helper).

use super::{NameRule, Problem, QuantityRule, RequestRule, Step, Validate, Validator};
use crate::kube::names;
use crate::kube::quantity::Value;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

/// The resources a container may name without a domain.
pub const STANDARD: &[&str] = &["cpu", "memory", "ephemeral-storage"];
const HUGE_PAGES: &str = "hugepages-";

impl Validate for core::ResourceRequirements {
    fn validate(&self, v: &mut Validator) {
        let empty = BTreeMap::new();
        let limits = self.limits.as_ref().unwrap_or(&empty);
        let requests = self.requests.as_ref().unwrap_or(&empty);
        v.field("limits", |v| {
            for (name, quantity) in limits {
                v.key(name, |v| entry(v, name, quantity));
            }
        });
        v.field("requests", |v| {
            for (name, quantity) in requests {
                v.key(name, |v| {
                    entry(v, name, quantity);
                    against_limit(v, name, quantity, limits.get(name));
                });
            }
        });
        let huge_pages = limits
            .keys()
            .chain(requests.keys())
            .any(|n| is_huge_pages(n));
        let compute = limits
            .keys()
            .chain(requests.keys())
            .any(|n| n == "cpu" || n == "memory");
        if huge_pages && !compute {
            v.conflict(
                "huge pages need a cpu or memory request or limit",
                "huge pages alone",
                "add a memory request beside the huge pages",
            );
        }
        if self.claims.as_ref().is_some_and(|c| !c.is_empty()) {
            v.field("claims", |v| {
                v.conflict(
                    "`claims` names the pod's resource claims, and the chart's pod has none",
                    "no such claim",
                    "remove `claims`",
                )
            });
        }
    }
}

/// A resource's name and quantity.
fn entry(v: &mut Validator, name: &str, quantity: &Quantity) {
    if let Err(reason) = resource_name(name) {
        v.report_key(Problem::Name {
            what: "resource",
            name: name.to_string(),
            rule: NameRule::Resource,
            reason,
        });
        return;
    }
    let Some(value) = Value::of(&quantity.0) else {
        return;
    };
    let rule = if value.is_negative() {
        Some(QuantityRule::Negative)
    } else if is_extended(name) && !value.is_whole() {
        Some(QuantityRule::NotWhole)
    } else {
        huge_page_size(name)
            .filter(|unit| !value.is_multiple_of(&unit.1))
            .map(|(unit, _)| QuantityRule::NotMultiple { unit })
    };
    if let Some(rule) = rule {
        v.report(Problem::Quantity {
            resource: name.to_string(),
            value: quantity.0.clone(),
            rule,
        });
    }
}

/// A request against its limit: at most the limit, or equal to it for
/// the resources that cannot be overcommitted.
fn against_limit(v: &mut Validator, name: &str, request: &Quantity, limit: Option<&Quantity>) {
    if resource_name(name).is_err() {
        return;
    }
    let overcommit = overcommit_allowed(name);
    let rule = match limit {
        None if !overcommit => Some(RequestRule::LimitRequired),
        None => None,
        Some(limit) => match (Value::of(&request.0), Value::of(&limit.0)) {
            (Some(r), Some(l))
                if !overcommit && r.partial_cmp(&l) != Some(std::cmp::Ordering::Equal) =>
            {
                Some(RequestRule::MustEqualLimit)
            }
            (Some(r), Some(l)) if r > l => Some(RequestRule::ExceedsLimit),
            _ => None,
        },
    };
    let Some(rule) = rule else { return };
    let problem = Problem::Requests {
        resource: name.to_string(),
        request: request.0.clone(),
        limit: limit.map(|l| l.0.clone()),
        rule,
    };
    match limit {
        Some(_) => {
            let limit = v.sibling(2, &[Step::Field("limits"), Step::Key(name.to_string())]);
            v.report_related(problem, limit);
        }
        None => v.report(problem),
    }
}

/// A container resource name: a standard one, huge pages of a size, or a
/// domain-qualified extended resource (`nvidia.com/gpu`).
pub fn resource_name(name: &str) -> Result<(), String> {
    names::label_key(name).map_err(|e| format!("not a qualified name: {e}"))?;
    if !name.contains('/') {
        if STANDARD.contains(&name) || is_huge_pages(name) {
            return Ok(());
        }
        return Err("neither a standard resource nor domain-qualified".into());
    }
    if is_native(name) || is_extended(name) {
        Ok(())
    } else {
        Err("an extended resource name does not start with `requests.`".into())
    }
}

fn is_huge_pages(name: &str) -> bool {
    name.starts_with(HUGE_PAGES)
}

/// The page size of a huge pages resource (`hugepages-2Mi`), as written
/// and as a value.
fn huge_page_size(name: &str) -> Option<(String, Value)> {
    let size = name.strip_prefix(HUGE_PAGES)?;
    Some((size.to_string(), Value::of(size).filter(|v| !v.is_zero())?))
}

/// Native resources: unqualified, or under kubernetes.io.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// Extended resources: domain-qualified, outside kubernetes.io.
fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with("requests.")
        && names::label_key(&format!("requests.{name}")).is_ok()
}

/// Native resources other than huge pages may request less than their limit.
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_huge_pages(name)
}

#[cfg(test)]
mod tests {
    use super::super::validate;
    use super::*;

    fn resources(json: serde_json::Value) -> core::ResourceRequirements {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn names() {
        for good in [
            "cpu",
            "memory",
            "ephemeral-storage",
            "hugepages-2Mi",
            "nvidia.com/gpu",
        ] {
            assert_eq!(resource_name(good), Ok(()), "{good}");
        }
        for bad in ["gpu", "CPU", "storage", "nvidia.com/", "requests.a.com/x"] {
            assert!(resource_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn requests_against_limits() {
        let r = resources(serde_json::json!({
            "requests": {
                "cpu": "2", "memory": "1Gi", "nvidia.com/gpu": "1", "example.com/fpga": "1"
            },
            "limits": { "cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "2" },
        }));
        let found = validate(&r);
        let rules: Vec<_> = found
            .iter()
            .map(|f| match &f.problem {
                Problem::Requests { resource, rule, .. } => (resource.as_str(), *rule),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            rules,
            [
                ("cpu", RequestRule::ExceedsLimit),
                ("example.com/fpga", RequestRule::LimitRequired),
                ("nvidia.com/gpu", RequestRule::MustEqualLimit),
            ]
        );
        assert_eq!(
            found[0].path,
            [Step::Field("requests"), Step::Key("cpu".into())]
        );
    }

    #[test]
    fn quantities_and_bad_names() {
        let r = resources(serde_json::json!({
            "limits": { "memory": "-1Gi", "gpu": "1", "hugepages-2Mi": "3Mi",
                        "nvidia.com/gpu": "500m" },
        }));
        let found = validate(&r);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found
                .iter()
                .any(|f| f.on_key && f.path[1] == Step::Key("gpu".into()))
        );
        let fine = resources(serde_json::json!({
            "requests": { "cpu": "500m", "memory": "512Mi" },
            "limits": { "cpu": "1", "memory": "512Mi", "hugepages-2Mi": "4Mi" },
        }));
        assert_eq!(validate(&fine), []);
    }
}
