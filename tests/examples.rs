//! Every example builds, and its output reads the same as YAML 1.1 and 1.2.

mod support;

/// The README's two first examples, the chart's and the operator's, build
/// on a fresh machine: no secrets, no warnings.
#[test]
fn quickstart_and_operator_build_without_secrets() {
    for (example, kind) in [
        ("examples/quickstart.pool", "Deployment"),
        ("examples/operator.pool", "WorkerPool"),
    ] {
        let output = support::poolc()
            .env_clear()
            .args(["build", "--quiet", example])
            .current_dir(support::repo())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.stderr.is_empty(),
            "{example}: no warnings: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            stdout.contains(&format!("\nkind: {kind}\n")),
            "{example}: {stdout}"
        );
    }
}

#[test]
fn every_example_builds_and_reads_the_same_in_yaml_11_and_12() {
    let roots = support::pool_files(&support::repo().join("examples"));
    assert!(roots.len() >= 5, "{roots:?}");
    let mut documents = 0;
    for root in roots {
        let output = support::poolc()
            .env_clear()
            .env("SPACELIFT_PROD_TOKEN", "example-token")
            .env("SPACELIFT_PROD_KEY", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcFFJQkFBS0NBUUVBdGVzdGtleQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=")
            .arg("build")
            .arg(&root)
            // teams/data.pool, built on its own, imports ../common.pool.
            .arg("--allow-path")
            .arg(support::repo().join("examples"))
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            root.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        let (v11, v12) = (
            support::yaml::load_11(&text).unwrap(),
            support::yaml::load_12(&text).unwrap(),
        );
        assert_eq!(
            v11,
            v12,
            "{} reads differently as YAML 1.1 and 1.2",
            root.display()
        );
        documents += v11.len();
    }
    // A library file (common.pool) renders nothing; the sites render pools.
    assert!(documents >= 10, "the examples render {documents} objects");
}
