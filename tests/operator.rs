//! The operator target, end to end: every case in `tests/operator/*.pool`
//! builds to its `*.yaml` beside it, and every example built with
//! `--target operator` prints what `tests/operator/examples/*.out` holds
//! (the manifests, or the diagnostics that say what to change). Every
//! WorkerPool written is checked against the vendored CRD by the tests'
//! own checker (`support::crd`, itself tested below), and reads the same
//! as YAML 1.1 and 1.2.
//!
//! After an intended change of output, `POOLC_BLESS=1 cargo test --test
//! operator` rewrites the expected files; read every change before
//! committing it.

mod support;

use serde_json::{Value, json};
use std::fs;
use std::path::Path;

fn bless() -> bool {
    std::env::var_os("POOLC_BLESS").is_some()
}

/// Compares `actual` with the file at `path` (or writes it, when blessing).
fn expect(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if bless() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{} differs:\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ));
    }
}

/// The WorkerPools of a manifest stream, each checked against the CRD;
/// the stream reads the same as YAML 1.1 and 1.2. Returns how many.
fn check_worker_pools(name: &str, stream: &str, failures: &mut Vec<String>) -> usize {
    let documents = support::yaml::load_12(stream).unwrap();
    if support::yaml::load_11(stream).unwrap() != documents {
        failures.push(format!("{name} reads differently as YAML 1.1 and 1.2"));
    }
    let pools: Vec<&Value> = documents
        .iter()
        .filter(|d| d["kind"] == "WorkerPool")
        .collect();
    for pool in &pools {
        assert_eq!(pool["apiVersion"], "workers.spacelift.io/v1beta1");
        let violations = support::crd::violations(pool);
        if !violations.is_empty() {
            failures.push(format!("{name}: the CRD refuses {violations:#?}"));
        }
    }
    pools.len()
}

#[test]
fn every_case_builds_to_its_expected_manifests_which_the_crd_accepts() {
    let dir = support::repo().join("tests/operator");
    let cases = support::files_with_extension(&dir, "pool");
    let cases: Vec<_> = cases.iter().filter(|c| c.parent() == Some(&dir)).collect();
    assert!(cases.len() >= 7, "{cases:?}");
    let mut failures = Vec::new();
    let mut worker_pools = 0;
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let output = support::poolc()
            .env_clear()
            .args(["build", "--quiet", &name])
            .current_dir(&dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() || !stderr.is_empty() {
            failures.push(format!("{name}: {stderr}"));
            continue;
        }
        let stdout = String::from_utf8(output.stdout).unwrap();
        worker_pools += check_worker_pools(&name, &stdout, &mut failures);
        expect(&case.with_extension("yaml"), &stdout, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(worker_pools >= 12, "{worker_pools} WorkerPools");
}

#[test]
fn the_examples_under_target_operator() {
    let examples = support::repo().join("examples");
    let expected = support::repo().join("tests/operator/examples");
    let mut failures = Vec::new();
    let mut built = 0;
    for root in support::pool_files(&examples) {
        let relative = root.strip_prefix(&examples).unwrap();
        let output = support::poolc()
            .env_clear()
            .env("SPACELIFT_PROD_TOKEN", "example-token")
            .env("SPACELIFT_PROD_KEY", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcFFJQkFBS0NBUUVBdGVzdGtleQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=")
            .args(["build", "--target", "operator", "--message-format", "short"])
            // teams/data.pool, built on its own, imports ../common.pool.
            .args(["--allow-path", "."])
            .arg(relative)
            .current_dir(&examples)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stdout.contains("example-token") && !stderr.contains("example-token"));
        if output.status.success() {
            built += 1;
            check_worker_pools(&relative.display().to_string(), &stdout, &mut failures);
        }
        let name = relative.display().to_string().replace('/', "__");
        let text = format!(
            "exit: {}\n--- stderr\n{stderr}--- stdout\n{stdout}",
            output.status.code().unwrap_or(-1)
        );
        expect(&expected.join(format!("{name}.out")), &text, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // examples/operator.pool, and the library that renders nothing.
    assert!(built >= 2, "{built} examples build for the operator");
}

#[test]
fn target_on_the_command_line_overrides_every_pool() {
    let dir = support::repo().join("tests/operator");
    let run = |file: &str, target: &str| {
        support::poolc()
            .env_clear()
            .args([
                "build",
                file,
                "--target",
                target,
                "--message-format",
                "short",
            ])
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let kinds = |stdout: Vec<u8>| -> Vec<String> {
        let documents = support::yaml::load_12(&String::from_utf8(stdout).unwrap()).unwrap();
        documents
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_string())
            .collect()
    };
    // Operator pools that say nothing operator-only build for the chart too.
    let chart = run("existing_secret.pool", "chart");
    assert!(
        chart.status.success(),
        "{}",
        String::from_utf8_lossy(&chart.stderr)
    );
    assert_eq!(kinds(chart.stdout), ["Deployment", "Deployment"]);
    // A mixed site under one target: each pool's other-target settings are
    // errors, and nothing is written.
    for (target, code) in [("operator", "pool::E0705"), ("chart", "pool::E0706")] {
        let output = run("mixed_site.pool", target);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(code), "{target}: {stderr}");
        assert!(output.stdout.is_empty(), "{target}: nothing is written");
    }
}

// ---- the tests' own CRD checker -------------------------------------------------

fn worker_pool(spec: Value) -> Value {
    json!({
        "apiVersion": "workers.spacelift.io/v1beta1",
        "kind": "WorkerPool",
        "metadata": { "name": "p", "labels": { "a": "b" } },
        "spec": spec,
    })
}

#[test]
fn the_checker_of_these_tests_accepts_valid_worker_pools() {
    let reference = |name: &str, key: &str| json!({ "secretKeyRef": { "name": name, "key": key } });
    let valid = worker_pool(json!({
        "poolSize": 2,
        "token": reference("s", "token"),
        "privateKey": reference("s", "privateKey"),
        "driftDetectionRunLimits": { "maxRuns": 3 },
        "pod": {
            "workerContainer": { "resources": { "requests": { "cpu": "500m", "memory": 1 } } },
            "tolerations": [{ "key": "k", "operator": "Exists" }],
            "volumes": [{ "name": "v", "emptyDir": { "sizeLimit": "1Gi" } }],
        },
    }));
    assert_eq!(support::crd::violations(&valid), Vec::<String>::new());
}

#[test]
fn the_checker_of_these_tests_refuses_what_the_api_server_would() {
    let cases = [
        (json!({ "poolsize": 2 }), "spec.poolsize: unknown field"),
        (
            json!({ "poolSize": -1 }),
            "spec.poolSize: below the minimum",
        ),
        (
            json!({ "poolSize": 4_294_967_296_i64 }),
            "spec.poolSize: out of int32",
        ),
        (json!({ "poolSize": "2" }), "spec.poolSize: not a integer"),
        (
            json!({ "token": { "secretKeyRef": { "name": "s", "key": "token" } } }),
            "spec: token and privateKey must both be set or both be unset",
        ),
        (
            json!({ "driftDetectionRunLimits": { "disabled": true, "maxRuns": 1 } }),
            "spec.driftDetectionRunLimits: maxRuns cannot be set when disabled is true",
        ),
        (
            json!({ "driftDetectionRunLimits": {} }),
            "spec.driftDetectionRunLimits: either disabled must be true or maxRuns must be set",
        ),
        (
            json!({ "token": { "secretKeyRef": { "name": "s" } }, "privateKey": {} }),
            "spec.privateKey: missing \"secretKeyRef\"",
        ),
        (
            json!({ "pod": { "tolerations": [{ "efect": "NoSchedule" }] } }),
            "spec.pod.tolerations[0].efect: unknown field",
        ),
        (
            json!({ "pod": { "initContainer": { "resources": { "limits": { "cpu": "1 core" } } } } }),
            "spec.pod.initContainer.resources.limits.cpu: does not match",
        ),
        (
            json!({ "pod": { "additionalSidecarContainers": [{
                "name": "s", "restartPolicyRules": []
            }] } }),
            "spec.pod.additionalSidecarContainers[0].restartPolicyRules: unknown field",
        ),
    ];
    for (spec, expected) in cases {
        let found = support::crd::violations(&worker_pool(spec.clone()));
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{spec}: expected {expected:?}, found {found:#?}"
        );
    }
}
