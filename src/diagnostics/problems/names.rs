//! Files, names and definitions: imports, lets, templates, pools.

use super::{D, did_you_mean};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{Unreadable, size};
use crate::syntax::span::Span;

/// How to read a file outside the root file's folder, for the diagnostics
/// that refuse one.
pub(super) const ALLOW_PATH_HELP: &str = "a site reads files in its root file's folder and \
    below (links resolved); give `--allow-path DIR` to allow another folder";

#[derive(Clone, Debug)]
pub enum NameProblem {
    ImportUnreadable {
        span: Span,
        path: String,
        reason: Unreadable,
    },
    ImportOutside {
        span: Span,
        path: String,
    },
    ImportCycle {
        span: Span,
        cycle: Vec<String>,
    },
    UndefinedName {
        span: Span,
        name: String,
        suggestion: Option<String>,
    },
    UndefinedTemplate {
        span: Span,
        name: String,
        suggestion: Option<String>,
    },
    DuplicateDefinition {
        span: Span,
        previous: Span,
        kind: &'static str,
        name: String,
    },
    ImportClash {
        span: Span,
        previous: Span,
        kind: &'static str,
        name: String,
        path: String,
    },
    LetCycle {
        span: Span,
        name: String,
    },
    DuplicatePool {
        span: Span,
        previous: Span,
        name: String,
    },
    ExtendsCycle {
        span: Span,
        cycle: Vec<String>,
    },
    ImportNotPool {
        span: Span,
        path: String,
    },
}

impl From<NameProblem> for Diagnostic {
    fn from(problem: NameProblem) -> Diagnostic {
        use NameProblem::*;
        let d = match problem {
            ImportUnreadable { span, path, reason } => {
                let help = match reason {
                    Unreadable::Io(_) => "import paths are relative to the importing file".into(),
                    Unreadable::NotAFile(_) => "an import names a .pool file".into(),
                    Unreadable::TooLarge { limit } => {
                        format!("a .pool file holds at most {}; split it", size(limit))
                    }
                };
                D::new(
                    Code::ImportUnreadable,
                    span,
                    format!("cannot read `{path}`"),
                    reason.to_string(),
                )
                .help(help)
            }
            ImportOutside { span, path } => D::new(
                Code::ImportOutside,
                span,
                format!("`{path}` is outside the folders poolc may read"),
                "outside the root file's folder",
            )
            .help(ALLOW_PATH_HELP),
            ImportCycle { span, cycle } => {
                D::new(Code::ImportCycle, span, "import cycle", cycle.join(" → "))
                    .help("move what both files need into a third file that both import")
            }
            UndefinedName {
                span,
                name,
                suggestion,
            } => {
                let help = did_you_mean(&suggestion).unwrap_or_else(|| {
                    format!(
                        "define it with `let {name} = ...`, or quote it if \
                        you meant the text \"{name}\""
                    )
                });
                D::new(
                    Code::UndefinedName,
                    span,
                    format!("undefined name `{name}`"),
                    "not defined in this file or its imports",
                )
                .help(help)
            }
            UndefinedTemplate {
                span,
                name,
                suggestion,
            } => {
                let help = did_you_mean(&suggestion).unwrap_or_else(|| {
                    format!(
                        "define it with \
                    `template \"{name}\" {{ ... }}` or import the file that does"
                    )
                });
                D::new(
                    Code::UndefinedTemplate,
                    span,
                    format!("no template named `{name}`"),
                    "unknown template",
                )
                .help(help)
            }
            DuplicateDefinition {
                span,
                previous,
                kind,
                name,
            } => D::new(
                Code::DuplicateDefinition,
                span,
                format!("{kind} `{name}` is defined twice"),
                "defined again here",
            )
            .also(previous, "first defined here")
            .help("names are shared by a file and the files it imports; rename one"),
            ImportClash {
                span,
                previous,
                kind,
                name,
                path,
            } => D::new(
                Code::ImportClash,
                span,
                format!("`{path}` also defines {kind} `{name}`"),
                format!("brings in another `{name}`"),
            )
            .also(previous, "already defined here")
            .help("a file sees its own definitions and those of the files it imports; rename one"),
            LetCycle { span, name } => D::new(
                Code::LetCycle,
                span,
                format!("`{name}` depends on itself"),
                "used while it is being defined",
            )
            .help("a `let` cannot refer to itself, directly or through other `let`s"),
            DuplicatePool {
                span,
                previous,
                name,
            } => D::new(
                Code::DuplicatePool,
                span,
                format!("pool `{name}` is defined twice"),
                "defined again here",
            )
            .also(previous, "first defined here")
            .help("each pool is one Helm release and needs its own name"),
            ExtendsCycle { span, cycle } => D::new(
                Code::ExtendsCycle,
                span,
                "templates extend each other in a cycle",
                cycle.join(" → "),
            )
            .help("a template cannot extend itself, directly or through others"),
            ImportNotPool { span, path } => D::new(
                Code::ImportNotPool,
                span,
                format!("`{path}` is not a .pool file"),
                "imports name .pool files",
            )
            .help("read other files with file(...)"),
        };
        d.into()
    }
}
