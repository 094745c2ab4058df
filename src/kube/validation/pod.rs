//! A whole pod spec (validation.go: `ValidatePodSpec`), as the API server
//! sees the pods the chart renders: every part checked, container and
//! volume names unique, every mount naming a volume. The checker checks a
//! pool's parts where they were written; this is for the objects poolc and
//! the chart write, which must pass every rule too.

use super::{Problem, Step, Validate, Validator};
use k8s_openapi::api::core::v1 as core;
use std::collections::HashMap;

impl Validate for core::PodSpec {
    fn validate(&self, v: &mut Validator) {
        let mut names: HashMap<&str, usize> = HashMap::new();
        v.items("containers", Some(&self.containers), |v, i, container| {
            container.validate(v);
            unique(v, &mut names, &container.name, i, "container name");
        });
        let mut volumes: HashMap<&str, usize> = HashMap::new();
        v.items("volumes", self.volumes.as_ref(), |v, i, volume| {
            volume.validate(v);
            unique(v, &mut volumes, &volume.name, i, "volume name");
        });
        v.items("containers", Some(&self.containers), |v, _, container| {
            v.items(
                "volumeMounts",
                container.volume_mounts.as_ref(),
                |v, _, mount| {
                    if !volumes.contains_key(mount.name.as_str()) {
                        v.field("name", |v| {
                            v.conflict(
                                format!("no volume named `{}`", mount.name),
                                "mounted here",
                                "add the volume to the pod's volumes",
                            )
                        });
                    }
                },
            )
        });
        if let Some(context) = &self.security_context {
            v.field("securityContext", |v| context.validate(v));
        }
        v.items("tolerations", self.tolerations.as_ref(), |v, _, t| {
            t.validate(v)
        });
        if let Some(affinity) = &self.affinity {
            v.field("affinity", |v| affinity.validate(v));
        }
        let mut pairs: HashMap<(&str, &str), usize> = HashMap::new();
        let constraints = self.topology_spread_constraints.as_ref();
        v.items("topologySpreadConstraints", constraints, |v, i, c| {
            c.validate(v);
            let key = (c.topology_key.as_str(), c.when_unsatisfiable.as_str());
            if let Some(&first) = pairs.get(&key) {
                let value = format!("{}, {}", key.0, key.1);
                let first = v.sibling(1, &[Step::Index(first)]);
                let what = "topology key and whenUnsatisfiable pair";
                v.report_related(Problem::Duplicate { what, value }, first);
            } else {
                pairs.insert(key, i);
            }
        });
    }
}

/// Reports a name used by an earlier item of the same list.
fn unique<'a>(
    v: &mut Validator,
    seen: &mut HashMap<&'a str, usize>,
    name: &'a str,
    index: usize,
    what: &'static str,
) {
    match seen.get(name) {
        Some(&first) => {
            let first = v.sibling(1, &[Step::Index(first), Step::Field("name")]);
            v.field("name", |v| {
                let value = name.to_string();
                v.report_related(Problem::Duplicate { what, value }, first)
            });
        }
        None => {
            seen.insert(name, index);
        }
    }
}

/// The rules a rendered workload breaks: its pod template, and the claim
/// templates of a StatefulSet. Each finding as `path: problem`; a part that
/// cannot be read as its Kubernetes type is a finding too.
pub fn workload(object: &serde_json::Value) -> Vec<String> {
    let mut found = Vec::new();
    let template = object.pointer("/spec/template/spec").cloned();
    match template.map(serde_json::from_value::<core::PodSpec>) {
        Some(Ok(mut spec)) => {
            claim_volumes(&mut spec, object);
            found.extend(super::validate(&spec).into_iter().map(describe));
        }
        Some(Err(e)) => found.push(format!("spec.template.spec: {e}")),
        None => found.push("spec.template.spec: missing".into()),
    }
    let claims = object
        .pointer("/spec/volumeClaimTemplates")
        .and_then(|c| c.as_array());
    for claim in claims.into_iter().flatten() {
        let spec = claim.get("spec").cloned().unwrap_or_default();
        match serde_json::from_value::<core::PersistentVolumeClaimSpec>(spec) {
            Ok(spec) => found.extend(super::validate(&spec).into_iter().map(describe)),
            Err(e) => found.push(format!("volumeClaimTemplates: {e}")),
        }
    }
    found
}

/// A StatefulSet's pods get the claim of each claim template as the
/// source of the volume of the same name (the StatefulSet controller sets
/// it), so such a volume is written without a source.
fn claim_volumes(spec: &mut core::PodSpec, object: &serde_json::Value) {
    let claims = object
        .pointer("/spec/volumeClaimTemplates")
        .and_then(|c| c.as_array());
    let names: Vec<&str> = claims
        .into_iter()
        .flatten()
        .filter_map(|c| c.pointer("/metadata/name")?.as_str())
        .collect();
    for volume in spec.volumes.iter_mut().flatten() {
        if names.contains(&volume.name.as_str()) && volume.persistent_volume_claim.is_none() {
            volume.persistent_volume_claim = Some(core::PersistentVolumeClaimVolumeSource {
                claim_name: volume.name.clone(),
                read_only: None,
            });
        }
    }
}

fn describe(finding: super::Finding) -> String {
    let path: Vec<String> = finding
        .path
        .iter()
        .map(|step| match step {
            Step::Field(name) => name.to_string(),
            Step::Index(i) => i.to_string(),
            Step::Key(key) => key.clone(),
        })
        .collect();
    format!("{}: {:?}", path.join("."), finding.problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_have_unique_names_and_mount_what_they_have() {
        let pod = serde_json::json!({
            "spec": { "template": { "spec": {
                "containers": [
                    { "name": "a", "image": "x",
                      "volumeMounts": [{ "name": "v", "mountPath": "/v" }] },
                    { "name": "a", "image": "x",
                      "volumeMounts": [{ "name": "w", "mountPath": "/w" }] },
                ],
                "volumes": [{ "name": "v", "emptyDir": {} }],
            } } }
        });
        let found = workload(&pod);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("containers.1.name: Duplicate"));
        assert!(found[1].starts_with("containers.1.volumeMounts.0.name: Conflict"));
    }
}
