//! Checks across a whole pool, on the model, for what the chart renders
//! silently but gets wrong (docs/chart.md, "What the chart gets wrong"),
//! and for launcher variables that look misspelt.

use super::credentials;
use super::suggest::suggest;
use super::timeouts;
use crate::chart;
use crate::diagnostics::{
    ChartProblem, Diagnostic, Diagnostics, KubeProblem, Quoted, ValueProblem, Warning,
};
use crate::kube::validation::metadata;
use crate::kube::validation::{Problem, Step};
use crate::model::launcher_settings::{self, CREDENTIAL_VARIABLES, METADATA_PREFIX, Setting};
use crate::model::span_tree::Located;
use crate::model::{
    ContainerSpec, Credentials, Embedded, EnvEntry, Pool, Storage, StringMap, Workload,
};
use crate::secrets::{Secrecy, Secrets};
use crate::syntax::span::Span;
use k8s_openapi::api::core::v1 as core;
use std::collections::HashMap;

/// Checks of single values, which a mistake elsewhere in the pool cannot
/// set off: run on every pool that decoded, so that a run reports them
/// beside its other errors.
pub fn check_values(pool: &Pool, secrets: &Secrets, diagnostics: &mut Diagnostics) {
    if let Credentials::Inline { token, private_key } = &pool.credentials.value {
        credentials::check(token, private_key, diagnostics);
    }
    let reserved = [
        (&pool.spec.labels, &chart::COMMON_LABELS[..], "workload"),
        (
            &pool.spec.pod_labels,
            &chart::SELECTOR_LABELS[..],
            "pod template",
        ),
    ];
    for (labels, reserved, object) in reserved {
        for (key, _) in labels {
            if reserved.contains(&key.value.as_str()) {
                diagnostics.push(ChartProblem::ReservedLabel {
                    span: key.span,
                    key: Quoted::written(&key.value, key.span, secrets),
                    object,
                });
            }
        }
    }
    launcher_variables(&pool.spec.launcher.container, diagnostics);
    timeouts::check_zero(&pool.spec.launcher.container, diagnostics);
    containers(pool, diagnostics);
    mount_paths(pool, diagnostics);
    spread_constraints(&pool.spec.topology_spread_constraints, diagnostics);
    for annotations in [&pool.spec.annotations, &pool.spec.pod_annotations] {
        annotations_size(annotations, diagnostics);
    }
}

/// Checks across fields (storage against workload, env against credentials,
/// mounts against volumes): run only on a pool that read cleanly, where
/// they report new mistakes rather than the consequences of the first.
pub fn check_across(pool: &Pool, _: &Secrets, diagnostics: &mut Diagnostics) {
    external_credentials(pool, diagnostics);
    storage(pool, diagnostics);
    env(
        &pool.spec.launcher.container,
        &chart::launcher_builtin_env(&pool.credentials.value),
        "launcher",
        diagnostics,
    );
    env(
        &pool.spec.dind.container,
        &chart::DIND_BUILTIN_ENV,
        "dind",
        diagnostics,
    );
    volumes(pool, diagnostics);
    timeouts::check_order(&pool.spec.launcher.container, diagnostics);
    launcher_propagation(pool, diagnostics);
}

/// External credentials must reach the launcher through its env.
fn external_credentials(pool: &Pool, diagnostics: &mut Diagnostics) {
    if !matches!(pool.credentials.value, Credentials::External) {
        return;
    }
    let launcher = &pool.spec.launcher.container;
    let supplied = |name: &str| launcher.env.iter().any(|e| e.var.name == name);
    let missing: Vec<&'static str> = CREDENTIAL_VARIABLES
        .into_iter()
        .filter(|v| !supplied(v))
        .collect();
    // Variables from env_from cannot be seen from here: trust them.
    if !missing.is_empty() && launcher.env_from.is_empty() {
        diagnostics.push(ChartProblem::ExternalCredentialsUnsupplied {
            span: pool.credentials.span,
            missing,
        });
    }
}

fn storage(pool: &Pool, diagnostics: &mut Diagnostics) {
    let Some(storage) = &pool.spec.storage else {
        return;
    };
    if matches!(storage.value, Storage::Claim(_)) && pool.spec.workload() == Workload::Deployment {
        diagnostics.push(ChartProblem::ClaimOnDeployment {
            span: storage.span,
            workload: pool.spec.workload.as_ref().map(|w| w.span),
        });
    }
}

/// A container's extra variables: none may redefine one the chart sets,
/// or another extra variable.
pub(super) fn env(
    container: &ContainerSpec,
    builtin: &[&str],
    name: &'static str,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for entry in &container.env {
        let var = entry.var.name.as_str();
        let quoted = Quoted::value(var, entry.name_secrecy);
        if builtin.contains(&var) {
            diagnostics.push(ChartProblem::ReservedEnv {
                span: entry.span,
                name: quoted,
                container: name,
            });
        } else if let Some(previous) = seen.insert(var, entry.span) {
            diagnostics.push(ChartProblem::DuplicateName {
                span: entry.span,
                previous,
                what: "variable",
                name: quoted,
            });
        }
    }
}

/// Raw launcher variables: a known one is checked as its typed setting
/// would be; one that looks like a misspelt launcher variable is flagged.
pub(super) fn launcher_variables(launcher: &ContainerSpec, diagnostics: &mut Diagnostics) {
    for entry in launcher.env.iter().filter(|e| e.setting.is_none()) {
        let name = entry.var.name.as_str();
        if let Some(setting) = launcher_settings::by_variable(name) {
            check_raw_setting(entry, setting, diagnostics);
        } else if let Some(known) = misspelt_variable(name) {
            let setting = launcher_settings::by_variable(known).map_or("credentials", |s| s.name);
            diagnostics.push(Warning::MisspeltSetting {
                span: entry.span,
                name: Quoted::value(name, entry.name_secrecy),
                suggestion: known,
                setting,
            });
        }
    }
}

/// A literal value for one of the launcher's variables, checked as the
/// typed setting checks it (a value from a Secret cannot be seen).
fn check_raw_setting(entry: &EnvEntry, setting: &Setting, diagnostics: &mut Diagnostics) {
    let Some(text) = &entry.var.value else { return };
    if let Err(reason) = setting.kind.check(text) {
        let reason = format!(
            "{reason} (the `{}` setting takes {})",
            setting.name,
            setting.kind.expected()
        );
        diagnostics.push(ValueProblem::BadSettingValue {
            span: entry.span,
            variable: setting.variable,
            reason: Quoted::value(reason, entry.value_secrecy),
        });
    }
}

/// The launcher variable `name` is probably a misspelling of.
fn misspelt_variable(name: &str) -> Option<&'static str> {
    if name.starts_with(METADATA_PREFIX) || launcher_settings::known_variables().any(|v| v == name)
    {
        return None;
    }
    let suggestion = suggest(name, launcher_settings::known_variables())?;
    launcher_settings::known_variables().find(|v| *v == suggestion)
}

/// Extra containers may not take the chart's container names, nor each other's.
fn containers(pool: &Pool, diagnostics: &mut Diagnostics) {
    extra_container_names(pool, diagnostics, |name, span, quoted| {
        chart::CONTAINERS
            .contains(&name)
            .then(|| ChartProblem::ReservedContainer { span, name: quoted }.into())
    });
}

/// Each extra container's name is unique, and not one its target keeps for
/// itself (`reserved` says so, and how).
pub(super) fn extra_container_names(
    pool: &Pool,
    diagnostics: &mut Diagnostics,
    reserved: impl Fn(&str, Span, Quoted) -> Option<Diagnostic>,
) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for container in &pool.spec.extra_containers {
        let name = container.object.name.as_str();
        let span = name_span(container);
        let quoted = name_quoted(name, container);
        if let Some(problem) = reserved(name, span, quoted.clone()) {
            diagnostics.push(problem);
        } else if let Some(previous) = seen.insert(name, span) {
            diagnostics.push(ChartProblem::DuplicateName {
                span,
                previous,
                what: "container",
                name: quoted,
            });
        }
    }
}

/// Volume names are unique (and not the chart's storage volume); every
/// mount names a volume that exists.
fn volumes(pool: &Pool, diagnostics: &mut Diagnostics) {
    let spec = &pool.spec;
    // Each volume's span, and how secret its name is.
    let mut defined: HashMap<&str, (Span, Secrecy)> = HashMap::new();
    defined.insert(
        chart::STORAGE_VOLUME,
        (
            spec.storage.as_ref().map_or(pool.name.span, |s| s.span),
            Secrecy::Public,
        ),
    );
    for volume in &spec.volumes {
        let name = volume.object.name.as_str();
        let span = name_span(volume);
        if name == chart::STORAGE_VOLUME {
            diagnostics.push(ChartProblem::ReservedVolume { span });
        } else if let Some((previous, _)) =
            defined.insert(name, (span, volume.spans.field_secrecy("name")))
        {
            diagnostics.push(ChartProblem::DuplicateName {
                span,
                previous,
                what: "volume",
                name: name_quoted(name, volume),
            });
        }
    }
    let mounts = spec
        .launcher
        .container
        .volume_mounts
        .iter()
        .chain(&spec.dind.container.volume_mounts)
        .map(|m| {
            let secrecy = m.spans.field_secrecy("name");
            (m.object.name.as_str(), name_span(m), secrecy)
        });
    let sidecar_mounts = spec.extra_containers.iter().flat_map(|c| {
        let mounts = c.spans.field("volumeMounts").map(|f| &f.value);
        c.object
            .volume_mounts
            .iter()
            .flatten()
            .enumerate()
            .map(move |(i, m)| {
                let spans = mounts.and_then(|spans| spans.item(i));
                let span = spans.map_or(c.spans.span, |spans| spans.field_span("name"));
                let secrecy = spans.map_or(c.spans.secrecy, |spans| spans.field_secrecy("name"));
                (m.name.as_str(), span, secrecy)
            })
    });
    for (name, span, secrecy) in mounts.chain(sidecar_mounts) {
        if !defined.contains_key(name) {
            let suggestion = suggest(name, defined.keys().copied());
            let suggestion = suggestion.map(|s| Quoted::value(&s, defined[s.as_str()].1));
            diagnostics.push(ChartProblem::UndefinedVolume {
                span,
                name: Quoted::value(name, secrecy),
                suggestion: suggestion.filter(|_| secrecy == Secrecy::Public),
            });
        }
    }
}

/// The span of an embedded object's `name`, or of the object.
pub(super) fn name_span<T>(embedded: &Embedded<T>) -> Span {
    embedded.spans.field_span("name")
}

/// An embedded object's `name`, as a message may quote it.
pub(super) fn name_quoted<T>(name: &str, embedded: &Embedded<T>) -> Quoted {
    Quoted::value(name, embedded.spans.field_secrecy("name"))
}

/// A rule of the API server's, found across a pool's fields.
fn rule(at: Located, problem: Problem, related: Option<Span>) -> KubeProblem {
    KubeProblem::Rule {
        span: at.span,
        problem,
        secrecy: at.secrecy,
        suggestion: None,
        related,
    }
}

/// Each of the chart's containers mounts a path once: the chart's own
/// mounts of its storage first, then the pool's.
fn mount_paths(pool: &Pool, diagnostics: &mut Diagnostics) {
    let containers = [
        (&chart::LAUNCHER, &pool.spec.launcher.container),
        (&chart::DIND, &pool.spec.dind.container),
    ];
    let mount_path = [Step::Field("mountPath")];
    for (chart_container, container) in containers {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for mount in &container.volume_mounts {
            let path = mount.object.mount_path.as_str();
            let at = mount.spans.locate(&mount_path, false);
            let chart_path = chart_container
                .mounts
                .iter()
                .map(|(chart_path, _)| *chart_path)
                .find(|chart_path| path.trim_end_matches('/') == *chart_path);
            if let Some(chart_path) = chart_path {
                diagnostics.push(ChartProblem::MountPathTaken {
                    span: at.span,
                    path: chart_path,
                    container: chart_container.name,
                });
            } else if let Some(&first) = seen.get(path) {
                let value = path.to_string();
                let problem = Problem::Duplicate {
                    what: "mount path",
                    value,
                };
                diagnostics.push(rule(at, problem, Some(first)));
            } else {
                seen.insert(path, at.span);
            }
        }
    }
}

/// A launcher mount with Bidirectional propagation needs a privileged
/// launcher (dind is always privileged).
fn launcher_propagation(pool: &Pool, diagnostics: &mut Diagnostics) {
    let launcher = &pool.spec.launcher;
    let privileged = launcher
        .security_context
        .as_ref()
        .and_then(|c| c.object.privileged)
        .unwrap_or(false);
    if privileged {
        return;
    }
    for mount in &launcher.container.volume_mounts {
        if mount.object.mount_propagation.as_deref() == Some("Bidirectional") {
            let at = mount
                .spans
                .locate(&[Step::Field("mountPropagation")], false);
            let problem = Problem::Conflict {
                message: "Bidirectional mount propagation needs a privileged container".into(),
                label: "the launcher is not privileged".into(),
                help: "use HostToContainer, or set the launcher's security_context.privileged \
                    = true"
                    .into(),
            };
            diagnostics.push(rule(at, problem, None));
        }
    }
}

/// One spread constraint per topology key and action.
pub(super) fn spread_constraints(
    constraints: &[Embedded<core::TopologySpreadConstraint>],
    diagnostics: &mut Diagnostics,
) {
    let mut seen: HashMap<(&str, &str), Span> = HashMap::new();
    for constraint in constraints {
        let object = &constraint.object;
        let key = (
            object.topology_key.as_str(),
            object.when_unsatisfiable.as_str(),
        );
        let at = constraint
            .spans
            .locate(&[Step::Field("topologyKey")], false);
        match seen.get(&key) {
            Some(&first) => {
                let problem = Problem::Duplicate {
                    what: "topology key and whenUnsatisfiable pair",
                    value: format!("{}, {}", key.0, key.1),
                };
                diagnostics.push(rule(at, problem, Some(first)));
            }
            None => {
                seen.insert(key, at.span);
            }
        }
    }
}

/// Annotations hold at most 256 KiB, keys and values together.
pub(super) fn annotations_size(annotations: &StringMap, diagnostics: &mut Diagnostics) {
    let entries = annotations
        .iter()
        .map(|(k, v)| (k.value.as_str(), v.value.as_str()));
    let size = metadata::annotations_size(entries);
    if size > metadata::ANNOTATIONS_LIMIT
        && let Some((first, _)) = annotations.first()
    {
        let at = Located {
            span: first.span,
            secrecy: Secrecy::Public,
        };
        let problem = Problem::TooLarge {
            what: "annotations",
            size,
            limit: metadata::ANNOTATIONS_LIMIT,
        };
        diagnostics.push(rule(at, problem, None));
    }
}
