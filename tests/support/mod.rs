//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod crd;
pub mod yaml;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    // The tests belong to the cli package, one folder down.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Lets a site read any file of the repository (the conformance cases
/// import files two folders up).
pub fn repo_access() -> poolc::Access {
    poolc::Access {
        allowed: vec![std::fs::canonicalize(repo()).unwrap()],
    }
}

/// Every `.pool` file under `dir`, sorted, skipping build output,
/// node_modules and hidden folders.
pub fn pool_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, "pool")
}

/// Every file named `*.EXTENSION` under `dir`, sorted, skipping build
/// output, node_modules and hidden folders.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if path.is_dir() {
                if name != "target" && name != "node_modules" && !name.starts_with('.') {
                    walk(&path, extension, out);
                }
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, extension, &mut files);
    files.sort();
    files
}

/// One case of the conformance corpus (tests/conformance/cases/NAME).
pub struct Case {
    pub dir: PathBuf,
    pub name: String,
    /// The Helm release name the case was rendered with.
    pub release: String,
    /// What Helm rendered.
    pub expected: String,
}

/// The conformance cases, sorted by name.
pub fn conformance_cases() -> Vec<Case> {
    let root = repo().join("tests/conformance/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            release: std::fs::read_to_string(dir.join("release"))
                .unwrap()
                .trim()
                .to_string(),
            expected: std::fs::read_to_string(dir.join("expected.yaml")).unwrap(),
            dir,
        })
        .collect()
}

/// The poolc binary built for these tests.
pub fn poolc() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_poolc"));
    // `watch` keeps its locks in the user's runtime folder: the tests'
    // own, so they touch nothing of the user's.
    let runtime = Path::new(env!("CARGO_TARGET_TMPDIR")).join("runtime");
    command
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("XDG_RUNTIME_DIR", runtime);
    command
}

/// The names in a folder, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    poolc()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("poolc runs")
}

/// The conformance rules (tests/conformance/README.md): the same objects in
/// the same order, equal as data trees, resource quantities compared by
/// their string form; the actual output read both as YAML 1.1 and 1.2.
/// Returns the differences, empty when equivalent.
pub fn compare(expected: &str, actual: &str) -> Vec<String> {
    let expected = match yaml::load_11(expected) {
        Ok(docs) => docs
            .into_iter()
            .map(|d| normalise(d, &[]))
            .collect::<Vec<_>>(),
        Err(e) => return vec![format!("expected is not YAML: {e}")],
    };
    let mut problems = Vec::new();
    for (label, reading) in [
        ("yaml1.1", yaml::load_11(actual)),
        ("yaml1.2", yaml::load_12(actual)),
    ] {
        let docs = match reading {
            Ok(docs) => docs
                .into_iter()
                .map(|d| normalise(d, &[]))
                .collect::<Vec<_>>(),
            Err(e) => {
                problems.push(format!("[{label}] actual is not YAML: {e}"));
                continue;
            }
        };
        let ids = |docs: &[Value]| docs.iter().map(ident).collect::<Vec<_>>();
        if ids(&docs) != ids(&expected) {
            problems.push(format!(
                "[{label}] documents: expected {:?}, actual {:?}",
                ids(&expected),
                ids(&docs)
            ));
            continue;
        }
        for (e, a) in expected.iter().zip(&docs) {
            diff(e, a, &ident(e), &mut problems, label);
        }
    }
    problems
}

fn ident(doc: &Value) -> String {
    format!(
        "{}/{}",
        doc["kind"].as_str().unwrap_or("?"),
        doc["metadata"]["name"].as_str().unwrap_or("?")
    )
}

/// Values under `requests` or `limits` inside `resources` compare as strings.
fn normalise(value: Value, path: &[String]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut p = path.to_vec();
                    p.push(k.clone());
                    (k, normalise(v, &p))
                })
                .collect(),
        ),
        Value::Array(items) => {
            let mut p = path.to_vec();
            p.push("[]".into());
            Value::Array(items.into_iter().map(|v| normalise(v, &p)).collect())
        }
        Value::Number(n)
            if path.len() >= 2
                && ["requests", "limits"].contains(&path[path.len() - 2].as_str())
                && path.iter().any(|p| p == "resources") =>
        {
            Value::String(n.to_string())
        }
        other => other,
    }
}

fn diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>, label: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut keys: Vec<&String> = e.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                match (e.get(k), a.get(k)) {
                    (Some(x), Some(y)) => diff(x, y, &format!("{path}.{k}"), out, label),
                    (Some(_), None) => out.push(format!("[{label}] {path}.{k}: missing in actual")),
                    (None, Some(y)) => {
                        out.push(format!("[{label}] {path}.{k}: unexpected in actual ({y})"))
                    }
                    (None, None) => {}
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "[{label}] {path}: {} items expected, {} in actual",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                diff(x, y, &format!("{path}[{i}]"), out, label);
            }
        }
        (e, a) if e != a => out.push(format!("[{label}] {path}: expected {e}, actual {a}")),
        _ => {}
    }
}
