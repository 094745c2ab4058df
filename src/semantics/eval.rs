//! Evaluating expressions to [`Value`]s: `let` references (each evaluated
//! once, cycles reported), string interpolation, and the functions.
//! A failed evaluation reports its problem once and yields `None`, so one
//! mistake does not cascade into many.

use super::functions;
use super::loader::Program;
use super::scope::{LetRef, Scopes};
use super::suggest::suggest;
use super::value::{Fields, Str, Value, ValueKind};
use crate::diagnostics::{
    Diagnostic, Diagnostics, FunctionProblem, NameProblem, Quoted, ShapeProblem, SyntaxProblem,
};
use crate::secrets::{Secrecy, Secrets};
use crate::source::{Host, SourceMap};
use crate::syntax::ast::{Expr, ExprKind, StrPart};
use crate::syntax::parser::MAX_NESTING;
use crate::syntax::span::{FileId, Span};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::PathBuf;

enum LetState {
    InProgress,
    /// The value and how deeply it nests.
    Done(Option<(Value, usize)>),
}

pub struct Evaluator<'p> {
    pub scopes: &'p Scopes<'p>,
    pub sources: &'p SourceMap,
    pub host: &'p dyn Host,
    /// The folders `file(...)` may read (canonical).
    pub folders: &'p [PathBuf],
    /// Where secrets may be written: a value written there is as secret.
    pub secrets: &'p Secrets,
    lets: HashMap<(FileId, u32), LetState>,
    /// How deeply `eval` has recursed.
    depth: usize,
    /// `file(...)` results by path, so a template read by many pools is read once.
    pub(super) files: HashMap<PathBuf, Result<String, functions::FileError>>,
    /// Every path `file(...)` read, in first-read order.
    pub inputs: Vec<PathBuf>,
    /// Kubernetes objects already read, by type and the span of their
    /// value, with what reading them reported (see `kube::embedded`).
    pub(super) objects: HashMap<(TypeId, Span), ReadObject>,
    /// Whether what was evaluated so far depends on more than the site's
    /// text (a file, an environment variable), or reported a `let`'s
    /// problem, which only the first pool to use the `let` reports: the
    /// pools read after that are not kept for the next check (see
    /// `super::cache`).
    pub(super) beyond_text: bool,
}

/// A Kubernetes object read once (an `Option<Embedded<T>>`), and what
/// reading it reported.
pub(super) struct ReadObject {
    pub object: Box<dyn Any>,
    pub reported: Vec<Diagnostic>,
}

impl<'p> Evaluator<'p> {
    pub fn new(
        scopes: &'p Scopes<'p>,
        program: &'p Program,
        host: &'p dyn Host,
        secrets: &'p Secrets,
    ) -> Evaluator<'p> {
        Evaluator {
            scopes,
            sources: &program.sources,
            host,
            folders: &program.folders,
            secrets,
            lets: HashMap::new(),
            depth: 0,
            files: HashMap::new(),
            inputs: Vec::new(),
            objects: HashMap::new(),
            beyond_text: false,
        }
    }

    /// Evaluates an expression. The recursion is bounded like the parser's
    /// nesting, `let`s included, so no value nests deeper than
    /// [`MAX_NESTING`] (a chain of `let`s could otherwise build any depth).
    pub fn eval(&mut self, expr: &Expr, diagnostics: &mut Diagnostics) -> Option<Value> {
        if self.depth >= MAX_NESTING {
            diagnostics.push(SyntaxProblem::TooDeep {
                span: expr.span,
                limit: MAX_NESTING,
            });
            return None;
        }
        self.depth += 1;
        let value = self.eval_within_limit(expr, diagnostics);
        self.depth -= 1;
        value
    }

    fn eval_within_limit(&mut self, expr: &Expr, diagnostics: &mut Diagnostics) -> Option<Value> {
        let span = expr.span;
        let kind = match &expr.kind {
            ExprKind::Str(parts) => ValueKind::Str(self.string(parts, diagnostics)?),
            ExprKind::Number(text) => ValueKind::Number(text.clone()),
            ExprKind::Bool(b) => ValueKind::Bool(*b),
            ExprKind::List(items) => {
                let values: Vec<Option<Value>> =
                    items.iter().map(|e| self.eval(e, diagnostics)).collect();
                ValueKind::List(values.into_iter().collect::<Option<_>>()?)
            }
            ExprKind::Object(attributes) => {
                let mut fields = Fields::with_capacity(attributes.len());
                for attribute in attributes {
                    let key = &attribute.key;
                    if let Some(previous) = fields.repeated(&key.name) {
                        diagnostics.push(ShapeProblem::DuplicateEntry {
                            span: key.span,
                            previous,
                            name: Quoted::written(&key.name, key.span, self.secrets),
                        });
                        continue;
                    }
                    let value = self.eval(&attribute.value, diagnostics);
                    fields.add(&key.name, key.span, value);
                }
                ValueKind::Object(fields.finish()?)
            }
            ExprKind::Call(call) => {
                let args: Vec<Option<Value>> = call
                    .args
                    .iter()
                    .map(|e| self.eval(e, diagnostics))
                    .collect();
                let args: Vec<Value> = args.into_iter().collect::<Option<_>>()?;
                let value = functions::call(self, &call.function, &args, span, diagnostics)?;
                // An env() or file() call whose text is a pool's credential.
                return Some(value.at_least(self.secrets.secrecy_at(span)));
            }
            ExprKind::Ref(ident) => match self.scopes.lookup_let(span.file, &ident.name) {
                Some(binding) => {
                    let (mut value, depth) = self.eval_let(binding, span, diagnostics)?;
                    if self.depth + depth > MAX_NESTING + 1 {
                        diagnostics.push(SyntaxProblem::TooDeep {
                            span,
                            limit: MAX_NESTING,
                        });
                        return None;
                    }
                    value.span = span;
                    return Some(value);
                }
                None => ValueKind::Keyword(ident.name.clone()),
            },
        };
        Some(Value::new(kind, span).at_least(self.secrets.secrecy_at(span)))
    }

    fn eval_let(
        &mut self,
        binding: LetRef<'p>,
        use_span: Span,
        diagnostics: &mut Diagnostics,
    ) -> Option<(Value, usize)> {
        let key = (binding.file, binding.binding.name.span.start);
        match self.lets.get(&key) {
            Some(LetState::Done(value)) => return value.clone(),
            Some(LetState::InProgress) => {
                self.beyond_text = true;
                diagnostics.push(NameProblem::LetCycle {
                    span: use_span,
                    name: Quoted::public(&binding.binding.name.name),
                });
                return None;
            }
            None => {}
        }
        self.lets.insert(key, LetState::InProgress);
        let reported = diagnostics.len();
        let value = self.eval(&binding.binding.value, diagnostics).map(|v| {
            let depth = v.depth();
            (v, depth)
        });
        self.lets.insert(key, LetState::Done(value.clone()));
        self.beyond_text |= diagnostics.len() > reported;
        value
    }

    fn string(&mut self, parts: &[StrPart], diagnostics: &mut Diagnostics) -> Option<Str> {
        let mut text = String::new();
        let mut secrecy = Secrecy::Public;
        let mut ok = true;
        for part in parts {
            match part {
                StrPart::Text(t, _) => text.push_str(t),
                StrPart::Interpolation(expr) => match self.eval(expr, diagnostics) {
                    Some(value) => match self.interpolate(&value, diagnostics) {
                        Some(t) => {
                            text.push_str(&t);
                            secrecy = secrecy.max(value.secrecy);
                        }
                        None => ok = false,
                    },
                    None => ok = false,
                },
            }
        }
        ok.then_some(Str { text, secrecy })
    }

    fn interpolate(&mut self, value: &Value, diagnostics: &mut Diagnostics) -> Option<String> {
        match &value.kind {
            ValueKind::Str(s) => Some(s.text.clone()),
            ValueKind::Number(n) => Some(n.clone()),
            ValueKind::Bool(b) => Some(b.to_string()),
            ValueKind::Keyword(name) => {
                if !self.scopes.may_define_let(value.span.file, name) {
                    let suggestion = suggest(name, self.scopes.let_names(value.span.file));
                    diagnostics.push(NameProblem::UndefinedInterpolated {
                        span: value.span,
                        name: Quoted::value(name, value.secrecy),
                        suggestion: suggestion.map(Quoted::public),
                    });
                }
                None
            }
            _ => {
                diagnostics.push(FunctionProblem::CannotInterpolate {
                    span: value.span,
                    found: value.describe(),
                });
                None
            }
        }
    }

    /// Reports a bare name (`value`, a keyword `name`) that is neither a
    /// `let` nor a keyword the field accepts, suggesting a `let` the file
    /// can see.
    pub fn undefined_name(&mut self, value: &Value, name: &str, diagnostics: &mut Diagnostics) {
        if self.scopes.may_define_let(value.span.file, name) {
            return;
        }
        let suggestion = suggest(name, self.scopes.let_names(value.span.file));
        diagnostics.push(NameProblem::UndefinedName {
            span: value.span,
            name: Quoted::value(name, value.secrecy),
            suggestion: suggestion.map(Quoted::public),
        });
    }
}
