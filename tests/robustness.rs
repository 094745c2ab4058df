//! Nothing panics, whatever the input: every `.pool` file of the repository
//! is cut short at every character and mangled in many deterministic ways,
//! and each result goes through the whole pipeline (check, then render when
//! it checks) and through the formatter (which must reach a fixed point).
//! `POOLC_MUTATIONS` raises the number of mutations per file.

mod support;

use poolc::{Host, ReadError};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The real file system, except that the root file reads as `bytes`.
struct Mutated {
    root: PathBuf,
    bytes: Vec<u8>,
}

impl Host for Mutated {
    fn read(&self, path: &Path, _: u64) -> Result<Vec<u8>, ReadError> {
        if path == self.root {
            Ok(self.bytes.clone())
        } else {
            Ok(std::fs::read(path)?)
        }
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        if path == self.root {
            Ok(self.root.clone())
        } else {
            std::fs::canonicalize(path)
        }
    }
    fn env_var(&self, name: &str) -> Option<String> {
        (name == "SPACELIFT_PROD_TOKEN" || name == "SPACELIFT_PROD_KEY")
            .then(|| "dGVzdA==".to_string())
    }
}

/// Parsing item by item (as every file is parsed), on one thread or
/// several, gives what parsing the whole at once gives; and the grammar
/// errors are worded from accepts the same texts with the same trees.
fn pieces_agree(bytes: &[u8]) -> bool {
    use poolc::syntax::{parser, span::FileId};
    let Ok(text) = std::str::from_utf8(bytes) else {
        return true;
    };
    if !parser::grammars_agree(text) {
        return false;
    }
    let mut found = poolc::diagnostics::Diagnostics::default();
    let whole = format!("{:?}", parser::parse_whole(text, FileId(0), &mut found));
    let found = found.into_sorted();
    [1, 2, 3, 5].into_iter().all(|threads| {
        let (parsed, by_items) = parser::parse_items(text, FileId(0), threads);
        format!("{parsed:?}") == whole && by_items.into_sorted() == found
    })
}

/// Checks and renders; returns whether it completed without a panic.
fn survives(root: &Path, bytes: Vec<u8>) -> bool {
    let host = Mutated {
        root: root.to_path_buf(),
        bytes,
    };
    catch_unwind(AssertUnwindSafe(|| {
        // The formatter takes any text; what it formats stays put.
        if let Ok(text) = std::str::from_utf8(&host.bytes)
            && let Ok(once) = poolc::format(text)
        {
            assert_eq!(poolc::format(&once).ok(), Some(once));
        }
        let checked =
            poolc::check_with(root, &host, None, &support::repo_access()).expect("the root reads");
        let sources = poolc::diagnostics::render::Sources::new(&checked.sources, &checked.secrets);
        for d in &checked.diagnostics {
            let style = poolc::diagnostics::render::Style::Human {
                color: false,
                width: 80,
            };
            assert!(!poolc::diagnostics::render::render(d, &sources, style).is_empty());
        }
        if !checked.has_errors() {
            for pool in &checked.site.pools {
                assert!(!poolc::render_pool(pool).yaml.is_empty());
            }
        }
    }))
    .is_ok()
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "$${",
    "<<EOT\n",
    "<<-EOT\n",
    "EOT\n",
    "\\",
    "\\u",
    "=",
    ",",
    "\n",
    "#",
    "//",
    "-",
    "1e",
    "9999999999999999999999",
    "µ",
    "é",
    "\u{0}",
    "\t",
    "let x = x\n",
    "import \"site.pool\"\n",
    "pool \"p\" {}\n",
    "extends \"x\"",
    "env(\"X\")",
    "file(\"/\")",
    "file(\"\")",
    "base64()",
    " true ",
    "statefulset",
    "storage claim {}",
    "credentials external",
    "[[[[[[[[[[",
    "}}}}",
    "\"${\"${\"",
    "0777",
    "on",
    "-0",
    ".5",
    "1.5.5",
    "500m",
    "2h30",
    "Gi",
];

/// A small deterministic generator (64-bit LCG), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

fn mutate(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = text.to_vec();
    for _ in 0..1 + rng.next(3) {
        let at = rng.next(bytes.len() + 1);
        match rng.next(5) {
            0 => {
                let end = (at + rng.next(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 | 2 => {
                let token = TOKENS[rng.next(TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.next(80)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.next(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            // Not UTF-8 at all.
            _ => bytes.insert(at, 0xff),
        }
    }
    bytes
}

#[test]
fn no_input_makes_poolc_panic() {
    let files = support::pool_files(&support::repo());
    assert!(files.len() > 100, "found {} .pool files", files.len());
    let per_file: usize = std::env::var("POOLC_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let mut rng = Rng(0x5eed);
    let mut failures = Vec::new();
    let mut runs = 0;
    for file in &files {
        let root = std::fs::canonicalize(file).unwrap();
        let text = std::fs::read(&root).unwrap();
        for _ in 0..per_file {
            let bytes = mutate(&text, &mut rng);
            runs += 1;
            if !survives(&root, bytes.clone()) {
                failures.push(format!(
                    "{}: mutated to {:?}",
                    file.display(),
                    String::from_utf8_lossy(&bytes)
                ));
            }
            if !pieces_agree(&bytes) {
                failures.push(format!(
                    "{}: parses differently in pieces: {:?}",
                    file.display(),
                    String::from_utf8_lossy(&bytes)
                ));
            }
        }
        if !pieces_agree(&text) {
            failures.push(format!("{}: parses differently in pieces", file.display()));
        }
    }
    // Every prefix of a rich file: parsers often fail at an end they did not expect.
    let rich = std::fs::canonicalize(
        support::repo().join("tests/conformance/cases/statefulset-full/site.pool"),
    )
    .unwrap();
    let text = std::fs::read(&rich).unwrap();
    for end in 0..=text.len() {
        runs += 1;
        if !survives(&rich, text[..end].to_vec()) {
            failures.push(format!("{} cut at byte {end}", rich.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} inputs panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Pieces of YAML that stress the values reader: anchors and aliases, merge
/// keys, tags, block scalars, flow collections, YAML 1.1 scalars.
const YAML_TOKENS: &[&str] = &[
    ": ",
    "- ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!int ",
    "'",
    "|\n",
    ">-\n",
    "{",
    "}",
    "[",
    "]",
    "on",
    "0777",
    "1e3",
    "~",
    "\n  ",
    "---\n",
    "? ",
    "%YAML 1.1\n",
    "extraEnv:\n- name: ",
];

fn mutate_values(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = mutate(text, rng);
    let at = rng.next(bytes.len() + 1);
    let token = YAML_TOKENS[rng.next(YAML_TOKENS.len())].as_bytes();
    bytes.splice(at..at, token.iter().copied());
    bytes
}

/// Imports values (as the only values file) and renders the diagnostics;
/// returns whether that completed without a panic.
fn import_survives(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return true;
    };
    catch_unwind(AssertUnwindSafe(|| {
        let mut sources = poolc::SourceMap::default();
        let file = sources.add(
            "values.yaml".into(),
            PathBuf::from("values.yaml"),
            text.into(),
        );
        let request = poolc::import::Request {
            files: &[file],
            release: "ci",
            inline_secrets: false,
        };
        let imported = poolc::import::import(&sources, &request);
        let shown = poolc::diagnostics::render::Sources::new(&sources, &imported.secrets);
        for d in &imported.diagnostics {
            let style = poolc::diagnostics::render::Style::Short;
            assert!(!poolc::diagnostics::render::render(d, &shown, style).is_empty());
        }
        if let Some(source) = imported.source {
            assert_eq!(poolc::format(&source).ok(), Some(source));
        }
    }))
    .is_ok()
}

#[test]
fn no_values_file_makes_import_panic() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["tests/conformance/cases", "tests/snapshot/inputs"] {
        for entry in std::fs::read_dir(support::repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            files.extend(
                std::fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| {
                        let p = e.ok()?.path();
                        p.extension()
                            .is_some_and(|e| e == "yaml" && !p.ends_with("expected.yaml"))
                            .then_some(p)
                    }),
            );
        }
    }
    files.sort();
    assert!(files.len() > 40, "found {} values files", files.len());
    let per_file: usize = std::env::var("POOLC_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let mut rng = Rng(0x1a9);
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read(file).unwrap();
        if !import_survives(&text) {
            failures.push(format!("{}", file.display()));
        }
        for _ in 0..per_file {
            let bytes = mutate_values(&text, &mut rng);
            if !import_survives(&bytes) {
                failures.push(format!(
                    "{}: mutated to {:?}",
                    file.display(),
                    String::from_utf8_lossy(&bytes)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} inputs panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
