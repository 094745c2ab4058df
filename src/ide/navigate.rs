//! Go to definition, find references and rename, for `let`s, templates
//! (`extends`) and imports (the file).

use super::locate::{self, Hit};
use super::{TextEdit, syntax};
use crate::diagnostics::Diagnostics;
use crate::semantics::Checked;
use crate::semantics::scope::Scopes;
use crate::syntax::ast::{ExprKind, Item};
use crate::syntax::span::{FileId, Span};

/// What a name at an offset refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// A `let`, by the span of its name.
    Let(Span),
    /// A template, by the span of its name.
    Template(Span),
    /// A file the site imports.
    File(FileId),
}

fn target(checked: &Checked, scopes: &Scopes, file: FileId, offset: u32) -> Option<Target> {
    let found = locate::at(syntax(checked, file)?, offset)?;
    match found.hit {
        Hit::Ref(ident) => scopes
            .lookup_let(file, &ident.name)
            .map(|l| Target::Let(l.binding.name.span)),
        Hit::LetName(binding) => Some(Target::Let(binding.name.span)),
        Hit::DefinitionName(def, true) => Some(Target::Template(def.name.span)),
        Hit::Extends(label) => scopes
            .lookup_template(file, &label.value)
            .map(|t| Target::Template(t.def.name.span)),
        Hit::Import(import) => {
            let imports = checked.program.imports.get(file.0 as usize)?;
            let (imported, _) = imports.iter().find(|(_, s)| *s == import.path.span)?;
            Some(Target::File(*imported))
        }
        _ => None,
    }
}

fn scopes(checked: &Checked) -> Scopes<'_> {
    Scopes::build(&checked.program, &mut Diagnostics::default())
}

/// Where the name at `offset` is defined: a `let`'s or template's name, or
/// the start of an imported file.
pub fn definition(checked: &Checked, file: FileId, offset: u32) -> Option<Span> {
    let scopes = scopes(checked);
    Some(match target(checked, &scopes, file, offset)? {
        Target::Let(span) | Target::Template(span) => span,
        Target::File(imported) => Span::new(imported, 0, 0),
    })
}

/// Every place that refers to what the name at `offset` refers to, in
/// every file of the site, its definition first when asked for.
pub fn references(
    checked: &Checked,
    file: FileId,
    offset: u32,
    with_definition: bool,
) -> Vec<Span> {
    let scopes = scopes(checked);
    let Some(target) = target(checked, &scopes, file, offset) else {
        return Vec::new();
    };
    let mut spans = uses(checked, &scopes, target);
    spans.sort();
    if with_definition && let Target::Let(span) | Target::Template(span) = target {
        spans.insert(0, span);
    }
    spans
}

/// The spans that refer to `target`: `let` references, `extends` labels,
/// `import` paths.
fn uses(checked: &Checked, scopes: &Scopes, target: Target) -> Vec<Span> {
    let mut spans = Vec::new();
    for (index, parsed) in checked.program.files.iter().enumerate() {
        let file = FileId(index as u32);
        match target {
            Target::Let(definition) => {
                for expr in locate::expressions(parsed) {
                    if let ExprKind::Ref(ident) = &expr.kind
                        && scopes
                            .lookup_let(file, &ident.name)
                            .is_some_and(|l| l.binding.name.span == definition)
                    {
                        spans.push(ident.span);
                    }
                }
            }
            Target::Template(definition) => {
                for item in &parsed.items {
                    if let Item::Pool(def) | Item::Template(def) = item
                        && let Some(extends) = &def.extends
                        && scopes
                            .lookup_template(file, &extends.value)
                            .is_some_and(|t| t.def.name.span == definition)
                    {
                        spans.push(extends.span);
                    }
                }
            }
            Target::File(imported) => {
                let imports = checked.program.imports.get(index).into_iter().flatten();
                spans.extend(
                    imports
                        .filter(|(f, _)| *f == imported)
                        .map(|(_, span)| *span),
                );
            }
        }
    }
    spans
}

/// The name at `offset` that can be renamed (a `let` or a template, where
/// it is defined or used), and its span.
pub fn prepare_rename(checked: &Checked, file: FileId, offset: u32) -> Option<Span> {
    let found = locate::at(syntax(checked, file)?, offset)?;
    let scopes = scopes(checked);
    match target(checked, &scopes, file, offset)? {
        Target::File(_) => None,
        Target::Let(_) | Target::Template(_) => Some(match found.hit {
            Hit::Ref(ident) => ident.span,
            Hit::LetName(binding) => binding.name.span,
            Hit::DefinitionName(def, _) => def.name.span,
            Hit::Extends(label) => label.span,
            _ => return None,
        }),
    }
}

/// The edits that rename the `let` or template at `offset` to `new_name`
/// everywhere in the site, or why it cannot be.
pub fn rename(
    checked: &Checked,
    file: FileId,
    offset: u32,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    let scopes = scopes(checked);
    let target = target(checked, &scopes, file, offset)
        .ok_or_else(|| "only a `let` or a template can be renamed".to_string())?;
    let (definition, quoted) = match target {
        Target::Let(span) => {
            check_let_name(new_name)?;
            (span, false)
        }
        Target::Template(span) => {
            check_template_name(new_name)?;
            (span, true)
        }
        Target::File(_) => return Err("an import is renamed by renaming its file".into()),
    };
    let taken = (0..checked.program.files.len()).any(|i| {
        let file = FileId(i as u32);
        match target {
            Target::Let(_) => scopes.lookup_let(file, new_name).is_some(),
            _ => scopes.lookup_template(file, new_name).is_some(),
        }
    });
    if taken {
        return Err(format!("`{new_name}` is already defined"));
    }
    let mut spans = uses(checked, &scopes, target);
    spans.push(definition);
    spans.sort();
    Ok(spans
        .into_iter()
        .map(|span| name_edit(checked, span, new_name, quoted))
        .collect())
}

/// The edit that writes `name` at `span`, inside the quotes of a quoted name.
fn name_edit(checked: &Checked, span: Span, name: &str, quoted: bool) -> TextEdit {
    let text = &checked.sources.get(span.file).text;
    let written = text.get(span.range()).unwrap_or_default();
    if written.len() >= 2 && written.starts_with('"') && written.ends_with('"') {
        return TextEdit {
            span: Span::new(span.file, span.range().start + 1, span.range().end - 1),
            text: name.to_string(),
        };
    }
    let text = if quoted && !crate::format::is_name(name) {
        format!("\"{name}\"")
    } else {
        name.to_string()
    };
    TextEdit { span, text }
}

fn check_let_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first = chars.next().ok_or("a name cannot be empty")?;
    let valid = (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return Err(format!(
            "`{name}` is not a name: letters, digits, `_` and `-`"
        ));
    }
    if crate::syntax::parser::KEYWORDS.contains(&name) {
        return Err(format!("`{name}` is a keyword"));
    }
    Ok(())
}

fn check_template_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.contains(['"', '\\', '\n', '\r']) || name.contains("${") {
        return Err(format!("`{name}` cannot be written as a template name"));
    }
    Ok(())
}
