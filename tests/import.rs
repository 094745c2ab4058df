//! `poolc import`: for every case of the corpus, importing `values.yaml`
//! and building the result renders what the chart rendered
//! (`expected.yaml`, by the corpus rules), with the credentials supplied
//! through the environment; the imported file is already formatted and
//! holds no credential. Then the command line: several values files, the
//! output file, and secrets kept out of the output.

mod support;

use poolc::import::yaml::{self, NodeKind};
use poolc::syntax::span::FileId;
use std::fs;
use std::path::Path;

const CASES: usize = 37;

/// The credentials of a values file: (value path, text).
fn credentials(values: &str) -> Vec<(&'static str, String)> {
    let node = yaml::read(values, FileId(0)).expect("values parse");
    ["token", "privateKey"]
        .into_iter()
        .filter_map(|key| {
            let value = node.at(&["credentials", key])?;
            match &value.kind {
                NodeKind::Text(text) => Some((key, text.clone())),
                _ => None,
            }
        })
        .collect()
}

fn import(dir: &Path, args: &[&str]) -> std::process::Output {
    support::poolc()
        .arg("import")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn every_case_imports_to_what_the_chart_renders() {
    let cases = support::conformance_cases();
    assert_eq!(cases.len(), CASES);
    let mut failures = Vec::new();
    for case in &cases {
        let (name, release) = (&case.name, &case.release);
        let values = fs::read_to_string(case.dir.join("values.yaml")).unwrap();
        let imported = import(&case.dir, &["values.yaml", "--name", release]);
        if !imported.status.success() {
            failures.push(format!(
                "{name}: import failed:\n{}",
                String::from_utf8_lossy(&imported.stderr)
            ));
            continue;
        }
        let source = String::from_utf8(imported.stdout).unwrap();
        if poolc::format(&source).ok().as_deref() != Some(source.as_str()) {
            failures.push(format!(
                "{name}: the imported file is not formatted:\n{source}"
            ));
        }
        let secrets = credentials(&values);
        for (_, secret) in &secrets {
            if source.contains(secret.as_str()) {
                failures.push(format!("{name}: a credential is copied into the .pool"));
            }
        }
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.pool"), &source).unwrap();
        let variable = |what: &str| {
            format!(
                "SPACELIFT_{}_{what}",
                release.to_uppercase().replace('-', "_")
            )
        };
        let mut build = support::poolc();
        build.args(["build", "site.pool"]).current_dir(dir.path());
        // The external-credentials case's token, set in the launcher's env.
        build.env(variable("TOKEN"), "my-token");
        for (key, secret) in &secrets {
            let what = if *key == "token" {
                "TOKEN"
            } else {
                "PRIVATE_KEY"
            };
            build.env(variable(what), secret);
        }
        let built = build.output().unwrap();
        if !built.status.success() {
            failures.push(format!(
                "{name}: build failed:\n{}\n{source}",
                String::from_utf8_lossy(&built.stderr)
            ));
            continue;
        }
        let problems = support::compare(&case.expected, &String::from_utf8(built.stdout).unwrap());
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  {}\n{source}", problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {CASES} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn values_dir(values: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("values.yaml"), values).unwrap();
    dir
}

const VALUES: &str = "credentials:\n  token: s3cr3t-token\n  privateKey: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcFFJQkFBS0NBUUVBdGVzdGtleQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=\nreplicaCount: 3\n";

#[test]
fn the_output_file_reads_credentials_from_the_environment() {
    let dir = values_dir(VALUES);
    let output = import(
        dir.path(),
        &["values.yaml", "--name", "prod", "-o", "prod.pool"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    let written = fs::read_to_string(dir.path().join("prod.pool")).unwrap();
    assert!(
        written.contains("token       = env(\"SPACELIFT_PROD_TOKEN\")"),
        "{written}"
    );
    assert!(!written.contains("s3cr3t-token"));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("SPACELIFT_PROD_TOKEN and SPACELIFT_PROD_PRIVATE_KEY"),
        "{stderr}"
    );
}

#[test]
fn inline_secrets_are_written_to_a_private_file() {
    let dir = values_dir(VALUES);
    let args = [
        "values.yaml",
        "--name",
        "prod",
        "-o",
        "prod.pool",
        "--inline-secrets",
    ];
    let output = import(dir.path(), &args);
    assert!(output.status.success());
    let written = fs::read_to_string(dir.path().join("prod.pool")).unwrap();
    assert!(
        written.contains("token       = \"s3cr3t-token\""),
        "{written}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join("prod.pool"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn usage_and_input_errors_have_their_exit_codes() {
    let dir = values_dir(VALUES);
    let bad_name = import(dir.path(), &["values.yaml", "--name", "Not_A_Release"]);
    assert_eq!(bad_name.status.code(), Some(2));
    let missing = import(dir.path(), &["missing.yaml", "--name", "prod"]);
    assert_eq!(missing.status.code(), Some(2));
    let bad = values_dir("replicaCount: [1\n");
    let not_yaml = import(bad.path(), &["values.yaml", "--name", "prod"]);
    assert_eq!(not_yaml.status.code(), Some(1));
    assert!(not_yaml.stdout.is_empty());
}
