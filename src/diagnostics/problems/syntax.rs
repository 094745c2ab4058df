//! Syntax: what the parser cannot read.

use super::{D, one_of};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum SyntaxProblem {
    Syntax {
        span: Span,
        found: String,
        expected: Vec<String>,
    },
    BadEscape {
        span: Span,
        escape: String,
    },
    InterpolationNotAllowed {
        span: Span,
    },
    UnterminatedString {
        span: Span,
    },
    KeywordAsName {
        span: Span,
        keyword: String,
    },
    TooDeep {
        span: Span,
        limit: usize,
    },
    UnterminatedHeredoc {
        span: Span,
        tag: String,
    },
    NotUtf8 {
        span: Span,
    },
}

impl From<SyntaxProblem> for Diagnostic {
    fn from(problem: SyntaxProblem) -> Diagnostic {
        use SyntaxProblem::*;
        let d = match problem {
            Syntax {
                span,
                found,
                expected,
            } => {
                let wants_equals = expected.iter().any(|e| e == "`=`");
                D::new(
                    Code::Syntax,
                    span,
                    format!("unexpected {found}"),
                    format!("expected {}", one_of(&expected)),
                )
                .maybe_help(wants_equals.then(|| {
                    "an attribute is written `name = value`, a block `name { ... }`".to_string()
                }))
            }
            BadEscape { span, escape } => D::new(
                Code::BadEscape,
                span,
                format!("unknown escape `{escape}`"),
                "not an escape",
            )
            .help(
                "the escapes are \\n \\r \\t \\\" \\\\ \\uXXXX and \\UXXXXXXXX; \
                write \\\\ for a backslash",
            ),
            InterpolationNotAllowed { span } => D::new(
                Code::InterpolationNotAllowed,
                span,
                "interpolation is not allowed here",
                "names, labels and import paths are plain strings",
            )
            .help("write the name out in full"),
            UnterminatedString { span } => D::new(
                Code::UnterminatedString,
                span,
                "unterminated string",
                "the line ends before the closing `\"`",
            )
            .help(
                "close the string; text on several lines is written as a heredoc: <<EOT ... \
                    EOT",
            ),
            KeywordAsName { span, keyword } => D::new(
                Code::KeywordAsName,
                span,
                format!("`{keyword}` is a keyword, not a name"),
                "a keyword",
            )
            .help(
                "the keywords are let, import, pool, template, extends, true and false; \
                    choose another name",
            ),
            TooDeep { span, limit } => D::new(
                Code::TooDeep,
                span,
                "values nest too deeply",
                format!("more than {limit} levels deep here"),
            )
            .help("flatten the value; Kubernetes objects nest about ten levels at most"),
            UnterminatedHeredoc { span, tag } => D::new(
                Code::UnterminatedHeredoc,
                span,
                format!("heredoc `{tag}` is never closed"),
                "opened here",
            )
            .help(format!("end it with a line holding only `{tag}`")),
            NotUtf8 { span } => D::new(
                Code::NotUtf8,
                span,
                "the file is not UTF-8 text",
                "not UTF-8 from here",
            )
            .help("save the file as UTF-8; this byte and those after it are not read"),
        };
        d.into()
    }
}
