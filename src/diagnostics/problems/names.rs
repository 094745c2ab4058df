//! Files, names and definitions: imports, lets, templates, pools.

use super::{D, did_you_mean, rename};
use crate::diagnostics::{Code, Diagnostic, Fix, Quoted};
use crate::source::{Unreadable, size};
use crate::syntax::span::Span;

/// How to read a file outside the root file's folder, for the diagnostics
/// that refuse one.
pub(super) const ALLOW_PATH_HELP: &str = "a site reads files in its root file's folder and \
    below (links resolved); give `--allow-path DIR` to allow another folder";

/// What else a missing template's name is.
#[derive(Clone, Debug)]
pub enum TemplateHint {
    None,
    /// A pool: pools cannot be extended.
    Pool,
    /// A template of a file this one does not import, and the import that
    /// would bring it in.
    Elsewhere {
        file: Quoted,
        import: Quoted,
    },
}

#[derive(Clone, Debug)]
pub enum NameProblem {
    ImportUnreadable {
        span: Span,
        path: Quoted,
        reason: Unreadable,
    },
    ImportOutside {
        span: Span,
        path: Quoted,
    },
    ImportCycle {
        span: Span,
        cycle: Vec<Quoted>,
    },
    UndefinedName {
        span: Span,
        name: Quoted,
        suggestion: Option<Quoted>,
    },
    /// A bare name inside `${...}`: quoting it would not help.
    UndefinedInterpolated {
        span: Span,
        name: Quoted,
        suggestion: Option<Quoted>,
    },
    UndefinedTemplate {
        span: Span,
        name: Quoted,
        suggestion: Option<Quoted>,
        hint: TemplateHint,
    },
    DuplicateDefinition {
        span: Span,
        previous: Span,
        kind: &'static str,
        name: Quoted,
    },
    ImportClash {
        span: Span,
        previous: Span,
        kind: &'static str,
        name: Quoted,
        path: Quoted,
    },
    LetCycle {
        span: Span,
        name: Quoted,
    },
    DuplicatePool {
        span: Span,
        previous: Span,
        name: Quoted,
    },
    ExtendsCycle {
        span: Span,
        cycle: Vec<Quoted>,
    },
    ImportNotPool {
        span: Span,
        path: Quoted,
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
                D::new(Code::ImportCycle, span, "import cycle", arrows(&cycle))
                    .help("move what both files need into a third file that both import")
            }
            UndefinedName {
                span,
                name,
                suggestion,
            } => undefined_name(span, &name, &suggestion),
            UndefinedInterpolated {
                span,
                name,
                suggestion,
            } => {
                let message = match name.shown() {
                    Some(name) => format!("undefined name `{name}`"),
                    None => "undefined name where a secret may be written (not shown)".into(),
                };
                let define = match name.shown() {
                    Some(name) => format!("define it with `let {name} = ...`"),
                    None => "define it with `let`".into(),
                };
                D::new(
                    Code::UndefinedName,
                    span,
                    message,
                    "not defined in this file or its imports",
                )
                .help(did_you_mean(&suggestion).unwrap_or(define))
                .fix(rename(span, &suggestion))
            }
            UndefinedTemplate {
                span,
                name,
                suggestion,
                hint,
            } => match hint {
                TemplateHint::Pool => D::new(
                    Code::UndefinedTemplate,
                    span,
                    format!("`{name}` is a pool, not a template"),
                    "pools cannot be extended",
                )
                .help("move what the pools share into a template, and extend it from each pool"),
                TemplateHint::Elsewhere { file, import } => D::new(
                    Code::UndefinedTemplate,
                    span,
                    format!("no template named `{name}` in this file or its imports"),
                    "unknown template",
                )
                .help(format!(
                    "`{name}` is defined in {file}, which this file does not import (imports \
                    are not transitive): add `import \"{import}\"`"
                ))
                .fix(import.shown().map(|import| {
                    Fix::replace(
                        format!("Add `import \"{import}\"`"),
                        Span::new(span.file, 0, 0),
                        format!("import \"{import}\"\n"),
                    )
                })),
                TemplateHint::None => {
                    let help = did_you_mean(&suggestion).unwrap_or_else(|| {
                        format!(
                            "define it with `template \"{name}\" {{ ... }}` or import the file \
                            that does"
                        )
                    });
                    D::new(
                        Code::UndefinedTemplate,
                        span,
                        format!("no template named `{name}`"),
                        "unknown template",
                    )
                    .help(help)
                    .fix(rename(span, &suggestion))
                }
            },
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
                arrows(&cycle),
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

fn arrows(cycle: &[Quoted]) -> String {
    let names: Vec<String> = cycle.iter().map(Quoted::to_string).collect();
    names.join(" → ")
}

/// A bare name that is not defined. One written where a secret may be is
/// perhaps the secret itself, unquoted: it is not shown.
fn undefined_name(span: Span, name: &Quoted, suggestion: &Option<Quoted>) -> D {
    let Some(shown) = name.shown() else {
        return D::new(
            Code::UndefinedName,
            span,
            "undefined name where a secret may be written (not shown)",
            "not defined in this file or its imports",
        )
        .fix(rename(span, suggestion))
        .help(did_you_mean(suggestion).unwrap_or_else(|| {
            "if this is the secret's text, quote it (\"...\"), or better, read it with \
            env(\"NAME\") or file(\"PATH\"); else define it with `let`"
                .into()
        }));
    };
    let help = did_you_mean(suggestion).unwrap_or_else(|| {
        format!(
            "define it with `let {shown} = ...`, or quote it if you meant the text \
            \"{shown}\""
        )
    });
    D::new(
        Code::UndefinedName,
        span,
        format!("undefined name `{shown}`"),
        "not defined in this file or its imports",
    )
    .help(help)
    .fix(rename(span, suggestion))
}
