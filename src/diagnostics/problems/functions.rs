//! Functions and expressions.

use super::names::ALLOW_PATH_HELP;
use super::{D, did_you_mean, rename};
use crate::diagnostics::{Code, Diagnostic, Quoted};
use crate::source::{Unreadable, size};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum FunctionProblem {
    UnknownFunction {
        span: Span,
        name: Quoted,
        suggestion: Option<Quoted>,
    },
    ArgumentCount {
        span: Span,
        function: &'static str,
        expected: &'static str,
        found: usize,
        /// How the function is called.
        usage: &'static str,
    },
    EnvUnset {
        span: Span,
        variable: Quoted,
    },
    FileUnreadable {
        span: Span,
        path: Quoted,
        reason: Unreadable,
    },
    FileOutside {
        span: Span,
        path: Quoted,
    },
    FileNotText {
        span: Span,
        path: Quoted,
    },
    ArgumentType {
        span: Span,
        function: &'static str,
        expected: &'static str,
        found: &'static str,
        /// How the function is called.
        usage: &'static str,
    },
    CannotInterpolate {
        span: Span,
        found: &'static str,
    },
}

impl From<FunctionProblem> for Diagnostic {
    fn from(problem: FunctionProblem) -> Diagnostic {
        use FunctionProblem::*;
        let d = match problem {
            UnknownFunction {
                span,
                name,
                suggestion,
            } => D::new(
                Code::UnknownFunction,
                span,
                format!("unknown function `{name}`"),
                "not a function",
            )
            .help(
                did_you_mean(&suggestion)
                    .unwrap_or_else(|| "the functions are env, file, base64 and trimspace".into()),
            )
            .fix(rename(span, &suggestion)),
            ArgumentCount {
                span,
                function,
                expected,
                found,
                usage,
            } => D::new(
                Code::ArgumentCount,
                span,
                format!("`{function}` takes {expected}, found {found}"),
                "wrong number of arguments",
            )
            .help(usage),
            EnvUnset { span, variable } => D::new(
                Code::EnvUnset,
                span,
                format!("environment variable `{variable}` is not set"),
                "read here",
            )
            .help(format!(
                "set it before running poolc, or give a default: env(\"{variable}\", \"...\")"
            )),
            FileUnreadable { span, path, reason } => {
                let help = match reason {
                    Unreadable::Io(_) => {
                        "paths are relative to the .pool file that names them".into()
                    }
                    Unreadable::NotAFile(_) => "file(...) reads a regular file".into(),
                    Unreadable::TooLarge { limit } => format!(
                        "file(...) reads at most {}: keys, certificates and other small texts",
                        size(limit)
                    ),
                };
                D::new(
                    Code::FileUnreadable,
                    span,
                    format!("cannot read `{path}`"),
                    reason.to_string(),
                )
                .help(help)
            }
            FileOutside { span, path } => D::new(
                Code::FileOutside,
                span,
                format!("`{path}` is outside the folders poolc may read"),
                "outside the root file's folder",
            )
            .help(ALLOW_PATH_HELP),
            FileNotText { span, path } => D::new(
                Code::FileNotText,
                span,
                format!("`{path}` is not UTF-8 text"),
                "read here",
            )
            .help("file(...) reads text files such as PEM keys"),
            ArgumentType {
                span,
                function,
                expected,
                found,
                usage,
            } => D::new(
                Code::ArgumentType,
                span,
                format!("`{function}` expects {expected}, found {found}"),
                format!("this is {found}"),
            )
            .help(usage),
            CannotInterpolate { span, found } => D::new(
                Code::CannotInterpolate,
                span,
                format!("{found} cannot be interpolated into a string"),
                format!("this is {found}"),
            )
            .help("only strings, numbers and booleans can appear inside ${...}"),
        };
        d.into()
    }
}
