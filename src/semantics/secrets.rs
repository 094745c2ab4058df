//! Which source text is secret. Credentials may be written as literals
//! (`token = "..."`, or an `env` entry for SPACELIFT_TOKEN); those literals,
//! and those of any `let` they use, must never be shown in a diagnostic.
//! This pass finds their spans syntactically, once per file, so reports can
//! mask them whatever problem they show.

use super::loader::Program;
use super::scope::Scopes;
use crate::model::launcher_settings::CREDENTIAL_VARIABLES;
use crate::syntax::ast::{Body, Entry, Expr, ExprKind, Item, StrPart};
use crate::syntax::span::Span;
use std::collections::HashSet;

pub fn spans<'p>(program: &'p Program, scopes: &Scopes<'p>) -> Vec<Span> {
    let mut finder = Finder {
        scopes,
        spans: Vec::new(),
        followed: HashSet::new(),
    };
    for (index, _) in program.files.iter().enumerate() {
        let file = program.file(crate::syntax::span::FileId(index as u32));
        for item in &file.items {
            if let Item::Pool(def) | Item::Template(def) = item {
                finder.body(&def.body);
            }
        }
    }
    finder.spans.sort();
    finder.spans.dedup();
    finder.spans
}

struct Finder<'s, 'p> {
    scopes: &'s Scopes<'p>,
    spans: Vec<Span>,
    /// `let`s already followed (by the span of their name).
    followed: HashSet<Span>,
}

impl<'p> Finder<'_, 'p> {
    fn body(&mut self, body: &'p Body) {
        for entry in &body.entries {
            let Entry::Block(block) = entry else { continue };
            let Some(inner) = &block.body else { continue };
            match block.kind.name.as_str() {
                // `credentials auto` holds no secret: a space and a description.
                "credentials" if !is_auto(block) => {
                    for attribute in inner.entries.iter().filter_map(attribute) {
                        self.secret(&attribute.value);
                    }
                }
                "launcher" => {
                    for attribute in inner
                        .entries
                        .iter()
                        .filter_map(attribute)
                        .filter(|a| a.key.name == "env")
                    {
                        self.env(&attribute.value);
                    }
                }
                _ => {}
            }
        }
    }

    /// Every literal that can reach the value of `expr`.
    fn secret(&mut self, expr: &'p Expr) {
        match &expr.kind {
            ExprKind::Str(parts) => {
                for part in parts {
                    match part {
                        StrPart::Text(_, span) => self.spans.push(*span),
                        StrPart::Interpolation(inner) => self.secret(inner),
                    }
                }
            }
            // env's first argument names a variable and file's a path;
            // env's default and the transformations' input are the value.
            ExprKind::Call(call) => {
                let value_args = match call.function.name.as_str() {
                    "env" => call.args.get(1..).unwrap_or_default(),
                    "file" => &[],
                    _ => &call.args,
                };
                value_args.iter().for_each(|a| self.secret(a));
            }
            ExprKind::List(items) => items.iter().for_each(|i| self.secret(i)),
            ExprKind::Object(attributes) => attributes.iter().for_each(|a| self.secret(&a.value)),
            ExprKind::Ref(_) => {
                if let Some(value) = self.follow(expr) {
                    self.secret(value);
                }
            }
            ExprKind::Number(_) | ExprKind::Bool(_) => {}
        }
    }

    /// The values of the credential variables in an `env` list or object.
    fn env(&mut self, expr: &'p Expr) {
        match &expr.kind {
            ExprKind::List(items) => {
                for item in items {
                    let item = self.resolve(item);
                    let ExprKind::Object(attributes) = &item.kind else {
                        continue;
                    };
                    let name = attributes
                        .iter()
                        .find(|a| a.key.name == "name")
                        .map(|a| self.resolve(&a.value));
                    if name.is_some_and(is_credential_name) {
                        attributes
                            .iter()
                            .filter(|a| a.key.name == "value")
                            .for_each(|a| self.secret(&a.value));
                    }
                }
            }
            ExprKind::Object(attributes) => {
                for attribute in attributes
                    .iter()
                    .filter(|a| CREDENTIAL_VARIABLES.contains(&a.key.name.as_str()))
                {
                    self.secret(&attribute.value);
                }
            }
            ExprKind::Ref(_) => {
                if let Some(value) = self.follow(expr) {
                    self.env(value);
                }
            }
            _ => {}
        }
    }

    /// A reference's `let` value, once per `let` (cycles are harmless).
    fn follow(&mut self, expr: &Expr) -> Option<&'p Expr> {
        let ExprKind::Ref(ident) = &expr.kind else {
            return None;
        };
        let binding = self.scopes.lookup_let(expr.span.file, &ident.name)?;
        self.followed
            .insert(binding.binding.name.span)
            .then_some(&binding.binding.value)
    }

    /// An expression, through any `let` references.
    fn resolve(&self, mut expr: &'p Expr) -> &'p Expr {
        for _ in 0..16 {
            let ExprKind::Ref(ident) = &expr.kind else {
                break;
            };
            match self.scopes.lookup_let(expr.span.file, &ident.name) {
                Some(binding) => expr = &binding.binding.value,
                None => break,
            }
        }
        expr
    }
}

fn attribute(entry: &Entry) -> Option<&crate::syntax::ast::Attribute> {
    match entry {
        Entry::Attribute(a) => Some(a),
        Entry::Block(_) => None,
    }
}

fn is_credential_name(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Str(parts) => match parts.as_slice() {
            [StrPart::Text(text, _)] => CREDENTIAL_VARIABLES.contains(&text.as_str()),
            _ => false,
        },
        _ => false,
    }
}

/// `credentials auto { ... }`: the operator registers the pool itself.
fn is_auto(block: &crate::syntax::ast::Block) -> bool {
    matches!(block.labels.as_slice(), [auto] if auto.value == "auto" && !auto.quoted)
}
