//! Hover: what a field does (its type, default, chart values and launcher
//! variable), a Kubernetes field's own description, what a literal means
//! for its field, a `let`'s or template's definition, a function's usage.

use super::fields::Kind;
use super::locate::{self, Found, Hit, Root, Step};
use super::place::{self, Field};
use super::{Hover, source_text, syntax};
use crate::chart::values::values_of;
use crate::diagnostics::Diagnostics;
use crate::model::StorageKind;
use crate::model::duration::Duration;
use crate::model::launcher_settings::SettingKind;
use crate::semantics::Checked;
use crate::semantics::scope::Scopes;
use crate::syntax::ast::{Definition, Expr, ExprKind, Item, Let};
use crate::syntax::span::{FileId, Span};

/// The hover at `offset` of `file`.
pub fn hover(checked: &Checked, file: FileId, offset: u32) -> Option<Hover> {
    let found = locate::at(syntax(checked, file)?, offset)?;
    let scopes = Scopes::build(&checked.program, &mut Diagnostics::default());
    let (span, markdown) = match &found.hit {
        Hit::Key(key) => (key.span, key_hover(&found, &key.name)?),
        Hit::Label(label) => (label.span, label_hover(&found.steps, &label.value)?),
        Hit::Literal(expr) => (expr.span, literal_hover(&found, expr)?),
        Hit::Ref(ident) => match scopes.lookup_let(file, &ident.name) {
            Some(binding) => (ident.span, let_hover(checked, binding.binding)),
            None => (ident.span, keyword_hover(&found, &ident.name)?),
        },
        Hit::Function(ident) => {
            let usage = crate::semantics::functions::usage(&ident.name)?;
            (ident.span, format!("**{}**(…)\n\n{usage}", ident.name))
        }
        Hit::LetName(binding) => (binding.name.span, let_hover(checked, binding)),
        Hit::DefinitionName(def, template) => {
            (def.name.span, definition_hover(checked, def, *template))
        }
        Hit::Extends(label) => {
            let template = scopes.lookup_template(file, &label.value)?;
            (label.span, definition_hover(checked, template.def, true))
        }
        Hit::Import(import) => (import.path.span, import_hover(checked, file, import)?),
    };
    Some(Hover { span, markdown })
}

/// The field a key names, in the body or object the steps lead to.
fn key_hover(found: &Found, name: &str) -> Option<String> {
    if found.root != Root::Definition {
        return None;
    }
    let field = place::of(&found.steps).field(name)?;
    Some(describe_field(&field))
}

pub(super) fn describe_field(field: &Field) -> String {
    match field {
        Field::Pool(doc, _) => {
            let name = field.name();
            let mut text = format!("**{name}**: {}\n\n{}.", doc.written, capitalised(doc.doc));
            if let Some(default) = doc.default {
                text.push_str(&format!("\n\nDefault: `{}`", default()));
            }
            let values = values_of(doc.path);
            if !values.is_empty() {
                let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                text.push_str(&format!("\n\nChart values: {}", values.join(", ")));
            }
            text.push_str(&on_operator(doc.path));
            text
        }
        Field::Setting(setting) => format!(
            "**{}**: {}\n\n{}.\n\nLauncher variable: `{}`",
            setting.name,
            setting.kind.expected(),
            capitalised(setting.doc),
            setting.variable
        ),
        Field::Kube {
            name,
            node,
            root,
            object,
        } => place::describe_kube(name, node, root, object),
        Field::Shorthand(name, doc) => format!("**{name}**: {doc}"),
    }
}

/// What the field becomes on the operator target.
fn on_operator(path: &str) -> String {
    use crate::operator::fields::{OnOperator, on_operator};
    let path = path.replace("credentials auto.", "credentials.");
    let paths = |paths: &[&str]| {
        let paths: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
        paths.join(", ")
    };
    match on_operator(&path) {
        Some(OnOperator::At(at)) if !at.is_empty() => format!("\n\nOn the operator: {}", paths(at)),
        Some(OnOperator::Only(at)) if !at.is_empty() => {
            format!("\n\nOperator only: {}", paths(at))
        }
        Some(OnOperator::Only(_)) => "\n\nOperator only".into(),
        Some(OnOperator::Beside(what)) => format!("\n\nOn the operator: {what}"),
        Some(OnOperator::Inert(why)) => format!("\n\nOn the operator: ignored ({why})"),
        Some(OnOperator::Unsupported) => "\n\nNot supported on the operator".into(),
        _ => String::new(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn label_hover(steps: &[Step], label: &str) -> Option<String> {
    let Some(Step::Field { name, .. }) = steps.last() else {
        return None;
    };
    match (name.as_str(), label) {
        ("storage", kind) => {
            let kind = StorageKind::parse(kind)?;
            Some(format!("**storage {label}**: {}", storage_doc(kind)))
        }
        ("credentials", "external") => Some(
            "**credentials external**: the token and private key come from an existing Secret \
            (named by the next label), or from the launcher's `env`"
                .into(),
        ),
        ("service_account", "external") => Some(
            "**service_account external**: the pods run as an existing ServiceAccount (named by \
            the next label, or the namespace's default)"
                .into(),
        ),
        _ => None,
    }
}

fn storage_doc(kind: StorageKind) -> &'static str {
    match kind {
        StorageKind::EmptyDir => "an emptyDir volume, deleted with the pod",
        StorageKind::HostPath => "a directory of the node (hostPath)",
        StorageKind::Ephemeral => "a volume claimed for each pod and deleted with it",
        StorageKind::Claim => {
            "a PersistentVolumeClaim for each pod, kept across restarts (StatefulSet only)"
        }
        StorageKind::Volume => "any Kubernetes volume source",
    }
}

/// The field a value is written for: the last field of the path, through
/// list items.
fn field_of_value(steps: &[Step]) -> Option<Field> {
    let mut end = steps.len();
    while end > 0 && steps[end - 1] == Step::Item {
        end -= 1;
    }
    let Step::Field { name, .. } = steps.get(end.checked_sub(1)?)? else {
        return None;
    };
    place::of(&steps[..end - 1]).field(name)
}

fn literal_hover(found: &Found, expr: &Expr) -> Option<String> {
    let ExprKind::Number(text) = &expr.kind else {
        return None;
    };
    if found.root != Root::Definition {
        return None;
    }
    let field = field_of_value(&found.steps)?;
    let name = field.name();
    match &field {
        Field::Pool(doc, _) => match doc.kind {
            Kind::Duration => Some(duration_meaning(text)),
            Kind::Integer | Kind::Keyword { integer: true, .. } => {
                Some(format!("`{text}`: the whole number {text} ({name})"))
            }
            _ => None,
        },
        Field::Setting(setting) if setting.kind == SettingKind::Duration => {
            Some(duration_meaning(text))
        }
        Field::Shorthand("size", _) => Some(quantity_meaning(text, "storage")),
        Field::Kube { node, root, .. } if place::is_quantity(root, node) => {
            Some(quantity_meaning(text, &name))
        }
        Field::Kube { node, .. } => Some(format!("`{text}`: {}", place::kube_type(node))),
        _ => None,
    }
}

fn duration_meaning(text: &str) -> String {
    match Duration::parse(text) {
        Ok(duration) => format!("`{text}`: a duration of {}", spell_duration(duration.nanos)),
        Err(reason) => format!("`{text}` is not a duration: {reason}"),
    }
}

/// `5400000000000` → `1 hour 30 minutes (5400 seconds)`.
fn spell_duration(nanos: u128) -> String {
    const UNITS: [(u128, &str); 4] = [
        (3_600_000_000_000, "hour"),
        (60_000_000_000, "minute"),
        (1_000_000_000, "second"),
        (1_000_000, "millisecond"),
    ];
    let mut rest = nanos;
    let mut parts = Vec::new();
    for (size, unit) in UNITS {
        let count = rest / size;
        rest %= size;
        if count > 0 {
            parts.push(format!(
                "{count} {unit}{}",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    if rest > 0 || parts.is_empty() {
        parts.push(format!("{rest} ns"));
    }
    let seconds = nanos as f64 / 1e9;
    format!("{} ({} seconds)", parts.join(" "), number(seconds))
}

/// A quantity's value: `500m` of CPU is 0.5 CPU; `512Mi` of memory is
/// 536870912 bytes.
fn quantity_meaning(text: &str, resource: &str) -> String {
    let Some(value) = quantity_value(text) else {
        return format!("`{text}` is not a quantity");
    };
    let unit = match resource {
        "cpu" => " CPU",
        "memory" | "storage" | "ephemeral-storage" => " bytes",
        _ => "",
    };
    format!("`{text}`: a quantity, {}{unit}", number(value))
}

fn quantity_value(text: &str) -> Option<f64> {
    crate::kube::quantity::parse(text).ok()?;
    const SCALES: [(&str, f64); 13] = [
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ei", 1_152_921_504_606_846_976.0),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (suffix, scale) in SCALES {
        if let Some(number) = text.strip_suffix(suffix) {
            return number.parse::<f64>().ok().map(|n| n * scale);
        }
    }
    text.parse::<f64>().ok()
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e18 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn keyword_hover(found: &Found, word: &str) -> Option<String> {
    let field = field_of_value(&found.steps)?;
    let words = field.words();
    words.contains(&word).then(|| {
        let all: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
        format!(
            "`{word}`: a value of `{}` (one of {})",
            field.name(),
            all.join(", ")
        )
    })
}

/// Where a span is, as `site.pool:3`.
fn place_of(checked: &Checked, span: Span) -> String {
    let file = checked.sources.get(span.file);
    let (line, _) = file.line_col(span.start);
    let name = file
        .path
        .file_name()
        .map_or(file.name.clone(), |n| n.to_string_lossy().into());
    format!("{name}:{line}")
}

/// The most lines of a definition shown.
const SHOWN_LINES: usize = 15;

fn code_block(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().take(SHOWN_LINES + 1).collect();
    if lines.len() > SHOWN_LINES {
        lines.truncate(SHOWN_LINES);
        lines.push("…");
    }
    format!("```pool\n{}\n```", lines.join("\n"))
}

fn let_hover(checked: &Checked, binding: &Let) -> String {
    let value = source_text(checked, binding.value.span);
    format!(
        "{}\n\nDefined in {}",
        code_block(&format!("let {} = {value}", binding.name.name)),
        place_of(checked, binding.name.span)
    )
}

fn definition_hover(checked: &Checked, def: &Definition, template: bool) -> String {
    let keyword = if template { "template" } else { "pool" };
    let mut header = format!("{keyword} \"{}\"", def.name.value);
    if let Some(extends) = &def.extends {
        header.push_str(&format!(" extends \"{}\"", extends.value));
    }
    let fields: Vec<String> = def
        .body
        .entries
        .iter()
        .map(|e| format!("`{}`", e.name().name))
        .collect();
    let mut text = format!(
        "{}\n\nDefined in {}",
        code_block(&header),
        place_of(checked, def.name.span)
    );
    if !fields.is_empty() {
        text.push_str(&format!("\n\nSets {}", fields.join(", ")));
    }
    text
}

fn import_hover(
    checked: &Checked,
    file: FileId,
    import: &crate::syntax::ast::Import,
) -> Option<String> {
    let imports = checked.program.imports.get(file.0 as usize)?;
    let (imported, _) = imports.iter().find(|(_, span)| *span == import.path.span)?;
    let mut counts = [0usize; 3];
    for item in syntax(checked, *imported).map_or(&[][..], |f| &f.items) {
        match item {
            Item::Pool(_) => counts[0] += 1,
            Item::Template(_) => counts[1] += 1,
            Item::Let(_) => counts[2] += 1,
            Item::Import(_) => {}
        }
    }
    Some(format!(
        "**import** `{}`: {} pools, {} templates, {} `let`s",
        import.path.value, counts[0], counts[1], counts[2]
    ))
}
