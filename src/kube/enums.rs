//! The values some Kubernetes string fields take, which the API's schemas
//! give only in prose: the validation rules check them, the editor
//! completes them (by the object's short type name and the field).

/// `imagePullPolicy`.
pub const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
/// A container port's `protocol`.
pub const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
pub const TERMINATION_MESSAGE_POLICIES: &[&str] = &["File", "FallbackToLogsOnError"];
/// A volume mount's `mountPropagation`.
pub const PROPAGATIONS: &[&str] = &["None", "HostToContainer", "Bidirectional"];
/// A toleration's or taint's `effect`.
pub const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
/// A label selector requirement's `operator`.
pub const SELECTOR_OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];
/// A node selector requirement's `operator`.
pub const NODE_OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];
pub const WHEN_UNSATISFIABLE: &[&str] = &["DoNotSchedule", "ScheduleAnyway"];
/// A topology spread constraint's `nodeAffinityPolicy` and `nodeTaintsPolicy`.
pub const INCLUSION_POLICIES: &[&str] = &["Honor", "Ignore"];
pub const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];
pub const VOLUME_MODES: &[&str] = &["Filesystem", "Block"];
/// A seccomp or AppArmor profile's `type`.
pub const PROFILE_TYPES: &[&str] = &["RuntimeDefault", "Unconfined", "Localhost"];
pub const FS_GROUP_CHANGE_POLICIES: &[&str] = &["OnRootMismatch", "Always"];

/// `(object, field, values)`.
pub const ENUMS: &[(&str, &str, &[&str])] = &[
    ("Toleration", "operator", &["Equal", "Exists"]),
    ("Toleration", "effect", EFFECTS),
    ("Container", "imagePullPolicy", PULL_POLICIES),
    (
        "Container",
        "terminationMessagePolicy",
        TERMINATION_MESSAGE_POLICIES,
    ),
    ("ContainerPort", "protocol", PROTOCOLS),
    (
        "TopologySpreadConstraint",
        "whenUnsatisfiable",
        WHEN_UNSATISFIABLE,
    ),
    (
        "TopologySpreadConstraint",
        "nodeAffinityPolicy",
        INCLUSION_POLICIES,
    ),
    (
        "TopologySpreadConstraint",
        "nodeTaintsPolicy",
        INCLUSION_POLICIES,
    ),
    ("NodeSelectorRequirement", "operator", NODE_OPERATORS),
    ("LabelSelectorRequirement", "operator", SELECTOR_OPERATORS),
    ("PersistentVolumeClaimSpec", "accessModes", ACCESS_MODES),
    ("PersistentVolumeClaimSpec", "volumeMode", VOLUME_MODES),
    (
        "HostPathVolumeSource",
        "type",
        &[
            "",
            "DirectoryOrCreate",
            "Directory",
            "FileOrCreate",
            "File",
            "Socket",
            "CharDevice",
            "BlockDevice",
        ],
    ),
    ("EmptyDirVolumeSource", "medium", &["", "Memory"]),
    ("SeccompProfile", "type", PROFILE_TYPES),
    (
        "PodSecurityContext",
        "fsGroupChangePolicy",
        FS_GROUP_CHANGE_POLICIES,
    ),
    ("VolumeMount", "mountPropagation", PROPAGATIONS),
];

/// The values of `object`'s string field `field`, if it has a fixed set.
pub fn values(object: &str, field: &str) -> &'static [&'static str] {
    ENUMS
        .iter()
        .find(|(o, f, _)| *o == object && *f == field)
        .map_or(&[], |(_, _, values)| values)
}
