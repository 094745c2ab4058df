//! Files, names and definitions: imports, lets, templates, pools.

use super::{D, did_you_mean, rename};
use crate::diagnostics::{Code, Diagnostic, Fix};
use crate::syntax::span::Span;

/// What else a missing template's name is.
#[derive(Clone, Debug)]
pub enum TemplateHint {
    None,
    /// A pool: pools cannot be extended.
    Pool,
    /// A template of a file this one does not import, and the import that
    /// would bring it in.
    Elsewhere {
        file: String,
        import: String,
    },
}

#[derive(Clone, Debug)]
pub enum NameProblem {
    ImportUnreadable {
        span: Span,
        path: String,
        error: String,
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
    /// A bare name inside `${...}`: quoting it would not help.
    UndefinedInterpolated {
        span: Span,
        name: String,
        suggestion: Option<String>,
    },
    UndefinedTemplate {
        span: Span,
        name: String,
        suggestion: Option<String>,
        hint: TemplateHint,
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
            ImportUnreadable { span, path, error } => D::new(
                Code::ImportUnreadable,
                span,
                format!("cannot read `{path}`"),
                error,
            )
            .help("import paths are relative to the importing file"),
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
                .fix(rename(span, &suggestion))
            }
            UndefinedInterpolated {
                span,
                name,
                suggestion,
            } => D::new(
                Code::UndefinedName,
                span,
                format!("undefined name `{name}`"),
                "not defined in this file or its imports",
            )
            .help(
                did_you_mean(&suggestion)
                    .unwrap_or_else(|| format!("define it with `let {name} = ...`")),
            )
            .fix(rename(span, &suggestion)),
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
                .fix(Some(Fix::replace(
                    format!("Add `import \"{import}\"`"),
                    Span::new(span.file, 0, 0),
                    format!("import \"{import}\"\n"),
                ))),
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
