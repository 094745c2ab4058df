//! What each fuzz target does with an input. The targets (fuzz_targets/,
//! run by cargo-fuzz on nightly) and tests/fuzz_corpus.rs (which replays
//! the committed corpus on stable, in `cargo test`) share this file, so an
//! input the fuzzer found is replayed exactly as it was found. It uses
//! nothing but the compiler. A target fails by panicking: on a crash of
//! the compiler, or when one of the properties below does not hold.

use poolc::diagnostics::Diagnostic;
use poolc::diagnostics::render::{self, Sources, Style};
use poolc::model::Target;
use poolc::{FileKind, Host, ReadError, Secrets, SourceMap};
use std::io;
use std::path::{Path, PathBuf};

/// The folder of the in-memory site.
const SITE: &str = "/fuzz";

/// Starts another file in a `check` input: `\n--- lib.pool\n`.
const FILE_SEPARATOR: &[u8] = b"\n--- ";

/// A site in memory: the input is `site.pool`, then any files it names
/// after a `--- NAME` line, and a few fixed files (a key, a FIFO, a file
/// outside the site).
struct Memory {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Memory {
    fn new(data: &[u8]) -> Memory {
        let mut parts = split(data, FILE_SEPARATOR).into_iter();
        let mut files = vec![(
            Path::new(SITE).join("site.pool"),
            parts.next().unwrap_or_default(),
        )];
        for part in parts {
            let (name, text) = match part.iter().position(|&b| b == b'\n') {
                Some(end) => (&part[..end], part[end + 1..].to_vec()),
                None => (&part[..], Vec::new()),
            };
            let name = String::from_utf8_lossy(name);
            files.push((Path::new(SITE).join(name.trim()), text));
        }
        files.push((
            Path::new(SITE).join("key.pem"),
            b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n".to_vec(),
        ));
        files.push((
            PathBuf::from("/etc/outside.pool"),
            b"let outside = 1\n".to_vec(),
        ));
        Memory { files }
    }
}

fn split(data: &[u8], separator: &[u8]) -> Vec<Vec<u8>> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(separator.len()).position(|w| w == separator) {
        parts.push(rest[..at].to_vec());
        rest = &rest[at + separator.len()..];
    }
    parts.push(rest.to_vec());
    parts
}

impl Host for Memory {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        if path.ends_with("pipe") {
            return Err(ReadError::NotAFile(FileKind::Fifo));
        }
        let (_, bytes) = self
            .files
            .iter()
            .find(|(p, _)| p == path)
            .ok_or_else(|| ReadError::Io(io::ErrorKind::NotFound.into()))?;
        Ok(bytes[..bytes.len().min(limit as usize + 1)].to_vec())
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let mut canonical = PathBuf::from("/");
        for component in path.components() {
            match component {
                std::path::Component::ParentDir => {
                    canonical.pop();
                }
                std::path::Component::Normal(part) => canonical.push(part),
                _ => {}
            }
        }
        let known = canonical.ends_with("pipe") || self.files.iter().any(|(p, _)| *p == canonical);
        if known {
            Ok(canonical)
        } else {
            Err(io::ErrorKind::NotFound.into())
        }
    }

    fn env_var(&self, name: &str) -> Option<String> {
        match name {
            "TOKEN" => Some("env-token".into()),
            "KEY" => Some("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }
}

/// Every way a diagnostic is printed.
const STYLES: [Style; 4] = [
    Style::Human {
        color: false,
        width: 80,
    },
    Style::Human {
        color: true,
        width: 20,
    },
    Style::Short,
    Style::Json,
];

fn render_all(sources: &SourceMap, secrets: &Secrets, diagnostics: &[Diagnostic]) {
    let shown = Sources::new(sources, secrets);
    for diagnostic in diagnostics {
        for style in STYLES {
            assert!(!render::render(diagnostic, &shown, style).is_empty());
        }
    }
}

/// `poolc check` and `build` of a site in memory (inputs of odd length
/// for the operator, as `--target operator`): every diagnostic is rendered
/// in every style; a site without errors is rendered.
pub fn check(data: &[u8]) {
    let host = Memory::new(data);
    let root = Path::new(SITE).join("site.pool");
    let target = (data.len() % 2 == 1).then_some(Target::Operator);
    let checked = poolc::check_for(&root, &host, target).expect("the root is in memory");
    render_all(&checked.sources, &checked.secrets, &checked.diagnostics);
    if !checked.has_errors() {
        for pool in &checked.site.pools {
            assert!(!poolc::render_pool(pool).yaml.is_empty());
        }
    }
}

/// `poolc fmt`: what formats once formats to itself, and still parses.
pub fn fmt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match poolc::format(text) {
        Ok(once) => {
            let twice = poolc::format(&once).expect("formatted text parses");
            assert_eq!(once, twice, "formatting is a fixed point");
        }
        Err(unformattable) => {
            let mut sources = SourceMap::default();
            sources.add("site.pool".into(), "site.pool".into(), text.into());
            let diagnostics = unformattable.diagnostics.into_sorted();
            render_all(&sources, &unformattable.secrets, &diagnostics);
        }
    }
}

/// `poolc import`: every diagnostic is rendered in every style; an
/// imported .pool file is formatted already.
pub fn import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::default();
    let file = sources.add("values.yaml".into(), "values.yaml".into(), text.into());
    for inline_secrets in [false, true] {
        let request = poolc::import::Request {
            files: &[file],
            release: "ci",
            inline_secrets,
        };
        let imported = poolc::import::import(&sources, &request);
        render_all(&sources, &imported.secrets, &imported.diagnostics);
        if let Some(source) = imported.source {
            assert_eq!(
                poolc::format(&source).ok(),
                Some(source),
                "imports are formatted"
            );
        }
    }
}
