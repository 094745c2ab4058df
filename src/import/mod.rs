//! `poolc import`: Helm values for the `spacelift-worker` chart turned into
//! an idiomatic .pool file that builds to what `helm template` renders.
//!
//! The values are read as Helm reads them ([`yaml`]), merged as Helm merges
//! several `-f` files ([`values`]), checked against the chart's values
//! (typos get a did-you-mean), and written field by field through one table
//! ([`mapping`]): typed launcher settings, quantities and durations as
//! literals, defaults left out, credentials read from the environment. The
//! written pool is then checked by the compiler itself ([`verify`]), whose
//! diagnostics are pointed back at the values, and laid out by the
//! formatter. Like the rest of the core, this does no I/O.

mod containers;
mod mapping;
mod objects;
mod output;
mod secrets;
mod storage;
mod values;
mod verify;
pub mod yaml;

use crate::chart::values::VALUES;
use crate::diagnostics::{Diagnostic, Diagnostics, ImportProblem, Quoted};
use crate::secrets::{Secrets, lines};
use crate::source::SourceMap;
use crate::syntax::span::{FileId, Span};
use output::{Entry, Expr};
use yaml::Node;

/// The chart values → .pool mapping, one row per .pool field.
pub use mapping::FIELDS;

/// What an import asks for.
pub struct Request<'a> {
    /// The values files, in `-f` order, already added to the source map.
    pub files: &'a [FileId],
    /// The Helm release name, which becomes the pool's name.
    pub release: &'a str,
    /// Write the credentials into the .pool file instead of reading them
    /// from the environment.
    pub inline_secrets: bool,
}

/// An environment variable the imported file reads a credential from.
#[derive(Clone, Debug)]
pub struct SecretVariable {
    pub variable: String,
    /// Where the value was in the values, if it was there.
    pub value: Option<Node>,
}

pub struct Imported {
    /// The .pool file, formatted; `None` when there are errors.
    pub source: Option<String>,
    /// Every problem, about the values files, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the values files may hold secrets, to mask in reports.
    pub secrets: Secrets,
    /// The .pool file holds credentials (`--inline-secrets` copied some).
    pub holds_secrets: bool,
    pub variables: Vec<SecretVariable>,
}

/// What the field writers share.
pub struct Context<'v> {
    values: &'v Node,
    release: &'v str,
    inline_secrets: bool,
    /// Where the values may hold secrets: problems quote nothing there.
    secrets: &'v Secrets,
    problems: Vec<ImportProblem>,
    variables: Vec<SecretVariable>,
    /// Credentials copied into the .pool file (`--inline-secrets`).
    inlined: bool,
    /// Leading `launcher.extraEnv` entries that `credentials external
    /// "SECRET"` stands for.
    consumed_env: usize,
}

impl Context<'_> {
    /// The variable a credential is read from: `SPACELIFT_<RELEASE>_<WHAT>`.
    fn variable(&self, what: &str) -> String {
        let release: String = self
            .release
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("SPACELIFT_{release}_{what}")
    }

    /// A converter of values to .pool expressions, reporting here.
    fn converter(&mut self) -> objects::Converter<'_> {
        objects::Converter {
            problems: &mut self.problems,
            secrets: self.secrets,
        }
    }

    /// A credential: `env("VARIABLE")`, or the literal with `--inline-secrets`.
    fn secret(&mut self, node: Option<&Node>, what: &str, anchor: Span) -> Expr {
        let text = node.and_then(Node::text);
        if let (true, Some(text)) = (self.inline_secrets, text) {
            self.inlined = true;
            return Expr::from(anchor, Expr::Text(output::string(text)));
        }
        let variable = self.variable(what);
        match self.variables.iter_mut().find(|v| v.variable == variable) {
            Some(known) if known.value.is_none() => known.value = node.cloned(),
            Some(_) => {}
            None => self.variables.push(SecretVariable {
                variable: variable.clone(),
                value: node.cloned(),
            }),
        }
        let span = node.map_or(anchor, |n| n.span);
        Expr::from(
            span,
            Expr::Text(format!("env({})", output::string(&variable))),
        )
    }
}

pub fn import(sources: &SourceMap, request: &Request) -> Imported {
    let mut problems = Vec::new();
    let mut merged: Option<Node> = None;
    let mut unreadable = false;
    let mut secrets = Secrets::default();
    for &file in request.files {
        let text = &sources.get(file).text;
        match yaml::read(text, file) {
            Ok(node) => {
                let found = Secrets::new(secrets::find(&node), Vec::new());
                values::check_keys(&node, &VALUES, "", &found, &mut problems);
                secrets.extend(found);
                merged = Some(match merged {
                    Some(base) => values::merge(base, node),
                    None => node,
                });
            }
            Err(e) => {
                unreadable = true;
                let found = Secrets::new(lines::spans(text, file), Vec::new());
                problems.push(ImportProblem::ValuesSyntax {
                    span: e.span,
                    reason: Quoted::written(e.reason, e.span, &found),
                });
                secrets.extend(found);
            }
        }
    }
    let Some(values) = merged.filter(|_| !unreadable) else {
        return failed(problems, secrets);
    };
    let mut cx = Context {
        values: &values,
        release: request.release,
        inline_secrets: request.inline_secrets,
        secrets: &secrets,
        problems,
        variables: Vec::new(),
        inlined: false,
        consumed_env: 0,
    };
    let names: Vec<&str> = request
        .files
        .iter()
        .map(|&f| sources.get(f).name.as_str())
        .collect();
    let pool = pool(&mut cx, &names);
    let mut printed = output::Printed::default();
    printed.entries(&pool, 0);
    let mut diagnostics = Diagnostics::default();
    for problem in cx.problems {
        diagnostics.push(problem);
    }
    let mut diagnostics = diagnostics.into_sorted();
    if !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.extend(verify::verify(
            &printed,
            &cx.variables,
            sources,
            request.files,
        ));
    }
    let source = (!diagnostics.iter().any(Diagnostic::is_error))
        .then(|| crate::format::format(&printed.text).ok())
        .flatten();
    let holds_secrets = cx.inlined;
    let variables = cx.variables;
    Imported {
        source,
        diagnostics,
        secrets,
        holds_secrets,
        variables,
    }
}

fn failed(problems: Vec<ImportProblem>, secrets: Secrets) -> Imported {
    let mut diagnostics = Diagnostics::default();
    for problem in problems {
        diagnostics.push(problem);
    }
    Imported {
        source: None,
        diagnostics: diagnostics.into_sorted(),
        secrets,
        holds_secrets: false,
        variables: Vec::new(),
    }
}

/// The pool: a header comment, then every field of the table that the
/// values set, blocks set apart by blank lines.
fn pool(cx: &mut Context, files: &[&str]) -> Vec<Entry> {
    let mut body: Vec<Entry> = Vec::new();
    for field in FIELDS {
        for entry in field.write(cx) {
            let section = matches!(
                entry,
                Entry::Block {
                    several_lines: true,
                    ..
                }
            );
            let after_section = matches!(
                body.last(),
                Some(Entry::Block {
                    several_lines: true,
                    ..
                })
            );
            if !body.is_empty() && (section || after_section) {
                body.push(Entry::Blank);
            }
            body.push(entry);
        }
    }
    let mut file = vec![Entry::Comment(format!(
        "# Imported by `poolc import` from {} (Helm release {}).",
        files.join(", "),
        cx.release
    ))];
    if !cx.variables.is_empty() {
        let names: Vec<&str> = cx.variables.iter().map(|v| v.variable.as_str()).collect();
        file.push(Entry::Comment(format!(
            "# The credentials are read from the environment: {}.",
            names.join(", ")
        )));
    }
    file.push(Entry::section(
        &format!("pool {}", output::string(cx.release)),
        body,
    ));
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use std::path::PathBuf;

    fn import_values(texts: &[&str]) -> Imported {
        let mut sources = SourceMap::default();
        let files: Vec<FileId> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| sources.add(format!("{i}.yaml"), PathBuf::from("v.yaml"), (*t).into()))
            .collect();
        let request = Request {
            files: &files,
            release: "ci",
            inline_secrets: false,
        };
        import(&sources, &request)
    }

    fn body(imported: &Imported) -> &str {
        let source = imported.source.as_deref().expect("imported");
        &source[source.find("pool \"ci\"").unwrap()..]
    }

    const KEY: &str = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcFFJQkFBS0NBUUVBdGVzdGtleQot\
        LS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=";

    #[test]
    fn settings_are_typed_where_the_order_allows() {
        let values = "credentials: {create: false}\nlauncher:\n  envFrom: [{secretRef: {name: \
            creds}}]\n  extraEnv:\n  - {name: SPACELIFT_DEBUG, value: \"true\"}\n  - {name: A, \
            value: a}\n  - {name: SPACELIFT_WORKER_NETWORK, value: host}\n  - {name: B, value: \
            b}\n  - {name: SPACELIFT_LAUNCHER_RUN_TIMEOUT, value: 90m}\n";
        let imported = import_values(&[values]);
        let body = body(&imported);
        let order: Vec<usize> = [
            "debug ",
            "A = \"a\"",
            "SPACELIFT_WORKER_NETWORK = \"host\"",
            "B = \"b\"",
            "run_timeout = 90m",
        ]
        .iter()
        .map(|part| {
            body.find(part)
                .unwrap_or_else(|| panic!("{part} in {body}"))
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{body}");
        assert!(
            !body.contains("worker_network"),
            "between two variables it stays in env"
        );
    }

    #[test]
    fn later_values_files_win() {
        let base = format!("credentials: {{token: t, privateKey: {KEY}}}\nreplicaCount: 2\n");
        let imported = import_values(&[&base, "replicaCount: 5\n"]);
        assert!(
            body(&imported).contains("replicas = 5"),
            "{}",
            body(&imported)
        );
    }

    #[test]
    fn claims_use_the_shorthands() {
        let values = format!(
            "credentials: {{token: t, privateKey: {KEY}}}\nuseStatefulSet: \
            true\nstorageVolumeClaimTemplateSpec:\n  accessModes: [ReadWriteOnce]\n  \
            storageClassName: gp2\n  resources: {{requests: {{storage: 100Gi}}}}\n"
        );
        let imported = import_values(&[&values]);
        assert!(body(&imported).contains("storage claim { class = \"gp2\", size = 100Gi }"));
    }

    #[test]
    fn refused_values_are_errors_at_their_line_and_nothing_is_written() {
        let values = format!(
            "credentials: {{token: t, privateKey: {KEY}}}\nextraLabels:\n  \
            app.kubernetes.io/instance: x\n"
        );
        let imported = import_values(&[&values]);
        assert!(imported.source.is_none());
        let error = &imported.diagnostics[0];
        assert_eq!(error.code, Code::ReservedLabel);
        assert_eq!(
            &values[error.primary.span.range()],
            "app.kubernetes.io/instance"
        );
    }
}
