//! The Argo CD plugin (deploy/argocd/plugin.yaml) works as written: its
//! discovery finds a folder of .pool files, and its generate command, run
//! exactly as the repo-server runs it, prints a valid manifest stream.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// The plugin's definition, as Argo CD reads it.
fn plugin() -> Value {
    let text = std::fs::read_to_string(support::repo().join("deploy/argocd/plugin.yaml")).unwrap();
    let documents = support::yaml::load_12(&text).expect("plugin.yaml is YAML");
    assert_eq!(documents.len(), 1);
    documents.into_iter().next().unwrap()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{value} is not a list"))
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// Runs the plugin's `command` + `args` at `pointer` in `dir`, with poolc
/// on the PATH and `env` set, as the repo-server does.
fn run(pointer: &str, dir: &Path, env: &[(&str, &str)]) -> Output {
    let spec = plugin();
    let step = spec
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"));
    let mut argv = strings(&step["command"]);
    if let Some(args) = step.get("args") {
        argv.extend(strings(args));
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_poolc")).parent().unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .expect("the plugin's command runs")
}

/// Every document of the stream is a Kubernetes object.
fn assert_manifests(output: &Output) -> Vec<Value> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    let documents = support::yaml::load_12(&text).expect("a YAML stream");
    assert!(!documents.is_empty(), "no manifests");
    for document in &documents {
        for field in ["apiVersion", "kind"] {
            assert!(document[field].is_string(), "no {field}: {document}");
        }
        assert!(document["metadata"]["name"].is_string(), "{document}");
    }
    assert_eq!(
        support::yaml::load_11(&text).unwrap(),
        documents,
        "YAML 1.1 reads it alike"
    );
    documents
}

#[test]
fn discovery_finds_folders_with_pool_files_only() {
    let output = run(
        "/spec/discover/find",
        &support::repo().join("examples"),
        &[],
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains(".pool"));
    let empty = tempfile::tempdir().unwrap();
    let output = run("/spec/discover/find", empty.path(), &[]);
    assert!(
        output.stdout.is_empty(),
        "an empty folder is not discovered"
    );
}

#[test]
fn generate_builds_site_pool_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let quickstart = std::fs::read_to_string(support::repo().join("examples/quickstart.pool"));
    std::fs::write(dir.path().join("site.pool"), quickstart.unwrap()).unwrap();
    let documents = assert_manifests(&run("/spec/generate", dir.path(), &[]));
    assert!(documents.iter().any(|d| d["kind"] == "Deployment"));
}

#[test]
fn generate_builds_the_root_the_application_names() {
    let examples = support::repo().join("examples");
    let by_parameter = run(
        "/spec/generate",
        &examples,
        &[("PARAM_ROOT", "quickstart.pool")],
    );
    let by_variable = run(
        "/spec/generate",
        &examples,
        &[("ARGOCD_ENV_POOLC_ROOT", "quickstart.pool")],
    );
    assert_eq!(
        assert_manifests(&by_parameter),
        assert_manifests(&by_variable)
    );
}

#[test]
fn a_broken_site_fails_the_generation_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.pool"),
        "pool \"a\" {\n  replicaz = 2\n}\n",
    )
    .unwrap();
    let output = run("/spec/generate", dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no partial manifests");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("site.pool:2:3: error"), "{stderr}");
}
