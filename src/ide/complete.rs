//! Completion: the fields and blocks valid where the cursor is (a pool's,
//! the launcher's, a storage kind's, a Kubernetes object's), keyword
//! values and block labels, `let` and template names, functions, and the
//! language's own words.

use super::context::{self, Bracket, Context, Token};
use super::hover::describe_field;
use super::locate::Step;
use super::place::{self, Field};
use super::{Completion, CompletionKind, syntax};
use crate::diagnostics::Diagnostics;
use crate::semantics::Checked;
use crate::semantics::scope::Scopes;
use crate::syntax::span::FileId;

/// What to offer at `offset` of `text`, the file's text as typed. The
/// `let`s and templates the file can see come from its text and from
/// `checked` (the last check of the site, which may be older than `text`).
pub fn complete(text: &str, offset: usize, checked: Option<(&Checked, FileId)>) -> Vec<Completion> {
    let context = context::at(text, offset);
    let names = Names::of(text, checked);
    let mut out = match context.frames.first() {
        _ if context.in_text => Vec::new(),
        None => top_level(&context, &names),
        Some(first) if is_definition(&first.opener) => in_definition(&context, &names),
        Some(_) => values(None, &names),
    };
    out.retain(|c| c.label.starts_with(&context.partial) || context.partial.is_empty());
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup_by(|a, b| a.label == b.label);
    out
}

fn is_definition(opener: &[Token]) -> bool {
    matches!(opener.first(), Some(Token::Word(w)) if w == "pool" || w == "template")
}

/// The `let`s and templates the file can see.
struct Names {
    lets: Vec<String>,
    templates: Vec<String>,
}

impl Names {
    fn of(text: &str, checked: Option<(&Checked, FileId)>) -> Names {
        let (mut lets, mut templates) = context::defined_names(text);
        if let Some((checked, file)) = checked
            && syntax(checked, file).is_some()
        {
            let scopes = Scopes::build(&checked.program, &mut Diagnostics::default());
            lets.extend(scopes.let_names(file).map(String::from));
            templates.extend(scopes.template_names(file).map(String::from));
        }
        Names { lets, templates }
    }
}

fn item(label: &str, kind: CompletionKind) -> Completion {
    Completion {
        label: label.to_string(),
        kind,
        detail: None,
        documentation: None,
        insert: None,
    }
}

fn top_level(context: &Context, names: &Names) -> Vec<Completion> {
    let words: Vec<&str> = context
        .top
        .iter()
        .map(|t| match t {
            Token::Word(w) => w.as_str(),
            Token::Str(_) => "\"\"",
            Token::Equals => "=",
        })
        .collect();
    match words.as_slice() {
        [] => ["let", "import", "pool", "template"]
            .iter()
            .map(|k| item(k, CompletionKind::Keyword))
            .collect(),
        ["pool" | "template", "\"\""] => vec![item("extends", CompletionKind::Keyword)],
        ["pool" | "template", "\"\"", "extends"] => names
            .templates
            .iter()
            .map(|t| Completion {
                insert: Some(format!("\"{t}\"")),
                ..item(t, CompletionKind::Template)
            })
            .collect(),
        ["let", _, "="] => values(None, names),
        _ => Vec::new(),
    }
}

/// The path of fields the open brackets inside a definition stand for.
fn steps(context: &Context) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for frame in &context.frames[1..] {
        let key = match frame.opener.first() {
            Some(Token::Word(w) | Token::Str(w)) => Some(w.clone()),
            _ => None,
        };
        match (frame.bracket, key) {
            (Bracket::Body, Some(name)) => {
                let label = match frame.opener.get(1) {
                    Some(Token::Word(l) | Token::Str(l)) => Some(l.clone()),
                    _ => None,
                };
                steps.push(Step::Field { name, label });
            }
            (Bracket::Object, Some(name)) => steps.push(Step::field(&name)),
            (Bracket::Object, None) => {}
            (Bracket::List, Some(name)) => {
                steps.push(Step::field(&name));
                steps.push(Step::Item);
            }
            (Bracket::List, None) => steps.push(Step::Item),
            (Bracket::Call, _) | (Bracket::Body, None) => return None,
        }
    }
    Some(steps)
}

fn in_definition(context: &Context, names: &Names) -> Vec<Completion> {
    let Some(steps) = steps(context) else {
        return values(None, names);
    };
    let frame = context.frames.last().map_or(Bracket::Body, |f| f.bracket);
    let here = place::of(&steps);
    match (frame, context.entry()) {
        (Bracket::Body | Bracket::Object, []) => here.fields().iter().map(field_item).collect(),
        (Bracket::Body, [Token::Word(kind)]) => labels(&here.field(kind)),
        (Bracket::Body | Bracket::Object, [Token::Word(key) | Token::Str(key), Token::Equals]) => {
            values(here.field(key).as_ref(), names)
        }
        (Bracket::List, _) => {
            let field = list_field(&steps);
            values(field.as_ref(), names)
        }
        _ => Vec::new(),
    }
}

/// The field whose list the cursor is in.
fn list_field(steps: &[Step]) -> Option<Field> {
    let [rest @ .., Step::Field { name, .. }, Step::Item] = steps else {
        return None;
    };
    place::of(rest).field(name)
}

fn field_item(field: &Field) -> Completion {
    let name = field.name();
    let (kind, insert) = if field.is_block() {
        (CompletionKind::Block, None)
    } else {
        (CompletionKind::Field, Some(format!("{name} = ")))
    };
    let detail = match field {
        Field::Pool(doc, _) => Some(doc.written.to_string()),
        Field::Setting(setting) => Some(setting.variable.to_string()),
        Field::Kube { node, .. } => Some(place::kube_type(node)),
        Field::Shorthand(..) => None,
    };
    Completion {
        label: name,
        kind,
        detail,
        documentation: Some(describe_field(field)),
        insert,
    }
}

/// The labels a block takes (`claim`, `external`).
fn labels(field: &Option<Field>) -> Vec<Completion> {
    let Some(Field::Pool(doc, _)) = field else {
        return Vec::new();
    };
    match doc.kind {
        super::fields::Kind::Labelled { labels } => labels()
            .into_iter()
            .map(|l| item(l, CompletionKind::Value))
            .collect(),
        _ => Vec::new(),
    }
}

/// What a value may be: the field's words, then the `let`s and functions.
fn values(field: Option<&Field>, names: &Names) -> Vec<Completion> {
    let mut out: Vec<Completion> = field
        .map(Field::words)
        .unwrap_or_default()
        .into_iter()
        .filter(|w| !w.is_empty())
        .map(|w| {
            let quoted = matches!(field, Some(Field::Kube { .. })) && w != "true" && w != "false";
            Completion {
                insert: quoted.then(|| format!("\"{w}\"")),
                ..item(w, CompletionKind::Value)
            }
        })
        .collect();
    out.extend(names.lets.iter().map(|l| item(l, CompletionKind::Let)));
    out.extend(crate::semantics::functions::names().map(|f| Completion {
        detail: crate::semantics::functions::usage(f).map(String::from),
        insert: Some(format!("{f}(")),
        ..item(f, CompletionKind::Function)
    }));
    out
}
