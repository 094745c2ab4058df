//! Volumes and claims (validation.go: `ValidateVolumes`,
//! `validateVolumeSource` and the sources' own checks,
//! `ValidatePersistentVolumeClaimSpec`, `ValidatePersistentVolumeClaimTemplate`).
//! The in-tree sources of old storage systems (iSCSI, RBD, Cinder, ...)
//! are counted as sources but their fields are not checked.

use super::containers::field_path;
use super::{NameRule, Problem, QuantityRule, Step, Validate, Validator, file_mode, metadata};
use crate::kube::enums::{ACCESS_MODES, PULL_POLICIES, VOLUME_MODES};
use crate::kube::names;
use crate::kube::quantity::Value;
use k8s_openapi::api::core::v1 as core;
use std::collections::HashMap;

/// Besides the empty type (no check).
const HOST_PATH_TYPES: &[&str] = &[
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
];
/// Besides the empty medium (the node's disk) and `HugePages-<size>`.
const MEDIUMS: &[&str] = &["Memory", "HugePages"];
const VOLUME_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.labels",
    "metadata.annotations",
    "metadata.uid",
];

impl Validate for core::Volume {
    fn validate(&self, v: &mut Validator) {
        v.field("name", |v| {
            if self.name.is_empty() {
                v.required("a volume's name", "name it: name = \"data\"");
            } else {
                v.name(
                    "volume",
                    &self.name,
                    NameRule::DnsLabel,
                    names::dns1123_label,
                );
            }
        });
        let json = serde_json::to_value(self).unwrap_or_default();
        let sources: Vec<&str> = json
            .as_object()
            .into_iter()
            .flat_map(|o| o.keys())
            .map(String::as_str)
            .filter(|k| *k != "name")
            .collect();
        match sources.as_slice() {
            [] => v.required(
                "a volume source",
                "give the volume one source, such as emptyDir = {}, configMap = { name = ... } \
                or persistentVolumeClaim = { claimName = ... }",
            ),
            [_] => {}
            [_, second, ..] => {
                let second = static_name(second);
                v.field(second, |v| {
                    v.conflict(
                        "a volume has one source",
                        format!("a second source beside `{}`", sources[0]),
                        "write a volume for each source",
                    )
                })
            }
        }
        sources_of(v, self);
    }
}

/// The API name of a volume source, as a static string (for paths).
fn static_name(name: &str) -> &'static str {
    const SOURCES: &[&str] = &[
        "awsElasticBlockStore",
        "azureDisk",
        "azureFile",
        "cephfs",
        "cinder",
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "fc",
        "flexVolume",
        "flocker",
        "gcePersistentDisk",
        "gitRepo",
        "glusterfs",
        "hostPath",
        "image",
        "iscsi",
        "nfs",
        "persistentVolumeClaim",
        "photonPersistentDisk",
        "portworxVolume",
        "projected",
        "quobyte",
        "rbd",
        "scaleIO",
        "secret",
        "storageos",
        "vsphereVolume",
    ];
    SOURCES.iter().find(|s| **s == name).copied().unwrap_or("")
}

fn sources_of(v: &mut Validator, volume: &core::Volume) {
    if let Some(empty_dir) = &volume.empty_dir {
        v.field("emptyDir", |v| {
            if let Some(medium) = &empty_dir.medium {
                v.field("medium", |v| {
                    if !medium.is_empty() && !medium.starts_with("HugePages-") {
                        v.one_of("storage medium", medium, MEDIUMS);
                    }
                });
            }
            if let Some(size) = &empty_dir.size_limit
                && Value::of(&size.0).is_some_and(|s| s.is_negative())
            {
                v.report_field(
                    "sizeLimit",
                    Problem::Quantity {
                        resource: "sizeLimit".into(),
                        value: size.0.clone(),
                        rule: QuantityRule::Negative,
                    },
                );
            }
        });
    }
    if let Some(host_path) = &volume.host_path {
        v.field("hostPath", |v| {
            v.field("path", |v| v.absolute_path("host path", &host_path.path));
            let kind = host_path.type_.as_ref().filter(|t| !t.is_empty());
            v.enum_field("type", "hostPath type", kind, HOST_PATH_TYPES);
        });
    }
    if let Some(secret) = &volume.secret {
        v.field("secret", |v| {
            if secret.secret_name.as_deref().is_none_or(str::is_empty) {
                v.required("the Secret's name", "name the Secret: secretName = \"...\"");
            }
            v.field("defaultMode", |v| {
                file_mode(v, "file mode", secret.default_mode)
            });
            v.items("items", secret.items.as_ref(), |v, _, item| {
                key_to_path(v, item)
            });
        });
    }
    if let Some(config_map) = &volume.config_map {
        v.field("configMap", |v| {
            if config_map.name.is_empty() {
                v.required("the ConfigMap's name", "name the ConfigMap: name = \"...\"");
            }
            v.field("defaultMode", |v| {
                file_mode(v, "file mode", config_map.default_mode)
            });
            v.items("items", config_map.items.as_ref(), |v, _, item| {
                key_to_path(v, item)
            });
        });
    }
    if let Some(downward) = &volume.downward_api {
        v.field("downwardAPI", |v| {
            v.field("defaultMode", |v| {
                file_mode(v, "file mode", downward.default_mode)
            });
            v.items("items", downward.items.as_ref(), |v, _, file| {
                downward_file(v, file)
            });
        });
    }
    if let Some(projected) = &volume.projected {
        v.field("projected", |v| projected_source(v, projected));
    }
    if let Some(claim) = &volume.persistent_volume_claim
        && claim.claim_name.is_empty()
    {
        v.field("persistentVolumeClaim", |v| {
            v.required("the claim's name", "name the claim: claimName = \"...\"")
        });
    }
    if let Some(nfs) = &volume.nfs {
        v.field("nfs", |v| {
            if nfs.server.is_empty() {
                v.required("the NFS server", "server = \"nfs.example.com\"");
            }
            v.field("path", |v| v.absolute_path("NFS path", &nfs.path));
        });
    }
    if let Some(csi) = &volume.csi {
        v.field("csi", |v| {
            v.field("driver", |v| {
                if csi.driver.is_empty() {
                    v.required("the CSI driver", "driver = \"csi.example.com\"");
                } else {
                    v.name(
                        "CSI driver",
                        &csi.driver.to_lowercase(),
                        NameRule::DnsSubdomain,
                        |d| {
                            names::dns_subdomain(d).and_then(|()| match d.len() {
                                0..=63 => Ok(()),
                                n => Err(format!("{n} characters; at most 63 are allowed")),
                            })
                        },
                    );
                }
            })
        });
    }
    if let Some(image) = &volume.image {
        v.field("image", |v| {
            if image.reference.as_deref().is_none_or(str::is_empty) {
                v.required("the image reference", "reference = \"repository:tag\"");
            }
            v.enum_field(
                "pullPolicy",
                "image pull policy",
                image.pull_policy.as_ref(),
                PULL_POLICIES,
            );
        });
    }
    if let Some(ephemeral) = &volume.ephemeral {
        v.field("ephemeral", |v| match &ephemeral.volume_claim_template {
            None => v.required(
                "the claim template",
                "volumeClaimTemplate = { spec = { accessModes = [...], resources = ... } }",
            ),
            Some(template) => v.field("volumeClaimTemplate", |v| claim_template(v, template)),
        });
    }
}

/// An item of a Secret or ConfigMap: its key, relative path and mode.
fn key_to_path(v: &mut Validator, item: &core::KeyToPath) {
    if item.key.is_empty() {
        v.report_field(
            "key",
            Problem::Required {
                what: "the item's key".into(),
                help: "name the key to project".into(),
            },
        );
    }
    v.field("path", |v| local_file(v, &item.path));
    v.field("mode", |v| file_mode(v, "file mode", item.mode));
}

/// A file inside the volume: non-empty, relative, no `..`.
fn local_file(v: &mut Validator, path: &str) {
    if path.is_empty() {
        v.required(
            "the file's path",
            "a path inside the volume, such as config.yaml",
        );
    } else {
        v.relative_path("file path", path);
    }
}

fn downward_file(v: &mut Validator, file: &core::DownwardAPIVolumeFile) {
    v.field("path", |v| local_file(v, &file.path));
    match (&file.field_ref, &file.resource_field_ref) {
        (Some(field), None) => v.field("fieldRef", |v| {
            v.field("fieldPath", |v| {
                field_path(v, &field.field_path, VOLUME_FIELD_PATHS)
            })
        }),
        (None, Some(_)) => {}
        (Some(_), Some(_)) => v.conflict(
            "a downward API file reads one field",
            "both fieldRef and resourceFieldRef",
            "keep one of them",
        ),
        (None, None) => v.required("the field to project", "give fieldRef or resourceFieldRef"),
    }
    v.field("mode", |v| file_mode(v, "file mode", file.mode));
}

fn projected_source(v: &mut Validator, projected: &core::ProjectedVolumeSource) {
    v.field("defaultMode", |v| {
        file_mode(v, "file mode", projected.default_mode)
    });
    let mut paths: HashMap<String, Vec<Step>> = HashMap::new();
    v.items("sources", projected.sources.as_ref(), |v, _, source| {
        let kinds = [
            ("secret", source.secret.is_some()),
            ("configMap", source.config_map.is_some()),
            ("downwardAPI", source.downward_api.is_some()),
            (
                "serviceAccountToken",
                source.service_account_token.is_some(),
            ),
            ("clusterTrustBundle", source.cluster_trust_bundle.is_some()),
            ("podCertificate", source.pod_certificate.is_some()),
        ];
        let set: Vec<&'static str> = kinds.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
        if let [_, second, ..] = set.as_slice() {
            v.field(second, |v| {
                v.conflict(
                    "a projected source projects one kind of data",
                    format!("a second kind beside `{}`", set[0]),
                    "write a source for each",
                )
            });
        }
        let mut unique = |v: &mut Validator, path: &str| {
            if path.is_empty() {
                return;
            }
            match paths.get(path) {
                Some(first) => v.report_related(
                    Problem::Duplicate {
                        what: "projected path",
                        value: path.to_string(),
                    },
                    first.clone(),
                ),
                None => {
                    paths.insert(path.to_string(), v.sibling(0, &[]));
                }
            }
        };
        if let Some(secret) = &source.secret {
            v.field("secret", |v| {
                v.items("items", secret.items.as_ref(), |v, _, item| {
                    key_to_path(v, item);
                    v.field("path", |v| unique(v, &item.path));
                })
            });
        }
        if let Some(config_map) = &source.config_map {
            v.field("configMap", |v| {
                v.items("items", config_map.items.as_ref(), |v, _, item| {
                    key_to_path(v, item);
                    v.field("path", |v| unique(v, &item.path));
                })
            });
        }
        if let Some(downward) = &source.downward_api {
            v.field("downwardAPI", |v| {
                v.items("items", downward.items.as_ref(), |v, _, file| {
                    downward_file(v, file);
                    v.field("path", |v| unique(v, &file.path));
                })
            });
        }
        if let Some(token) = &source.service_account_token {
            v.field("serviceAccountToken", |v| {
                if let Some(seconds) = token.expiration_seconds {
                    v.field("expirationSeconds", |v| {
                        v.range("token lifetime in seconds", seconds, 600, 1 << 32)
                    });
                }
                v.field("path", |v| {
                    local_file(v, &token.path);
                    unique(v, &token.path);
                });
            });
        }
    });
}

/// The claim of an ephemeral volume: labels and annotations only in its
/// metadata, and a valid claim spec.
fn claim_template(v: &mut Validator, template: &core::PersistentVolumeClaimTemplate) {
    if let Some(meta) = &template.metadata {
        v.field("metadata", |v| metadata::template_metadata(v, meta));
    }
    v.field("spec", |v| template.spec.validate(v));
}

impl Validate for core::PersistentVolumeClaimSpec {
    fn validate(&self, v: &mut Validator) {
        let modes = self.access_modes.as_deref().unwrap_or_default();
        if modes.is_empty() {
            v.required("an access mode", "accessModes = [\"ReadWriteOnce\"]");
        }
        v.items("accessModes", self.access_modes.as_ref(), |v, _, mode| {
            v.one_of("access mode", mode, ACCESS_MODES)
        });
        if modes.iter().any(|m| m == "ReadWriteOncePod") && modes.len() > 1 {
            v.field("accessModes", |v| {
                v.conflict(
                    "ReadWriteOncePod is the only access mode of its claim",
                    "beside other access modes",
                    "keep ReadWriteOncePod alone, or remove it",
                )
            });
        }
        storage_request(v, self);
        for (field, value) in [
            ("storageClassName", &self.storage_class_name),
            (
                "volumeAttributesClassName",
                &self.volume_attributes_class_name,
            ),
        ] {
            if let Some(name) = value.as_deref().filter(|n| !n.is_empty()) {
                v.field(field, |v| {
                    v.name("class", name, NameRule::DnsSubdomain, names::dns_subdomain)
                });
            }
        }
        v.enum_field(
            "volumeMode",
            "volume mode",
            self.volume_mode.as_ref(),
            VOLUME_MODES,
        );
        if let Some(selector) = &self.selector {
            v.field("selector", |v| {
                super::scheduling::label_selector(v, selector)
            });
        }
        if let Some(source) = &self.data_source {
            v.field("dataSource", |v| {
                let has_group = source.api_group.as_deref().is_some_and(|g| !g.is_empty());
                data_source(v, &source.name, &source.kind, has_group)
            });
        }
    }
}

/// `resources.requests.storage`: given and more than zero.
fn storage_request(v: &mut Validator, spec: &core::PersistentVolumeClaimSpec) {
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"));
    match storage {
        None => v.required(
            "the claim's size",
            "resources = { requests = { storage = \"10Gi\" } }",
        ),
        Some(size) if Value::of(&size.0).is_some_and(|s| s.is_negative() || s.is_zero()) => v
            .field("resources", |v| {
                v.field("requests", |v| {
                    v.key("storage", |v| {
                        v.report(Problem::Quantity {
                            resource: "storage".into(),
                            value: size.0.clone(),
                            rule: QuantityRule::NotPositive,
                        })
                    })
                })
            }),
        Some(_) => {}
    }
}

fn data_source(v: &mut Validator, name: &str, kind: &str, has_group: bool) {
    if name.is_empty() {
        v.report_field(
            "name",
            Problem::Required {
                what: "the data source's name".into(),
                help: "name the claim or snapshot to copy".into(),
            },
        );
    }
    if kind.is_empty() {
        v.report_field(
            "kind",
            Problem::Required {
                what: "the data source's kind".into(),
                help: "kind = \"PersistentVolumeClaim\", or a kind with its apiGroup".into(),
            },
        );
    } else if !has_group && kind != "PersistentVolumeClaim" {
        v.field("kind", |v| {
            v.conflict(
                "a data source without an apiGroup is a PersistentVolumeClaim",
                "another kind without apiGroup",
                "add its apiGroup, such as snapshot.storage.k8s.io for a VolumeSnapshot",
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{PathRule, validate};
    use super::*;

    fn volume(json: serde_json::Value) -> core::Volume {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn one_source_and_its_fields() {
        assert_eq!(
            validate(&volume(serde_json::json!({ "name": "a", "emptyDir": {} }))),
            []
        );
        let none = validate(&volume(serde_json::json!({ "name": "a" })));
        assert!(matches!(&none[0].problem, Problem::Required { .. }));
        let two = validate(&volume(serde_json::json!({
            "name": "a", "emptyDir": {}, "hostPath": { "path": "/x" } })));
        assert_eq!(two[0].path, [Step::Field("hostPath")]);
        let bad = validate(&volume(serde_json::json!({
            "name": "Data", "hostPath": { "path": "mnt/x", "type": "Dir" } })));
        assert_eq!(bad.len(), 3, "{bad:#?}");
        assert!(matches!(
            &bad[1].problem,
            Problem::Path {
                rule: PathRule::MustBeAbsolute,
                ..
            }
        ));
    }

    #[test]
    fn modes_items_and_claims() {
        let found = validate(&volume(serde_json::json!({
            "name": "cfg",
            "configMap": { "name": "c", "defaultMode": 755,
                           "items": [{ "key": "a", "path": "../a" }] },
        })));
        assert_eq!(found.len(), 2, "{found:#?}");
        let found = validate(&volume(serde_json::json!({
            "name": "scratch",
            "ephemeral": {
                "volumeClaimTemplate": { "spec": { "accessModes": ["ReadWriteOnce"] } }
            },
        })));
        assert!(
            matches!(&found[0].problem, Problem::Required { what, .. } if what.contains("size"))
        );
    }
}
