//! The launcher's environment variables (docs/chart.md, "The launcher's
//! settings") as typed settings of the `launcher` block. One row per
//! variable: the checker reads this table to decode and validate, the
//! renderer to write the variable, and the docs list it.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingKind {
    /// `true` / `false`.
    Bool,
    /// A Go duration, written as a duration literal (`120m`).
    Duration,
    /// An absolute path in the launcher container.
    Path,
    /// Free text.
    Text,
    /// A list of variable names, joined with commas.
    Names,
    /// A list of variable names, each optionally prefixed `ro_` or `wo_`.
    PrefixedNames,
    /// A list of `/host:/container` mounts, joined with commas.
    Mounts,
    /// A container image reference.
    Image,
}

impl SettingKind {
    /// Checks a variable's text as the launcher will read it. Typed
    /// settings are rendered to text and checked here; so are raw `env`
    /// entries that set one of these variables.
    pub fn check(self, text: &str) -> Result<(), String> {
        match self {
            Bool if text == "true" || text == "false" => Ok(()),
            Bool => Err("must be true or false".into()),
            Duration => super::duration::Duration::parse(text).map(drop),
            Path if text.starts_with('/') => Ok(()),
            Path => Err("must be an absolute path".into()),
            Text if text.is_empty() => Err("must not be empty".into()),
            Text => Ok(()),
            Names => list(text, crate::kube::names::env_name),
            PrefixedNames => list(text, |name| {
                let bare = name
                    .strip_prefix("ro_")
                    .or_else(|| name.strip_prefix("wo_"))
                    .unwrap_or(name);
                crate::kube::names::env_name(bare)
            }),
            Mounts => list(text, mount),
            Image => super::image::ImageRef::parse(text).map(drop),
        }
    }

    /// How a list item or value of this kind is described in messages.
    pub fn expected(self) -> &'static str {
        match self {
            Bool => "true or false",
            Duration => "a duration such as 120m",
            Path => "an absolute path",
            Text => "a string",
            Names | PrefixedNames => "a list of variable names",
            Mounts => "a list of \"/host:/container\" mounts",
            Image => "an image reference",
        }
    }

    /// A value of this kind, as written in a launcher block.
    pub fn example(self) -> &'static str {
        match self {
            Bool => "true",
            Duration => "30m",
            Path => "\"/opt/policies/init.rego\"",
            Text => "\"text\"",
            Names | PrefixedNames => "[\"AWS_ACCESS_KEY_ID\", \"AWS_SECRET_ACCESS_KEY\"]",
            Mounts => "[\"/host/path:/container/path\"]",
            Image => "\"public.ecr.aws/spacelift/runner-terraform:latest\"",
        }
    }

    pub fn is_list(self) -> bool {
        matches!(self, Names | PrefixedNames | Mounts)
    }
}

/// A comma-separated list, each item checked.
fn list(text: &str, item: impl Fn(&str) -> Result<(), String>) -> Result<(), String> {
    if text.is_empty() {
        return Err("the list is empty".into());
    }
    text.split(',').try_for_each(item)
}

fn mount(mount: &str) -> Result<(), String> {
    match mount.split_once(':') {
        Some((host, container))
            if host.starts_with('/') && container.starts_with('/') && !container.contains(':') =>
        {
            Ok(())
        }
        _ => Err(format!("`{mount}` is not a /host:/container mount")),
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Setting {
    /// The attribute in a `launcher` block.
    pub name: &'static str,
    /// The environment variable it sets.
    pub variable: &'static str,
    pub kind: SettingKind,
    pub doc: &'static str,
}

const fn setting(
    name: &'static str,
    variable: &'static str,
    kind: SettingKind,
    doc: &'static str,
) -> Setting {
    Setting {
        name,
        variable,
        kind,
        doc,
    }
}

use SettingKind::*;

pub const SETTINGS: &[Setting] = &[
    setting(
        "mask_envs",
        "SPACELIFT_MASK_ENVS",
        Names,
        "variables passed to workers but masked in logs",
    ),
    setting(
        "sensitive_output_upload",
        "SPACELIFT_SENSITIVE_OUTPUT_UPLOAD_ENABLED",
        Bool,
        "upload sensitive outputs (needed for stack dependencies)",
    ),
    setting(
        "run_logs_on_stdout",
        "SPACELIFT_RUN_LOGS_ON_STANDARD_OUTPUT_ENABLED",
        Bool,
        "also write run logs to stdout, structured",
    ),
    setting(
        "run_initialization_policy",
        "SPACELIFT_LAUNCHER_RUN_INITIALIZATION_POLICY",
        Path,
        "worker-side run initialization policy (Rego file)",
    ),
    setting(
        "logs_timeout",
        "SPACELIFT_LAUNCHER_LOGS_TIMEOUT",
        Duration,
        "kill jobs silent this long (default 7 minutes)",
    ),
    setting(
        "run_timeout",
        "SPACELIFT_LAUNCHER_RUN_TIMEOUT",
        Duration,
        "maximum run time (default 70 minutes)",
    ),
    setting(
        "debug",
        "SPACELIFT_DEBUG",
        Bool,
        "print the exact commands run",
    ),
    setting(
        "docker_config_dir",
        "SPACELIFT_DOCKER_CONFIG_DIR",
        Path,
        "Docker config (registry credentials) for runs",
    ),
    setting(
        "whitelist_envs",
        "SPACELIFT_WHITELIST_ENVS",
        PrefixedNames,
        "launcher variables passed on to workers (ro_/wo_ prefixes)",
    ),
    setting(
        "worker_extra_mounts",
        "SPACELIFT_WORKER_EXTRA_MOUNTS",
        Mounts,
        "extra mounts for all runs",
    ),
    setting(
        "worker_ro_extra_mounts",
        "SPACELIFT_WORKER_RO_EXTRA_MOUNTS",
        Mounts,
        "extra mounts for read-only runs",
    ),
    setting(
        "worker_wo_extra_mounts",
        "SPACELIFT_WORKER_WO_EXTRA_MOUNTS",
        Mounts,
        "extra mounts for write-only runs",
    ),
    setting(
        "worker_network",
        "SPACELIFT_WORKER_NETWORK",
        Text,
        "Docker network for run containers (default bridge)",
    ),
    setting(
        "worker_runtime",
        "SPACELIFT_WORKER_RUNTIME",
        Text,
        "container runtime for run containers",
    ),
    setting(
        "default_runner_image",
        "SPACELIFT_DEFAULT_RUNNER_IMAGE",
        Image,
        "default runner image for non-Ansible runs",
    ),
    setting(
        "default_ansible_runner_image",
        "SPACELIFT_DEFAULT_ANSIBLE_RUNNER_IMAGE",
        Image,
        "default runner image for Ansible runs",
    ),
];

/// Variables the launcher reads that are not settings: the credentials.
/// The launcher's timeouts when they are not set: its run timeout, and how
/// long a job may be silent.
pub const DEFAULT_RUN_TIMEOUT: &str = "70m";
pub const DEFAULT_LOGS_TIMEOUT: &str = "7m";

pub const CREDENTIAL_VARIABLES: [&str; 2] = ["SPACELIFT_TOKEN", "SPACELIFT_POOL_PRIVATE_KEY"];

/// Custom run metadata: any name with this prefix is meant to be free-form.
pub const METADATA_PREFIX: &str = "SPACELIFT_METADATA_";

pub fn by_name(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

pub fn by_variable(variable: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.variable == variable)
}

/// Every variable name the launcher knows.
pub fn known_variables() -> impl Iterator<Item = &'static str> {
    SETTINGS
        .iter()
        .map(|s| s.variable)
        .chain(CREDENTIAL_VARIABLES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_variables_are_unique() {
        for (i, a) in SETTINGS.iter().enumerate() {
            for b in &SETTINGS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.variable, b.variable);
            }
        }
    }

    #[test]
    fn values_are_checked_as_the_launcher_reads_them() {
        assert!(Bool.check("true").is_ok());
        assert!(Bool.check("yes").is_err());
        assert!(Duration.check("120m").is_ok());
        assert!(Duration.check("2 hours").is_err());
        assert!(Mounts.check("/opt/cache:/opt/cache,/a:/b").is_ok());
        assert!(Mounts.check("/opt/cache").is_err());
        assert!(Mounts.check("cache:/opt").is_err());
        assert!(PrefixedNames.check("ro_AWS_REGION,wo_TOKEN,PLAIN").is_ok());
        assert!(Names.check("A,,B").is_err());
        assert!(Path.check("relative/policy.rego").is_err());
        assert!(
            Image
                .check("ghcr.io/spacelift-io/runner-terraform:latest")
                .is_ok()
        );
    }

    #[test]
    fn every_documented_variable_is_a_setting_or_a_credential() {
        // The 18 variables the launcher documents.
        assert_eq!(known_variables().count(), 18);
        assert!(
            by_variable("SPACELIFT_LAUNCHER_RUN_TIMEOUT").is_some_and(|s| s.name == "run_timeout")
        );
    }
}
