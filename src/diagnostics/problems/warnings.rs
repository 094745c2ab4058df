//! Warnings about a pool that still builds.

use super::D;
use crate::diagnostics::{Code, Diagnostic, Quoted};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum Warning {
    MisspeltSetting {
        span: Span,
        name: Quoted,
        suggestion: &'static str,
        setting: &'static str,
    },
    TemplateUnused {
        span: Span,
        name: Quoted,
    },
}

impl From<Warning> for Diagnostic {
    fn from(problem: Warning) -> Diagnostic {
        use Warning::*;
        let d = match problem {
            MisspeltSetting {
                span,
                name,
                suggestion,
                setting,
            } => D::new(
                Code::MisspeltSetting,
                span,
                format!("`{name}` looks like a misspelt `{suggestion}`"),
                "unknown to the launcher",
            )
            .help(format!(
                "the launcher ignores variables it does not know; write `{setting} = \
                    ...` in the launcher block"
            )),
            TemplateUnused { span, name } => D::new(
                Code::TemplateUnused,
                span,
                format!("template `{name}` is never used"),
                "no pool extends it",
            )
            .help("remove it, or extend it from a pool"),
        };
        d.into()
    }
}
