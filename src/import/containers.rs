//! The credentials and the chart's two containers: images, pull policies,
//! Kubernetes objects, and the launcher's environment, where variables the
//! launcher reads become typed settings (`run_timeout = 120m`) as long as
//! the order of the variables is kept.

use super::Context;
use super::mapping::{helm_text, list_at, object_block, set};
use super::objects::Schema;
use super::output::{self, Entry, Expr};
use super::values::truthy;
use super::yaml::{self, Node, NodeKind};
use crate::chart::{Container, DIND, LAUNCHER};
use crate::diagnostics::{ImportProblem, Quoted};
use crate::kube::schema::schema_of;
use crate::model::PullPolicy;
use crate::model::launcher_settings::{self, CREDENTIAL_VARIABLES, Setting, SettingKind};
use crate::syntax::span::Span;
use k8s_openapi::api::core::v1 as core;

// ---- credentials ---------------------------------------------------------------

pub fn credentials(cx: &mut Context) -> Vec<Entry> {
    let create = cx.values.at(&["credentials", "create"]);
    if !create.is_none_or(truthy) {
        return external_credentials(cx, create.map_or(cx.values.span, |n| n.span));
    }
    let anchor = cx
        .values
        .get("credentials")
        .map_or(cx.values.span, |n| n.span);
    let token = credential(cx, "token", "TOKEN", anchor);
    let private_key = credential(cx, "privateKey", "PRIVATE_KEY", anchor);
    vec![Entry::section(
        "credentials",
        vec![
            Entry::attribute("token", token),
            Entry::attribute("private_key", private_key),
        ],
    )]
}

/// `credentials.token` or `.privateKey`: read from the environment (or
/// inline with `--inline-secrets`); reported when the values lack it.
fn credential(cx: &mut Context, value: &'static str, suffix: &str, anchor: Span) -> Expr {
    let node = set(cx, &["credentials", value]);
    if node.is_none() {
        cx.problems.push(ImportProblem::CredentialNotInValues {
            span: anchor,
            value: if value == "token" {
                "credentials.token"
            } else {
                "credentials.privateKey"
            },
            variable: Quoted::public(cx.variable(suffix)),
        });
    }
    cx.secret(node, suffix, anchor)
}

/// `credentials external "SECRET"` when the launcher's first two variables
/// read the credentials from one Secret (as the chart does for its own),
/// else `credentials external`.
fn external_credentials(cx: &mut Context, span: Span) -> Vec<Entry> {
    for value in ["token", "privateKey"] {
        if let Some(node) = set(cx, &["credentials", value]) {
            cx.problems.push(ImportProblem::ChartIgnores {
                span: node.span,
                what: Quoted::public(format!("`credentials.{value}`")),
                why: "the chart creates no Secret when credentials.create is false",
            });
        }
    }
    let env = match cx.values.at(&["launcher", "extraEnv"]).map(|n| &n.kind) {
        Some(NodeKind::List(items)) => items.as_slice(),
        _ => &[],
    };
    let header = match env {
        [token, key, ..] => match (
            secret_ref(token, CREDENTIAL_VARIABLES[0]),
            secret_ref(key, CREDENTIAL_VARIABLES[1]),
        ) {
            (Some((a, "token")), Some((b, "privateKey"))) if a == b => {
                cx.consumed_env = 2;
                format!("credentials external {}", output::string(a))
            }
            _ => "credentials external".into(),
        },
        _ => "credentials external".into(),
    };
    vec![Entry::from(span, Entry::bare(&header))]
}

/// `{name: VARIABLE, valueFrom: {secretKeyRef: {name, key}}}`: the Secret
/// and key.
fn secret_ref<'n>(entry: &'n Node, variable: &str) -> Option<(&'n str, &'n str)> {
    let only =
        |node: &Node, count: usize| matches!(&node.kind, NodeKind::Map(m) if m.len() == count);
    let reference = entry.at(&["valueFrom", "secretKeyRef"])?;
    let fits = only(entry, 2)
        && entry.get("name")?.text()? == variable
        && only(entry.get("valueFrom")?, 1)
        && only(reference, 2);
    fits.then_some((
        reference.get("name")?.text()?,
        reference.get("key")?.text()?,
    ))
}

// ---- the containers -------------------------------------------------------------

pub fn launcher(cx: &mut Context) -> Vec<Entry> {
    let mut body = common(cx, &LAUNCHER);
    body.extend(object_block::<core::SecurityContext>(
        cx,
        "security_context",
        &["launcher", "securityContext"],
    ));
    body.extend(env(cx, &LAUNCHER));
    body.extend(mounts(cx, &LAUNCHER));
    section(LAUNCHER.name, body)
}

pub fn dind(cx: &mut Context) -> Vec<Entry> {
    let mut body = common(cx, &DIND);
    body.extend(env(cx, &DIND));
    body.extend(mounts(cx, &DIND));
    section(DIND.name, body)
}

fn section(name: &str, body: Vec<Entry>) -> Vec<Entry> {
    if body.is_empty() {
        Vec::new()
    } else {
        vec![Entry::section(name, body)]
    }
}

fn common(cx: &mut Context, container: &Container) -> Vec<Entry> {
    let mut body = image(cx, container);
    body.extend(pull_policy(cx, container));
    body.extend(object_block::<core::ResourceRequirements>(
        cx,
        "resources",
        &[container.name, "resources"],
    ));
    body
}

fn mounts(cx: &mut Context, container: &Container) -> Vec<Entry> {
    let mut body = list_at::<core::EnvFromSource>(cx, "env_from", &[container.name, "envFrom"]);
    body.extend(list_at::<core::VolumeMount>(
        cx,
        "volume_mounts",
        &[container.name, "extraVolumeMounts"],
    ));
    body
}

/// `repository:tag`, or `repository@digest` when a digest is set.
fn image(cx: &mut Context, container: &Container) -> Vec<Entry> {
    let Some(node) = set(cx, &[container.name, "image"]) else {
        return Vec::new();
    };
    let (default_repository, default_tag) = container
        .default_image
        .rsplit_once(':')
        .unwrap_or((container.default_image, ""));
    let mut part = |key: &str, default: &str| match set(cx, &[container.name, "image", key]) {
        Some(n) => helm_text(cx, n, &format!("{}.image.{key}", container.name)),
        None => default.to_string(),
    };
    let repository = part("repository", default_repository);
    let tag = part("tag", default_tag);
    let digest = part("digest", "");
    let image = if digest.is_empty() {
        format!("{repository}:{tag}")
    } else {
        format!("{repository}@{digest}")
    };
    if image == container.default_image {
        return Vec::new();
    }
    vec![Entry::from(
        node.span,
        Entry::attribute("image", Expr::Text(output::string(&image))),
    )]
}

fn pull_policy(cx: &mut Context, container: &Container) -> Vec<Entry> {
    let Some(node) = set(cx, &[container.name, "image", "pullPolicy"]) else {
        return Vec::new();
    };
    let policy = helm_text(cx, node, &format!("{}.image.pullPolicy", container.name));
    if policy == container.default_pull_policy.as_str() {
        return Vec::new();
    }
    let value = match PullPolicy::parse(&policy) {
        Some(_) => policy,
        None => output::string(&policy),
    };
    vec![Entry::from(
        node.span,
        Entry::attribute("pull_policy", Expr::Text(value)),
    )]
}

// ---- environment ----------------------------------------------------------------

/// One variable of `extraEnv`, and the typed setting it can be written as.
struct Variable<'n> {
    node: &'n Node,
    setting: Option<(&'static Setting, Expr)>,
}

/// The container's extra variables: typed settings (launcher only) before
/// and after one `env` with the others, so the order is kept.
fn env(cx: &mut Context, container: &Container) -> Vec<Entry> {
    let Some(node) = set(cx, &[container.name, "extraEnv"]) else {
        return Vec::new();
    };
    let NodeKind::List(items) = &node.kind else {
        return list_at::<core::EnvVar>(cx, "env", &[container.name, "extraEnv"]);
    };
    let skip = if container.name == LAUNCHER.name {
        cx.consumed_env
    } else {
        0
    };
    let mut variables: Vec<Variable> = Vec::new();
    for item in &items[skip.min(items.len())..] {
        let setting = (container.name == LAUNCHER.name)
            .then(|| typed_setting(cx, item))
            .flatten()
            .filter(|(s, _)| {
                !variables
                    .iter()
                    .any(|v| v.setting.as_ref().is_some_and(|(t, _)| t.name == s.name))
            });
        variables.push(Variable {
            node: item,
            setting,
        });
    }
    let first_raw = variables.iter().position(|v| v.setting.is_none());
    let last_raw = variables.iter().rposition(|v| v.setting.is_none());
    let mut entries = Vec::new();
    let mut raw = Vec::new();
    for (i, variable) in variables.into_iter().enumerate() {
        let in_raw_run = first_raw.is_some_and(|f| f <= i) && last_raw.is_some_and(|l| i <= l);
        match variable.setting {
            Some((setting, value)) if !in_raw_run => {
                entries.push(Entry::from(
                    variable.node.span,
                    Entry::attribute(setting.name, value),
                ));
            }
            _ => {
                raw.push(variable.node);
                if Some(i) == last_raw {
                    entries.push(raw_env(cx, node, &raw));
                }
            }
        }
    }
    entries
}

/// `{name, value}` for a variable the launcher reads, whose value the
/// setting accepts: the setting and its value.
fn typed_setting(cx: &mut Context, item: &Node) -> Option<(&'static Setting, Expr)> {
    let NodeKind::Map(entries) = &item.kind else {
        return None;
    };
    let setting = launcher_settings::by_variable(item.get("name")?.text()?)?;
    let value = item.get("value")?;
    let text = match &value.kind {
        NodeKind::Text(text) => text.clone(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Number(n) => yaml::json_number(*n),
        _ => return None,
    };
    if entries.len() != 2 || setting.kind.check(&text).is_err() {
        return None;
    }
    if !matches!(value.kind, NodeKind::Text(_)) {
        cx.converter().warn_reread(value, &output::string(&text));
    }
    Some((
        setting,
        Expr::from(value.span, setting_value(setting.kind, &text)),
    ))
}

fn setting_value(kind: SettingKind, text: &str) -> Expr {
    match kind {
        SettingKind::Bool => Expr::Text(text.to_string()),
        SettingKind::Duration if super::objects::is_number_token(text) => {
            Expr::Text(text.to_string())
        }
        kind if kind.is_list() => Expr::List(
            text.split(',')
                .map(|t| Expr::Text(output::string(t)))
                .collect(),
        ),
        _ => Expr::Text(output::string(text)),
    }
}

/// Variables written as they are: `env = { NAME = "value" }` when each is
/// a plain name and value, else a list of EnvVars.
fn raw_env(cx: &mut Context, list: &Node, items: &[&Node]) -> Entry {
    let plain = |item: &&Node| {
        matches!(&item.kind, NodeKind::Map(m) if m.len() == 2)
            && item.get("name").and_then(Node::text).is_some()
            && matches!(
                item.get("value").map(|v| &v.kind),
                Some(NodeKind::Text(_) | NodeKind::Bool(_) | NodeKind::Number(_))
            )
    };
    let mut names: Vec<&str> = items
        .iter()
        .filter_map(|i| i.get("name").and_then(Node::text))
        .collect();
    names.sort_unstable();
    let unique = names.windows(2).all(|w| w[0] != w[1]);
    let value = if unique && items.iter().all(plain) {
        Expr::Object(
            items
                .iter()
                .filter_map(|item| {
                    let name = item.get("name")?.text()?;
                    Some((
                        output::key(name),
                        Expr::from(item.span, env_value(cx, name, item.get("value")?)?),
                    ))
                })
                .collect(),
        )
    } else {
        Expr::List(items.iter().filter_map(|item| env_var(cx, item)).collect())
    };
    Entry::from(list.span, Entry::attribute("env", value))
}

/// A variable's value; a credential's comes from the environment.
fn env_value(cx: &mut Context, name: &str, value: &Node) -> Option<Expr> {
    match CREDENTIAL_VARIABLES.iter().position(|v| *v == name) {
        Some(0) => Some(cx.secret(Some(value), "TOKEN", value.span)),
        Some(_) => Some(cx.secret(Some(value), "PRIVATE_KEY", value.span)),
        None => cx.converter().string(value),
    }
}

/// One EnvVar of a list.
fn env_var(cx: &mut Context, item: &Node) -> Option<Expr> {
    let name = item.get("name").and_then(Node::text);
    let value = item.get("value");
    if let (Some(name), Some(value), NodeKind::Map(entries)) = (name, value, &item.kind)
        && CREDENTIAL_VARIABLES.contains(&name)
        && entries.len() == 2
    {
        let secret = env_value(cx, name, value)?;
        return Some(Expr::from(
            item.span,
            Expr::Object(vec![
                ("name".into(), Expr::Text(output::string(name))),
                ("value".into(), secret),
            ]),
        ));
    }
    let schema = schema_of::<core::EnvVar>();
    let types = Schema { root: &schema };
    cx.converter().value(item, &schema, &types)
}
