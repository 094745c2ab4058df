//! The functions of the language, as a table: `env`, `file`, `base64`,
//! `trimspace`. Text read by `env` and `file` is marked external, so no
//! diagnostic ever quotes it.

use super::eval::Evaluator;
use super::loader::describe_io;
use super::suggest::suggest;
use super::value::{Str, Value, ValueKind};
use crate::diagnostics::{Diagnostics, FunctionProblem};
use crate::syntax::ast::Ident;
use crate::syntax::span::Span;
use base64::Engine as _;
use std::path::Path;

type Implementation = fn(&mut Evaluator, &[Value], Span, &mut Diagnostics) -> Option<Str>;

struct Function {
    name: &'static str,
    min: usize,
    max: usize,
    arity: &'static str,
    implementation: Implementation,
}

const FUNCTIONS: &[Function] = &[
    Function {
        name: "env",
        min: 1,
        max: 2,
        arity: "1 or 2 arguments",
        implementation: env,
    },
    Function {
        name: "file",
        min: 1,
        max: 1,
        arity: "1 argument",
        implementation: file,
    },
    Function {
        name: "base64",
        min: 1,
        max: 1,
        arity: "1 argument",
        implementation: base64,
    },
    Function {
        name: "trimspace",
        min: 1,
        max: 1,
        arity: "1 argument",
        implementation: trimspace,
    },
];

pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
}

/// Why a `file(...)` could not be read (kept per path, reported per call).
#[derive(Clone, Debug)]
pub enum FileError {
    Unreadable(String),
    NotText,
}

pub fn call(
    evaluator: &mut Evaluator,
    function: &Ident,
    args: &[Value],
    span: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Value> {
    let Some(f) = FUNCTIONS.iter().find(|f| f.name == function.name) else {
        diagnostics.push(FunctionProblem::UnknownFunction {
            span: function.span,
            name: function.name.clone(),
            suggestion: suggest(&function.name, names()),
        });
        return None;
    };
    if args.len() < f.min || args.len() > f.max {
        diagnostics.push(FunctionProblem::ArgumentCount {
            span,
            function: f.name,
            expected: f.arity,
            found: args.len(),
        });
        return None;
    }
    let result = (f.implementation)(evaluator, args, span, diagnostics)?;
    Some(Value::new(ValueKind::Str(result), span))
}

/// The text of a string argument, or a diagnostic.
fn string_arg<'v>(
    evaluator: &mut Evaluator,
    function: &'static str,
    value: &'v Value,
    diagnostics: &mut Diagnostics,
) -> Option<&'v Str> {
    match &value.kind {
        ValueKind::Str(s) => Some(s),
        ValueKind::Keyword(name) => {
            evaluator.undefined_name(value.span, name, diagnostics);
            None
        }
        _ => {
            diagnostics.push(FunctionProblem::ArgumentType {
                span: value.span,
                function,
                expected: "a string",
                found: value.describe(),
            });
            None
        }
    }
}

fn env(
    evaluator: &mut Evaluator,
    args: &[Value],
    span: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let name = string_arg(evaluator, "env", &args[0], diagnostics)?;
    let default = match args.get(1) {
        Some(value) => Some(string_arg(evaluator, "env", value, diagnostics)?),
        None => None,
    };
    match (evaluator.host.env_var(&name.text), default) {
        (Some(text), _) => Some(Str {
            text,
            external: true,
        }),
        (None, Some(default)) => Some(default.clone()),
        (None, None) => {
            diagnostics.push(FunctionProblem::EnvUnset {
                span,
                variable: name.text.clone(),
            });
            None
        }
    }
}

fn file(
    evaluator: &mut Evaluator,
    args: &[Value],
    span: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let written = string_arg(evaluator, "file", &args[0], diagnostics)?;
    let caller = &evaluator.sources.get(span.file).path;
    let path = caller.parent().unwrap_or(Path::new("")).join(&written.text);
    if !evaluator.files.contains_key(&path) {
        let read = match evaluator.host.read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| FileError::NotText),
            Err(e) => Err(FileError::Unreadable(describe_io(&e))),
        };
        evaluator.inputs.push(path.clone());
        evaluator.files.insert(path.clone(), read);
    }
    match &evaluator.files[&path] {
        Ok(text) => Some(Str {
            text: text.clone(),
            external: true,
        }),
        Err(error) => {
            let path = written.text.clone();
            diagnostics.push(match error {
                FileError::Unreadable(error) => FunctionProblem::FileUnreadable {
                    span: args[0].span,
                    path,
                    error: error.clone(),
                },
                FileError::NotText => FunctionProblem::FileNotText {
                    span: args[0].span,
                    path,
                },
            });
            None
        }
    }
}

fn base64(
    evaluator: &mut Evaluator,
    args: &[Value],
    _: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let text = string_arg(evaluator, "base64", &args[0], diagnostics)?;
    Some(Str {
        text: base64::engine::general_purpose::STANDARD.encode(&text.text),
        external: text.external,
    })
}

fn trimspace(
    evaluator: &mut Evaluator,
    args: &[Value],
    _: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let text = string_arg(evaluator, "trimspace", &args[0], diagnostics)?;
    Some(Str {
        text: text.text.trim().to_string(),
        external: text.external,
    })
}
