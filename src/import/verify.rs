//! The imported pool checked by the compiler itself, so an import never
//! yields a file that does not build, and whatever poolc refuses (an
//! unknown field of a Kubernetes object, a label the chart sets, a volume
//! that does not exist, two storages...) is reported at its place in the
//! values, through the origins of the printed text.

use super::SecretVariable;
use super::output::Printed;
use super::yaml::NodeKind;
use crate::diagnostics::{Diagnostic, Label};
use crate::source::{Host, ReadError, SourceMap};
use crate::syntax::span::{FileId, Span};
use base64::Engine as _;
use std::io;
use std::path::{Path, PathBuf};

const ROOT: &str = "/poolc-import/site.pool";

/// The printed pool as the only file, and the credentials' variables set
/// to their values (or to valid stand-ins when the values lack them).
struct Imported<'a> {
    text: &'a str,
    variables: &'a [SecretVariable],
}

impl Host for Imported<'_> {
    fn read(&self, path: &Path, _: u64) -> Result<Vec<u8>, ReadError> {
        if path == Path::new(ROOT) {
            Ok(self.text.as_bytes().to_vec())
        } else {
            Err(io::Error::from(io::ErrorKind::NotFound).into())
        }
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(path.to_path_buf())
    }

    fn env_var(&self, name: &str) -> Option<String> {
        let variable = self.variables.iter().find(|v| v.variable == name)?;
        match variable.value.as_ref().map(|n| &n.kind) {
            Some(NodeKind::Text(text)) => Some(text.clone()),
            _ if name.ends_with("_TOKEN") => Some("token".into()),
            _ => Some(
                base64::engine::general_purpose::STANDARD
                    .encode("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"),
            ),
        }
    }
}

/// The compiler's diagnostics about the printed pool, pointed at the
/// values files.
pub fn verify(
    printed: &Printed,
    variables: &[SecretVariable],
    sources: &SourceMap,
    files: &[FileId],
) -> Vec<Diagnostic> {
    let host = Imported {
        text: &printed.text,
        variables,
    };
    let access = crate::source::Access::default();
    let Ok(checked) = crate::semantics::check(Path::new(ROOT), &host, None, &access) else {
        return Vec::new();
    };
    // Where a problem with no origin (one about the pool as a whole) is shown.
    let fallback = files.last().map_or_else(Span::default, |&file| {
        let len = sources.get(file).text.len();
        Span::new(file, 0, len.min(1))
    });
    checked
        .diagnostics
        .into_iter()
        .map(|mut d| {
            d.primary.span = origin(printed, d.primary.span).unwrap_or(fallback);
            d.secondary = d
                .secondary
                .into_iter()
                .filter_map(|l| {
                    Some(Label {
                        span: origin(printed, l.span)?,
                        text: l.text,
                    })
                })
                .collect();
            d
        })
        .collect()
}

fn origin(printed: &Printed, span: Span) -> Option<Span> {
    printed.origin_of(span.start as usize, span.end as usize)
}
