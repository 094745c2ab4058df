//! Security contexts of containers and pods (validation.go:
//! `ValidateSecurityContext`, `validatePodSpecSecurityContext`, seccomp
//! and AppArmor profiles, sysctls). Windows options are not checked: the
//! chart's pods are Linux pods.

use super::{NameRule, Problem, Step, Validate, Validator};
use crate::kube::enums::{FS_GROUP_CHANGE_POLICIES, PROFILE_TYPES};
use crate::kube::names;
use k8s_openapi::api::core::v1 as core;
use std::collections::HashMap;

const PROC_MOUNTS: &[&str] = &["Default", "Unmasked"];
const SUPPLEMENTAL_GROUPS_POLICIES: &[&str] = &["Merge", "Strict"];
const SELINUX_CHANGE_POLICIES: &[&str] = &["Recursive", "MountOption"];
/// User and group ids: 0 to 2^31 - 1 (`IsValidUserID`, `IsValidGroupID`).
const MAX_ID: i64 = i32::MAX as i64;

impl Validate for core::SecurityContext {
    fn validate(&self, v: &mut Validator) {
        id(v, "runAsUser", "user id", self.run_as_user);
        id(v, "runAsGroup", "group id", self.run_as_group);
        if let Some(proc_mount) = &self.proc_mount {
            v.field("procMount", |v| {
                v.one_of("proc mount", proc_mount, PROC_MOUNTS);
                if proc_mount == "Unmasked" {
                    v.conflict(
                        "an `Unmasked` proc mount needs a pod with hostUsers = false",
                        "the chart's pods share the host's users",
                        "remove procMount",
                    );
                }
            });
        }
        profiles(
            v,
            self.seccomp_profile.as_ref(),
            self.app_armor_profile.as_ref(),
        );
        if self.allow_privilege_escalation == Some(false) {
            if self.privileged == Some(true) {
                v.field("allowPrivilegeEscalation", |v| {
                    v.conflict(
                        "a privileged container always allows privilege escalation",
                        "allowPrivilegeEscalation = false beside privileged = true",
                        "remove one of them",
                    )
                });
            }
            let sys_admin = self
                .capabilities
                .as_ref()
                .and_then(|c| c.add.as_ref())
                .is_some_and(|add| add.iter().any(|c| c == "CAP_SYS_ADMIN"));
            if sys_admin {
                v.field("allowPrivilegeEscalation", |v| {
                    v.conflict(
                        "CAP_SYS_ADMIN allows privilege escalation",
                        "allowPrivilegeEscalation = false beside CAP_SYS_ADMIN",
                        "remove one of them",
                    )
                });
            }
        }
    }
}

impl Validate for core::PodSecurityContext {
    fn validate(&self, v: &mut Validator) {
        id(v, "fsGroup", "group id", self.fs_group);
        id(v, "runAsUser", "user id", self.run_as_user);
        id(v, "runAsGroup", "group id", self.run_as_group);
        v.items(
            "supplementalGroups",
            self.supplemental_groups.as_ref(),
            |v, _, g| v.range("group id", *g, 0, MAX_ID),
        );
        v.enum_field(
            "fsGroupChangePolicy",
            "fsGroup change policy",
            self.fs_group_change_policy.as_ref(),
            FS_GROUP_CHANGE_POLICIES,
        );
        v.enum_field(
            "supplementalGroupsPolicy",
            "supplemental groups policy",
            self.supplemental_groups_policy.as_ref(),
            SUPPLEMENTAL_GROUPS_POLICIES,
        );
        v.enum_field(
            "seLinuxChangePolicy",
            "SELinux change policy",
            self.se_linux_change_policy.as_ref(),
            SELINUX_CHANGE_POLICIES,
        );
        profiles(
            v,
            self.seccomp_profile.as_ref(),
            self.app_armor_profile.as_ref(),
        );
        let mut seen: HashMap<&str, usize> = HashMap::new();
        v.items("sysctls", self.sysctls.as_ref(), |v, i, sysctl| {
            v.field("name", |v| {
                if sysctl.name.is_empty() {
                    v.required("a sysctl's name", "name the kernel parameter");
                    return;
                }
                v.name("sysctl", &sysctl.name, NameRule::Sysctl, names::sysctl_name);
                if let Some(&first) = seen.get(sysctl.name.as_str()) {
                    let first = v.sibling(2, &[Step::Index(first), Step::Field("name")]);
                    let value = sysctl.name.clone();
                    v.report_related(
                        Problem::Duplicate {
                            what: "sysctl",
                            value,
                        },
                        first,
                    );
                } else {
                    seen.insert(&sysctl.name, i);
                }
            })
        });
    }
}

fn id(v: &mut Validator, field: &'static str, what: &'static str, value: Option<i64>) {
    if let Some(value) = value {
        v.field(field, |v| v.range(what, value, 0, MAX_ID));
    }
}

/// A seccomp or AppArmor profile: its type and localhost profile.
struct Profile<'a> {
    kind: &'a str,
    localhost: Option<&'a str>,
}

fn seccomp(p: &core::SeccompProfile) -> Profile<'_> {
    Profile {
        kind: &p.type_,
        localhost: p.localhost_profile.as_deref(),
    }
}

fn app_armor(p: &core::AppArmorProfile) -> Profile<'_> {
    Profile {
        kind: &p.type_,
        localhost: p.localhost_profile.as_deref(),
    }
}

/// The seccomp and AppArmor profiles a pod or a container may set.
fn profiles(
    v: &mut Validator,
    seccomp_profile: Option<&core::SeccompProfile>,
    app_armor_profile: Option<&core::AppArmorProfile>,
) {
    profile(v, "seccompProfile", "seccomp", seccomp_profile.map(seccomp));
    profile(
        v,
        "appArmorProfile",
        "AppArmor",
        app_armor_profile.map(app_armor),
    );
}

fn profile(v: &mut Validator, field: &'static str, what: &'static str, p: Option<Profile>) {
    let Some(p) = p else { return };
    v.field(field, |v| {
        v.field("type", |v| v.one_of("profile type", p.kind, PROFILE_TYPES));
        match (p.kind == "Localhost", p.localhost) {
            (true, None) | (true, Some("")) => v.required(
                format!("the {what} profile's localhostProfile"),
                "a Localhost profile names its file on the node: localhostProfile = \"...\"",
            ),
            (true, Some(file)) => v.field("localhostProfile", |v| {
                if file.trim() != file {
                    v.conflict(
                        "a localhostProfile has no surrounding whitespace",
                        "starts or ends with whitespace",
                        "remove the whitespace",
                    );
                } else {
                    v.relative_path("localhostProfile", file);
                }
            }),
            (false, Some(_)) => v.field("localhostProfile", |v| {
                v.conflict(
                    "only a Localhost profile has a localhostProfile",
                    format!("the type is {}", p.kind),
                    "remove localhostProfile, or set type = \"Localhost\"",
                )
            }),
            (false, None) => {}
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::validate;
    use super::*;

    #[test]
    fn ids_profiles_and_escalation() {
        let context: core::SecurityContext = serde_json::from_value(serde_json::json!({
            "runAsUser": -1,
            "privileged": true,
            "allowPrivilegeEscalation": false,
            "seccompProfile": { "type": "Localhost" },
            "appArmorProfile": { "type": "RuntimeDefault", "localhostProfile": "x" },
        }))
        .unwrap();
        let found = validate(&context);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert_eq!(found[0].path, [Step::Field("runAsUser")]);
    }

    #[test]
    fn pod_contexts() {
        let context: core::PodSecurityContext = serde_json::from_value(serde_json::json!({
            "fsGroup": 2000,
            "fsGroupChangePolicy": "OnRootMissmatch",
            "sysctls": [{ "name": "net.core.somaxconn", "value": "1" },
                        { "name": "net.core.somaxconn", "value": "2" }],
        }))
        .unwrap();
        let found = validate(&context);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(matches!(&found[0].problem, Problem::NotSupported { .. }));
        assert!(matches!(&found[1].problem, Problem::Duplicate { .. }));
        let fine: core::PodSecurityContext =
            serde_json::from_value(serde_json::json!({ "fsGroup": 2000, "runAsNonRoot": true }))
                .unwrap();
        assert_eq!(validate(&fine), []);
    }
}
