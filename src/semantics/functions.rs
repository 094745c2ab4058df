//! The functions of the language, as a table: `env`, `file`, `base64`,
//! `trimspace`. Text read by `env` and `file` is marked [`Secrecy::Read`],
//! so no diagnostic ever quotes it; the others keep their input's secrecy.

use super::eval::Evaluator;
use super::suggest::suggest;
use super::value::{Str, Value, ValueKind};
use crate::diagnostics::{Diagnostics, FunctionProblem, Quoted};
use crate::secrets::Secrecy;
use crate::source::{self, Access, MAX_INPUT_BYTES, Unreadable, describe_io};
use crate::syntax::ast::Ident;
use crate::syntax::span::Span;
use base64::Engine as _;
use std::path::Path;

type Implementation =
    fn(&mut Evaluator, &'static Function, &[Value], Span, &mut Diagnostics) -> Option<Str>;

struct Function {
    name: &'static str,
    min: usize,
    max: usize,
    arity: &'static str,
    /// How it is called, for the help of a wrong call.
    usage: &'static str,
    implementation: Implementation,
}

const FUNCTIONS: &[Function] = &[
    Function {
        name: "env",
        min: 1,
        max: 2,
        arity: "1 or 2 arguments",
        usage: "env(\"NAME\") reads a variable; env(\"NAME\", \"default\") falls back when it is \
            unset",
        implementation: env,
    },
    Function {
        name: "file",
        min: 1,
        max: 1,
        arity: "1 argument",
        usage: "file(\"path\") reads a text file relative to the .pool file",
        implementation: file,
    },
    Function {
        name: "base64",
        min: 1,
        max: 1,
        arity: "1 argument",
        usage: "base64(text) encodes a string, e.g. base64(file(\"key.pem\"))",
        implementation: base64,
    },
    Function {
        name: "trimspace",
        min: 1,
        max: 1,
        arity: "1 argument",
        usage: "trimspace(text) removes leading and trailing whitespace",
        implementation: trimspace,
    },
];

pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
}

/// How a function is called (`env("NAME") reads a variable; ...`).
pub fn usage(name: &str) -> Option<&'static str> {
    FUNCTIONS.iter().find(|f| f.name == name).map(|f| f.usage)
}

/// Why a `file(...)` could not be read (kept per path, reported per call).
#[derive(Clone, Debug)]
pub enum FileError {
    Unreadable(Unreadable),
    Outside,
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
            name: Quoted::written(&function.name, function.span, evaluator.secrets),
            suggestion: suggest(&function.name, names()).map(Quoted::public),
        });
        return None;
    };
    if args.len() < f.min || args.len() > f.max {
        diagnostics.push(FunctionProblem::ArgumentCount {
            span,
            function: f.name,
            expected: f.arity,
            found: args.len(),
            usage: f.usage,
        });
        return None;
    }
    let result = (f.implementation)(evaluator, f, args, span, diagnostics)?;
    Some(Value::new(ValueKind::Str(result), span))
}

/// The text of a string argument, or a diagnostic.
fn string_arg<'v>(
    evaluator: &mut Evaluator,
    function: &'static Function,
    value: &'v Value,
    diagnostics: &mut Diagnostics,
) -> Option<&'v Str> {
    match &value.kind {
        ValueKind::Str(s) => Some(s),
        ValueKind::Keyword(name) => {
            evaluator.undefined_name(value, name, diagnostics);
            None
        }
        _ => {
            diagnostics.push(FunctionProblem::ArgumentType {
                span: value.span,
                function: function.name,
                expected: "a string",
                found: value.describe(),
                usage: function.usage,
            });
            None
        }
    }
}

fn env(
    evaluator: &mut Evaluator,
    function: &'static Function,
    args: &[Value],
    span: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let name = string_arg(evaluator, function, &args[0], diagnostics)?;
    let default = match args.get(1) {
        Some(value) => Some(string_arg(evaluator, function, value, diagnostics)?),
        None => None,
    };
    evaluator.beyond_text = true;
    match (evaluator.host.env_var(&name.text), default) {
        (Some(text), _) => Some(Str {
            text,
            secrecy: Secrecy::Read.max(name.secrecy),
        }),
        (None, Some(default)) => Some(default.clone()),
        (None, None) => {
            diagnostics.push(FunctionProblem::EnvUnset {
                span,
                variable: Quoted::value(&name.text, name.secrecy),
            });
            None
        }
    }
}

fn file(
    evaluator: &mut Evaluator,
    function: &'static Function,
    args: &[Value],
    span: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let written = string_arg(evaluator, function, &args[0], diagnostics)?;
    let caller = &evaluator.sources.get(span.file).path;
    let path = caller.parent().unwrap_or(Path::new("")).join(&written.text);
    evaluator.beyond_text = true;
    if !evaluator.files.contains_key(&path) {
        let read = read_input(evaluator, &path);
        evaluator.inputs.push(path.clone());
        evaluator.files.insert(path.clone(), read);
    }
    match &evaluator.files[&path] {
        Ok(text) => Some(Str {
            text: text.clone(),
            secrecy: Secrecy::Read.max(written.secrecy),
        }),
        Err(error) => {
            let (span, path) = (args[0].span, Quoted::value(&written.text, written.secrecy));
            diagnostics.push(match error {
                FileError::Unreadable(reason) => FunctionProblem::FileUnreadable {
                    span,
                    path,
                    reason: reason.clone(),
                },
                FileError::Outside => FunctionProblem::FileOutside { span, path },
                FileError::NotText => FunctionProblem::FileNotText { span, path },
            });
            None
        }
    }
}

/// The text of a `file(...)` input: a regular UTF-8 file of at most
/// [`MAX_INPUT_BYTES`] in an allowed folder.
fn read_input(evaluator: &Evaluator, path: &Path) -> Result<String, FileError> {
    let canonical = Access::resolve(evaluator.host, evaluator.folders, path)
        .map_err(|e| FileError::Unreadable(Unreadable::Io(describe_io(&e))))?
        .ok_or(FileError::Outside)?;
    let bytes =
        source::read(evaluator.host, &canonical, MAX_INPUT_BYTES).map_err(FileError::Unreadable)?;
    String::from_utf8(bytes).map_err(|_| FileError::NotText)
}

fn base64(
    evaluator: &mut Evaluator,
    function: &'static Function,
    args: &[Value],
    _: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let text = string_arg(evaluator, function, &args[0], diagnostics)?;
    Some(Str {
        text: base64::engine::general_purpose::STANDARD.encode(&text.text),
        secrecy: text.secrecy,
    })
}

fn trimspace(
    evaluator: &mut Evaluator,
    function: &'static Function,
    args: &[Value],
    _: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Str> {
    let text = string_arg(evaluator, function, &args[0], diagnostics)?;
    Some(Str {
        text: text.text.trim().to_string(),
        secrecy: text.secrecy,
    })
}
