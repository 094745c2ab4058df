//! A file's shape: its symbols (pools, templates, lets, imports and the
//! blocks and attributes of their bodies), the ranges an editor can fold,
//! and inlay hints (the launcher variable each typed setting writes).

use super::{InlayHint, Symbol, SymbolKind, syntax};
use crate::diagnostics::Diagnostics;
use crate::model::launcher_settings;
use crate::semantics::Checked;
use crate::semantics::scope::Scopes;
use crate::syntax::ast::Definition;
use crate::syntax::ast::{Body, Entry, Expr, ExprKind, Item, StrPart};
use crate::syntax::span::{FileId, Span};

/// The outline of `file`.
pub fn symbols(checked: &Checked, file: FileId) -> Vec<Symbol> {
    let Some(parsed) = syntax(checked, file) else {
        return Vec::new();
    };
    parsed
        .items
        .iter()
        .map(|item| match item {
            Item::Let(binding) => Symbol {
                name: binding.name.name.clone(),
                kind: SymbolKind::Let,
                detail: None,
                span: binding.span,
                selection: binding.name.span,
                children: Vec::new(),
            },
            Item::Import(import) => Symbol {
                name: import.path.value.clone(),
                kind: SymbolKind::Import,
                detail: None,
                span: import.span,
                selection: import.path.span,
                children: Vec::new(),
            },
            Item::Pool(def) | Item::Template(def) => Symbol {
                name: def.name.value.clone(),
                kind: match item {
                    Item::Pool(_) => SymbolKind::Pool,
                    _ => SymbolKind::Template,
                },
                detail: def
                    .extends
                    .as_ref()
                    .map(|e| format!("extends \"{}\"", e.value)),
                span: def.span,
                selection: def.name.span,
                children: body_symbols(&def.body),
            },
        })
        .collect()
}

fn body_symbols(body: &Body) -> Vec<Symbol> {
    body.entries
        .iter()
        .map(|entry| match entry {
            Entry::Attribute(attribute) => Symbol {
                name: attribute.key.name.clone(),
                kind: SymbolKind::Attribute,
                detail: None,
                span: attribute.span,
                selection: attribute.key.span,
                children: Vec::new(),
            },
            Entry::Block(block) => {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.value.as_str()).collect();
                Symbol {
                    name: block.kind.name.clone(),
                    kind: SymbolKind::Block,
                    detail: (!labels.is_empty()).then(|| labels.join(" ")),
                    span: block.span,
                    selection: block.kind.span,
                    children: block.body.as_ref().map(body_symbols).unwrap_or_default(),
                }
            }
        })
        .collect()
}

/// The spans an editor can fold: bodies, objects, lists, calls and
/// heredocs (those on one line too; the editor keeps the ones that span
/// lines), and runs of comment lines.
pub fn folds(checked: &Checked, file: FileId) -> Vec<Span> {
    let Some(parsed) = syntax(checked, file) else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    for item in &parsed.items {
        match item {
            Item::Let(binding) => expr_folds(&binding.value, &mut spans),
            Item::Pool(def) | Item::Template(def) => body_folds(&def.body, &mut spans),
            Item::Import(_) => {}
        }
    }
    let text = &checked.sources.get(file).text;
    let mut run: Option<Span> = None;
    for comment in &parsed.comments {
        let own_line = text[..comment.span.start as usize]
            .rsplit('\n')
            .next()
            .is_some_and(|before| before.trim().is_empty());
        run = match run {
            Some(r)
                if own_line
                    && text
                        .get(r.end as usize..comment.span.start as usize)
                        .is_some_and(|between| between.trim().is_empty()) =>
            {
                Some(r.to(comment.span))
            }
            _ => {
                spans.extend(run);
                own_line.then_some(comment.span)
            }
        };
    }
    spans.extend(run);
    spans.sort();
    spans
}

fn body_folds(body: &Body, spans: &mut Vec<Span>) {
    spans.push(body.span);
    for entry in &body.entries {
        match entry {
            Entry::Attribute(attribute) => expr_folds(&attribute.value, spans),
            Entry::Block(block) => {
                if let Some(body) = &block.body {
                    body_folds(body, spans);
                }
            }
        }
    }
}

fn expr_folds(expr: &Expr, spans: &mut Vec<Span>) {
    match &expr.kind {
        ExprKind::List(items) => {
            spans.push(expr.span);
            items.iter().for_each(|i| expr_folds(i, spans));
        }
        ExprKind::Object(attributes) => {
            spans.push(expr.span);
            attributes.iter().for_each(|a| expr_folds(&a.value, spans));
        }
        ExprKind::Call(call) => {
            spans.push(expr.span);
            call.args.iter().for_each(|a| expr_folds(a, spans));
        }
        ExprKind::Str(parts) => {
            spans.push(expr.span);
            for part in parts {
                if let StrPart::Interpolation(inner) = part {
                    expr_folds(inner, spans);
                }
            }
        }
        ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Ref(_) => {}
    }
}

/// The launcher variable each typed setting of a `launcher` block writes,
/// shown after its value; the target a pool inherits from its templates,
/// after its `extends`.
pub fn inlay_hints(checked: &Checked, file: FileId) -> Vec<InlayHint> {
    let Some(parsed) = syntax(checked, file) else {
        return Vec::new();
    };
    let scopes = Scopes::build(&checked.program, &mut Diagnostics::default());
    let mut hints = Vec::new();
    for item in &parsed.items {
        let (Item::Pool(def) | Item::Template(def)) = item else {
            continue;
        };
        if let (Item::Pool(_), Some(extends)) = (item, &def.extends)
            && let Some((target, template)) = inherited_target(&scopes, file, def)
        {
            hints.push(InlayHint {
                offset: extends.span.end,
                label: format!("target = {target}"),
                tooltip: Some(format!(
                    "the target, inherited from template \"{template}\""
                )),
            });
        }
        for entry in &def.body.entries {
            let Entry::Block(block) = entry else { continue };
            let Some(body) = block
                .body
                .as_ref()
                .filter(|_| block.kind.name == "launcher")
            else {
                continue;
            };
            for entry in &body.entries {
                let Entry::Attribute(attribute) = entry else {
                    continue;
                };
                if let Some(setting) = launcher_settings::by_name(&attribute.key.name) {
                    hints.push(InlayHint {
                        offset: attribute.value.span.end,
                        label: format!("→ {}", setting.variable),
                        tooltip: Some(format!(
                            "the launcher's environment variable {}",
                            setting.variable
                        )),
                    });
                }
            }
        }
    }
    hints
}

/// The `target` a pool that does not set one inherits, and the template
/// that sets it.
fn inherited_target(scopes: &Scopes, file: FileId, pool: &Definition) -> Option<(String, String)> {
    if target_of(pool).is_some() {
        return None;
    }
    let mut current = (file, pool);
    // A chain of templates is short; a cycle is reported by the checker.
    for _ in 0..32 {
        let extends = current.1.extends.as_ref()?;
        let template = scopes.lookup_template(current.0, &extends.value)?;
        if let Some(target) = target_of(template.def) {
            return Some((target, template.name().to_string()));
        }
        current = (template.file, template.def);
    }
    None
}

/// The target a definition's own body writes.
fn target_of(def: &Definition) -> Option<String> {
    def.body.entries.iter().find_map(|entry| match entry {
        Entry::Attribute(a) if a.key.name == "target" => match &a.value.kind {
            ExprKind::Ref(word) => Some(word.name.clone()),
            ExprKind::Str(parts) => match parts.as_slice() {
                [StrPart::Text(text, _)] => Some(text.clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}
