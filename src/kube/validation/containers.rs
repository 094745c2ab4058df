//! Containers and their parts (validation.go: `validateContainerCommon`,
//! `validateContainers`, `validateContainerPorts`, `ValidateEnv`,
//! `ValidateEnvFrom`, `ValidateVolumeMounts`, probes and lifecycle
//! handlers).

use super::{NameRule, Problem, Step, Validate, Validator};
use crate::kube::enums::{PROPAGATIONS, PROTOCOLS, PULL_POLICIES, TERMINATION_MESSAGE_POLICIES};
use crate::kube::names;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::HashMap;

const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];
const RECURSIVE_READ_ONLY: &[&str] = &["Disabled", "IfPossible", "Enabled"];
const HTTP_SCHEMES: &[&str] = &["HTTP", "HTTPS"];
/// The pod fields a variable can read (`validEnvDownwardAPIFieldPathExpressions`).
pub const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
/// The container resources a variable can read.
const ENV_RESOURCES: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

impl Validate for core::Container {
    fn validate(&self, v: &mut Validator) {
        v.field("name", |v| {
            if self.name.is_empty() {
                v.required("a container's name", "name it: name = \"sidecar\"");
            } else {
                v.name(
                    "container",
                    &self.name,
                    NameRule::DnsLabel,
                    names::dns1123_label,
                );
            }
        });
        if self.image.as_deref().is_none_or(str::is_empty) {
            v.report_field(
                "image",
                Problem::Required {
                    what: "a container's image".into(),
                    help: "add `image = \"repository:tag\"`".into(),
                },
            );
        }
        v.enum_field(
            "imagePullPolicy",
            "image pull policy",
            self.image_pull_policy.as_ref(),
            PULL_POLICIES,
        );
        v.enum_field(
            "terminationMessagePolicy",
            "termination message policy",
            self.termination_message_policy.as_ref(),
            TERMINATION_MESSAGE_POLICIES,
        );
        v.enum_field(
            "restartPolicy",
            "container restart policy",
            self.restart_policy.as_ref(),
            RESTART_POLICIES,
        );
        ports(v, self.ports.as_ref());
        v.items("env", self.env.as_ref(), |v, _, var| var.validate(v));
        v.items("envFrom", self.env_from.as_ref(), |v, _, from| {
            from.validate(v)
        });
        let privileged = self
            .security_context
            .as_ref()
            .and_then(|s| s.privileged)
            .unwrap_or(false);
        mounts(v, self.volume_mounts.as_ref(), privileged);
        if let Some(resources) = &self.resources {
            v.field("resources", |v| resources.validate(v));
        }
        if let Some(context) = &self.security_context {
            v.field("securityContext", |v| context.validate(v));
        }
        probe(v, "livenessProbe", self.liveness_probe.as_ref(), true);
        probe(v, "readinessProbe", self.readiness_probe.as_ref(), false);
        probe(v, "startupProbe", self.startup_probe.as_ref(), true);
        if let Some(lifecycle) = &self.lifecycle {
            v.field("lifecycle", |v| {
                for (name, handler) in [
                    ("postStart", &lifecycle.post_start),
                    ("preStop", &lifecycle.pre_stop),
                ] {
                    if let Some(handler) = handler {
                        v.field(name, |v| lifecycle_handler(v, handler));
                    }
                }
            });
        }
    }
}

/// A container's ports: names, numbers, protocols; names unique.
fn ports(v: &mut Validator, ports: Option<&Vec<core::ContainerPort>>) {
    let mut named: HashMap<&str, usize> = HashMap::new();
    v.items("ports", ports, |v, i, port| {
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            v.field("name", |v| {
                if let Err(reason) = names::port_name(name) {
                    v.report(Problem::Name {
                        what: "port",
                        name: name.to_string(),
                        rule: NameRule::PortName,
                        reason,
                    });
                } else if let Some(&first) = named.get(name) {
                    let first = v.sibling(2, &[Step::Index(first), Step::Field("name")]);
                    let value = name.to_string();
                    v.report_related(
                        Problem::Duplicate {
                            what: "port name",
                            value,
                        },
                        first,
                    );
                } else {
                    named.insert(name, i);
                }
            });
        }
        v.field("containerPort", |v| {
            v.range("container port", i64::from(port.container_port), 1, 65535)
        });
        if let Some(host_port) = port.host_port {
            v.field("hostPort", |v| {
                v.range("host port", i64::from(host_port), 0, 65535)
            });
        }
        v.enum_field("protocol", "protocol", port.protocol.as_ref(), PROTOCOLS);
    });
}

/// A container's mounts; each path mounted once.
fn mounts(v: &mut Validator, mounts: Option<&Vec<core::VolumeMount>>, privileged: bool) {
    let mut paths: HashMap<&str, usize> = HashMap::new();
    v.items("volumeMounts", mounts, |v, i, mount| {
        mount.validate(v);
        if mount.mount_propagation.as_deref() == Some("Bidirectional") && !privileged {
            v.field("mountPropagation", |v| {
                v.conflict(
                    "Bidirectional mount propagation needs a privileged container",
                    "the container is not privileged",
                    "use HostToContainer, or set securityContext.privileged = true",
                )
            });
        }
        if mount.mount_path.is_empty() {
            return;
        }
        match paths.get(mount.mount_path.as_str()) {
            Some(&first) => {
                let first = v.sibling(1, &[Step::Index(first), Step::Field("mountPath")]);
                let value = mount.mount_path.clone();
                v.field("mountPath", |v| {
                    v.report_related(
                        Problem::Duplicate {
                            what: "mount path",
                            value,
                        },
                        first,
                    )
                });
            }
            None => {
                paths.insert(&mount.mount_path, i);
            }
        }
    });
}

impl Validate for core::VolumeMount {
    fn validate(&self, v: &mut Validator) {
        if self.name.is_empty() {
            v.report_field(
                "name",
                Problem::Required {
                    what: "the mounted volume's name".into(),
                    help: "name one of the pod's volumes".into(),
                },
            );
        }
        v.field("mountPath", |v| {
            v.absolute_path("mount path", &self.mount_path)
        });
        let sub_path = self.sub_path.as_deref().filter(|s| !s.is_empty());
        let sub_path_expr = self.sub_path_expr.as_deref().filter(|s| !s.is_empty());
        if let Some(sub_path) = sub_path {
            v.field("subPath", |v| v.relative_path("subPath", sub_path));
        }
        if let Some(expr) = sub_path_expr {
            v.field("subPathExpr", |v| {
                if sub_path.is_some() {
                    v.conflict(
                        "`subPath` and `subPathExpr` exclude each other",
                        "set together with subPath",
                        "keep one of them",
                    );
                }
                v.relative_path("subPathExpr", expr);
            });
        }
        v.enum_field(
            "mountPropagation",
            "mount propagation",
            self.mount_propagation.as_ref(),
            PROPAGATIONS,
        );
        v.enum_field(
            "recursiveReadOnly",
            "recursive read-only mode",
            self.recursive_read_only.as_ref(),
            RECURSIVE_READ_ONLY,
        );
        let recursive = matches!(
            self.recursive_read_only.as_deref(),
            Some("IfPossible" | "Enabled")
        );
        if recursive && self.read_only != Some(true) {
            v.field("recursiveReadOnly", |v| {
                v.conflict(
                    "a recursive read-only mount must be read-only",
                    "readOnly is not true",
                    "add `readOnly = true`",
                )
            });
        }
        if recursive
            && self
                .mount_propagation
                .as_deref()
                .is_some_and(|p| p != "None")
        {
            v.field("recursiveReadOnly", |v| {
                v.conflict(
                    "a recursive read-only mount cannot propagate mounts",
                    "mountPropagation is not None",
                    "remove mountPropagation, or set it to None",
                )
            });
        }
    }
}

impl Validate for core::EnvVar {
    fn validate(&self, v: &mut Validator) {
        v.field("name", |v| {
            if self.name.is_empty() {
                v.required("a variable's name", "name it: name = \"MY_VARIABLE\"");
            } else {
                v.name("variable", &self.name, NameRule::EnvVar, names::env_name);
            }
        });
        let Some(from) = &self.value_from else { return };
        v.field("valueFrom", |v| value_from(v, from, self.value.is_some()));
    }
}

fn value_from(v: &mut Validator, from: &core::EnvVarSource, has_value: bool) {
    let sources = [
        from.field_ref.is_some(),
        from.resource_field_ref.is_some(),
        from.config_map_key_ref.is_some(),
        from.secret_key_ref.is_some(),
        from.file_key_ref.is_some(),
    ]
    .into_iter()
    .filter(|s| *s)
    .count();
    match sources {
        0 => v.required(
            "a source for valueFrom",
            "name one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef or fileKeyRef",
        ),
        _ if has_value => v.conflict(
            "a variable has a `value` or a `valueFrom`, not both",
            "valueFrom beside a value",
            "remove one of them",
        ),
        1 => {}
        _ => v.conflict(
            "`valueFrom` reads from one source",
            "more than one source",
            "keep one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef, fileKeyRef",
        ),
    }
    if let Some(field) = &from.field_ref {
        v.field("fieldRef", |v| {
            v.field("fieldPath", |v| {
                field_path(v, &field.field_path, ENV_FIELD_PATHS)
            })
        });
    }
    if let Some(resource) = &from.resource_field_ref {
        v.field("resourceFieldRef", |v| {
            v.field("resource", |v| {
                let hugepages = ["requests.hugepages-", "limits.hugepages-"]
                    .iter()
                    .any(|p| resource.resource.starts_with(p));
                if !hugepages {
                    v.one_of("container resource", &resource.resource, ENV_RESOURCES);
                }
            })
        });
    }
    if let Some(key) = &from.config_map_key_ref {
        v.field("configMapKeyRef", |v| {
            key_selector(v, "ConfigMap", &key.name, &key.key)
        });
    }
    if let Some(key) = &from.secret_key_ref {
        v.field("secretKeyRef", |v| {
            key_selector(v, "Secret", &key.name, &key.key)
        });
    }
}

/// A downward API field path: one of `paths`, or a label or annotation.
pub(super) fn field_path(v: &mut Validator, path: &str, paths: &'static [&'static str]) {
    for subscripted in ["metadata.labels['", "metadata.annotations['"] {
        if let Some(key) = path
            .strip_prefix(subscripted)
            .and_then(|rest| rest.strip_suffix("']"))
        {
            if let Err(reason) = names::label_key(&key.to_lowercase()) {
                v.report(Problem::LabelKey { reason });
            }
            return;
        }
    }
    v.one_of("field path", path, paths);
}

/// A key of a named ConfigMap or Secret.
fn key_selector(v: &mut Validator, kind: &'static str, name: &str, key: &str) {
    v.field("name", |v| {
        if name.is_empty() {
            v.required(
                format!("the {kind}'s name"),
                format!("name the {kind} to read"),
            );
        } else {
            v.name(kind, name, NameRule::DnsSubdomain, names::dns_subdomain);
        }
    });
    v.field("key", |v| {
        if key.is_empty() {
            v.required(format!("the {kind}'s key"), "name the key to read");
        } else {
            v.name("key", key, NameRule::ConfigMapKey, names::config_map_key);
        }
    });
}

impl Validate for core::EnvFromSource {
    fn validate(&self, v: &mut Validator) {
        if let Some(prefix) = self.prefix.as_deref().filter(|p| !p.is_empty()) {
            v.field("prefix", |v| {
                v.name("variable prefix", prefix, NameRule::EnvVar, names::env_name)
            });
        }
        let refs = [
            (
                "configMapRef",
                "ConfigMap",
                self.config_map_ref.as_ref().map(|r| &r.name),
            ),
            (
                "secretRef",
                "Secret",
                self.secret_ref.as_ref().map(|r| &r.name),
            ),
        ];
        match refs.iter().filter(|(_, _, r)| r.is_some()).count() {
            0 => v.required(
                "a source for envFrom",
                "name a ConfigMap (configMapRef) or a Secret (secretRef)",
            ),
            1 => {}
            _ => v.conflict(
                "an `envFrom` entry reads one ConfigMap or one Secret",
                "both configMapRef and secretRef",
                "write two entries",
            ),
        }
        for (field, kind, name) in refs {
            let Some(name) = name else { continue };
            v.field(field, |v| {
                v.field("name", |v| {
                    if name.is_empty() {
                        v.required(format!("the {kind}'s name"), format!("name the {kind}"));
                    } else {
                        v.name(kind, name, NameRule::DnsSubdomain, names::dns_subdomain);
                    }
                })
            });
        }
    }
}

/// A probe: one handler, non-negative numbers, and the thresholds each
/// kind of probe allows.
fn probe(v: &mut Validator, name: &'static str, probe: Option<&core::Probe>, success_one: bool) {
    let Some(probe) = probe else { return };
    v.field(name, |v| {
        let handlers = [
            ("exec", probe.exec.is_some()),
            ("httpGet", probe.http_get.is_some()),
            ("tcpSocket", probe.tcp_socket.is_some()),
            ("grpc", probe.grpc.is_some()),
        ];
        one_handler(v, &handlers, "exec, httpGet, tcpSocket or grpc");
        handler_parts(
            v,
            probe.exec.as_ref(),
            probe.http_get.as_ref(),
            probe.tcp_socket.as_ref(),
        );
        if let Some(grpc) = &probe.grpc {
            v.field("grpc", |v| {
                v.field("port", |v| v.range("port", i64::from(grpc.port), 1, 65535))
            });
        }
        for (field, value) in [
            ("initialDelaySeconds", probe.initial_delay_seconds),
            ("timeoutSeconds", probe.timeout_seconds),
            ("periodSeconds", probe.period_seconds),
            ("successThreshold", probe.success_threshold),
            ("failureThreshold", probe.failure_threshold),
        ] {
            if let Some(value) = value {
                v.field(field, |v| v.range(field, i64::from(value), 0, i64::MAX));
            }
        }
        if success_one && probe.success_threshold.is_some_and(|t| t != 1) {
            v.field("successThreshold", |v| {
                v.conflict(
                    format!("a {name}'s successThreshold must be 1"),
                    "only readiness probes count successes",
                    "remove successThreshold, or set it to 1",
                )
            });
        }
        if let Some(grace) = probe.termination_grace_period_seconds {
            v.field("terminationGracePeriodSeconds", |v| {
                if !success_one {
                    v.conflict(
                        "a readiness probe has no terminationGracePeriodSeconds",
                        "set on a readiness probe",
                        "remove it",
                    );
                } else {
                    v.range("terminationGracePeriodSeconds", grace, 1, i64::MAX);
                }
            });
        }
    });
}

fn lifecycle_handler(v: &mut Validator, handler: &core::LifecycleHandler) {
    let handlers = [
        ("exec", handler.exec.is_some()),
        ("httpGet", handler.http_get.is_some()),
        ("tcpSocket", handler.tcp_socket.is_some()),
        ("sleep", handler.sleep.is_some()),
    ];
    one_handler(v, &handlers, "exec, httpGet, tcpSocket or sleep");
    handler_parts(
        v,
        handler.exec.as_ref(),
        handler.http_get.as_ref(),
        handler.tcp_socket.as_ref(),
    );
    if let Some(sleep) = &handler.sleep {
        v.field("sleep", |v| {
            v.field("seconds", |v| {
                v.range("sleep seconds", sleep.seconds, 0, i64::MAX)
            })
        });
    }
}

fn one_handler(v: &mut Validator, handlers: &[(&'static str, bool)], choices: &str) {
    let set: Vec<&str> = handlers
        .iter()
        .filter(|(_, s)| *s)
        .map(|(n, _)| *n)
        .collect();
    match set.as_slice() {
        [] => v.required("a handler", format!("give it one of {choices}")),
        [_] => {}
        [_, second, ..] => v.field(second, |v| {
            v.conflict(
                "a probe or hook has one handler",
                "a second handler",
                format!("keep one of {}", set.join(", ")),
            )
        }),
    }
}

fn handler_parts(
    v: &mut Validator,
    exec: Option<&core::ExecAction>,
    http: Option<&core::HTTPGetAction>,
    tcp: Option<&core::TCPSocketAction>,
) {
    if exec.is_some_and(|e| e.command.as_ref().is_none_or(Vec::is_empty)) {
        v.field("exec", |v| {
            v.required(
                "the command to run",
                "command = [\"/bin/sh\", \"-c\", \"...\"]",
            )
        });
    }
    if let Some(http) = http {
        v.field("httpGet", |v| {
            v.field("port", |v| port_number_or_name(v, &http.port));
            v.enum_field("scheme", "HTTP scheme", http.scheme.as_ref(), HTTP_SCHEMES);
        });
    }
    if let Some(tcp) = tcp {
        v.field("tcpSocket", |v| {
            v.field("port", |v| port_number_or_name(v, &tcp.port))
        });
    }
}

fn port_number_or_name(v: &mut Validator, port: &IntOrString) {
    match port {
        IntOrString::Int(n) => v.range("port", i64::from(*n), 1, 65535),
        IntOrString::String(name) => v.name("port", name, NameRule::PortName, names::port_name),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{PathRule, Step, validate};
    use super::*;

    fn container(json: serde_json::Value) -> core::Container {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_plain_sidecar_passes() {
        let c = container(serde_json::json!({
            "name": "sidecar", "image": "busybox",
            "ports": [{ "containerPort": 8080, "name": "http", "protocol": "TCP" }],
            "env": [{ "name": "A", "value": "1" }],
            "volumeMounts": [{ "name": "data", "mountPath": "/data" }],
        }));
        assert_eq!(validate(&c), []);
    }

    #[test]
    fn names_ports_and_protocols() {
        let c = container(serde_json::json!({
            "name": "My_App", "image": "x",
            "ports": [
                { "containerPort": 70000, "name": "web", "protocol": "TPC" },
                { "containerPort": 80, "name": "web" },
            ],
        }));
        let found = validate(&c);
        let problems: Vec<_> = found.iter().map(|f| (&f.path, &f.problem)).collect();
        assert!(matches!(
            problems[0].1,
            Problem::Name {
                what: "container",
                ..
            }
        ));
        assert!(found.iter().any(|f| f.path
            == [
                Step::Field("ports"),
                Step::Index(0),
                Step::Field("containerPort")
            ]));
        assert!(found.iter().any(|f| matches!(&f.problem,
            Problem::NotSupported { value, .. } if value == "TPC")));
        let duplicate = found
            .iter()
            .find(|f| matches!(f.problem, Problem::Duplicate { .. }))
            .expect("a duplicate port name");
        assert_eq!(
            duplicate.related.as_deref(),
            Some(&[Step::Field("ports"), Step::Index(0), Step::Field("name")][..])
        );
    }

    #[test]
    fn mounts_and_variables() {
        let c = container(serde_json::json!({
            "name": "a", "image": "x",
            "env": [{ "name": "A=B" }, { "name": "C", "value": "1",
                      "valueFrom": { "fieldRef": { "fieldPath": "metadata.nam" } } }],
            "volumeMounts": [
                { "name": "d", "mountPath": "data", "subPath": "../x" },
                { "name": "e", "mountPath": "/e" },
                { "name": "f", "mountPath": "/e", "mountPropagation": "Bidirectional" },
            ],
        }));
        let found = validate(&c);
        let has = |p: &dyn Fn(&Problem) -> bool| found.iter().any(|f| p(&f.problem));
        assert!(has(&|p| matches!(
            p,
            Problem::Name {
                rule: NameRule::EnvVar,
                ..
            }
        )));
        assert!(has(&|p| matches!(p, Problem::Conflict { .. })));
        assert!(has(
            &|p| matches!(p, Problem::NotSupported { value, .. } if value == "metadata.nam")
        ));
        assert!(has(&|p| matches!(
            p,
            Problem::Path {
                rule: PathRule::MustBeAbsolute,
                ..
            }
        )));
        assert!(has(&|p| matches!(
            p,
            Problem::Path {
                rule: PathRule::NoBacksteps,
                ..
            }
        )));
        assert!(has(&|p| matches!(
            p,
            Problem::Duplicate {
                what: "mount path",
                ..
            }
        )));
    }
}
