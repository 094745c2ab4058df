//! The values some Kubernetes string fields take, which the API's schemas
//! give only in prose (the editor completes them). By the object's short
//! type name and the field.

/// `(object, field, values)`.
pub const ENUMS: &[(&str, &str, &[&str])] = &[
    ("Toleration", "operator", &["Equal", "Exists"]),
    (
        "Toleration",
        "effect",
        &["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ),
    (
        "Container",
        "imagePullPolicy",
        &["Always", "IfNotPresent", "Never"],
    ),
    (
        "Container",
        "terminationMessagePolicy",
        &["File", "FallbackToLogsOnError"],
    ),
    ("ContainerPort", "protocol", &["TCP", "UDP", "SCTP"]),
    (
        "TopologySpreadConstraint",
        "whenUnsatisfiable",
        &["DoNotSchedule", "ScheduleAnyway"],
    ),
    (
        "TopologySpreadConstraint",
        "nodeAffinityPolicy",
        &["Honor", "Ignore"],
    ),
    (
        "TopologySpreadConstraint",
        "nodeTaintsPolicy",
        &["Honor", "Ignore"],
    ),
    (
        "NodeSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
    ),
    (
        "LabelSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist"],
    ),
    (
        "PersistentVolumeClaimSpec",
        "accessModes",
        &[
            "ReadWriteOnce",
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOncePod",
        ],
    ),
    (
        "PersistentVolumeClaimSpec",
        "volumeMode",
        &["Filesystem", "Block"],
    ),
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
    (
        "SeccompProfile",
        "type",
        &["RuntimeDefault", "Unconfined", "Localhost"],
    ),
    (
        "PodSecurityContext",
        "fsGroupChangePolicy",
        &["OnRootMismatch", "Always"],
    ),
    (
        "VolumeMount",
        "mountPropagation",
        &["None", "HostToContainer", "Bidirectional"],
    ),
];

/// The values of `object`'s string field `field`, if it has a fixed set.
pub fn values(object: &str, field: &str) -> &'static [&'static str] {
    ENUMS
        .iter()
        .find(|(o, f, _)| *o == object && *f == field)
        .map_or(&[], |(_, _, values)| values)
}
