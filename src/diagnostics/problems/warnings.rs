//! Warnings about a pool that still builds.

use super::D;
use crate::diagnostics::{Code, Diagnostic, Fix, Quoted};
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
    LogsTimeoutDefeated {
        span: Span,
        /// Where the run timeout is set (the default when `None`).
        run: Option<Span>,
    },
    /// The site defines no pool (the span is the root file's start).
    NothingToBuild {
        span: Span,
        file: Quoted,
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
            ))
            .fix(Some(Fix::rename(span, suggestion))),
            TemplateUnused { span, name } => D::new(
                Code::TemplateUnused,
                span,
                format!("template `{name}` is never used"),
                "no pool extends it",
            )
            .help("remove it, or extend it from a pool"),
            NothingToBuild { span, file } => D::new(
                Code::NothingToBuild,
                span,
                format!("`{file}` defines no pool: there is nothing to build"),
                "no `pool` here or in the files it imports",
            )
            .help("define a pool with `pool \"NAME\" { ... }`, or build the file that does"),
            LogsTimeoutDefeated { span, run } => {
                let d = D::new(
                    Code::LogsTimeoutDefeated,
                    span,
                    "the logs timeout can never fire",
                    "at least as long as the run timeout",
                )
                .help(
                    "the launcher ends a run at its run timeout (70m unless set) before a silent \
                    job reaches this; shorten logs_timeout or lengthen run_timeout",
                );
                match run {
                    Some(run) => d.also(run, "the run timeout"),
                    None => d,
                }
            }
        };
        d.into()
    }
}
