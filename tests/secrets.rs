//! The secret-leak suite: no byte of a secret in any diagnostic, label,
//! help line, snippet, diff or log, in any message format, of any
//! subcommand.
//!
//! Every case in `tests/secrets/cases/` (those that do not parse in its
//! `syntax/` folder; `lib/` holds what they read) places secrets (a token, a private
//! key, a value read by `env()` and one read by `file()`, each holding
//! [`MARKER`]) beside the problems it sets off: syntax errors of every
//! kind, and every diagnostic code. Each `.pool` case is run through
//! `check`, `build`, `fmt --check` (in the three message formats) and
//! `watch`; each `.yaml` case through `import` (three formats, with and
//! without `--inline-secrets`). No output may hold the marker or any
//! five-character piece of it, nor a mask as long as a secret (`****`).
//! A case's first lines name the codes it must set off (`# codes: E0103
//! W0002`); together the cases must set off every code of [`Code::ALL`]
//! but the few exempted below, so a new diagnostic joins the suite or
//! fails it. `build -o DIR --check` diffs are tested on sites built here.

mod support;

use poolc::diagnostics::Code;
use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The text every secret of the cases holds.
const MARKER: &str = "SeKr1tMaRk";

/// What reports show for a secret.
const MASK: &str = "***";

/// The environment of every run: values read by `env()`.
const ENV: [(&str, &str); 1] = [("POOLC_LEAK", "SeKr1tMaRk-env")];

/// Codes no case sets off, and why.
const EXEMPT: [(Code, &str); 1] = [(
    // A safety net for a disagreement between the Kubernetes schema and
    // the typed objects; valid schemas never reach it (tests/docs.rs).
    Code::InvalidObject,
    "unreachable",
)];

const FORMATS: [&str; 3] = ["human", "short", "json"];

fn cases_dir() -> PathBuf {
    support::repo().join("tests/secrets/cases")
}

/// The cases, copied into a fresh folder (nothing a run writes lands in
/// the repository), with the folder; each case by its path in it.
fn cases() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&cases_dir(), dir.path());
    let mut cases = Vec::new();
    for folder in ["", "syntax"] {
        for entry in fs::read_dir(dir.path().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pool" || e == "yaml") {
                let name = path.file_name().unwrap().to_str().unwrap();
                cases.push(Path::new(folder).join(name).to_str().unwrap().to_string());
            }
        }
    }
    cases.sort();
    (dir, cases)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// The codes a case says it sets off (`# codes: E0103 W0002`).
fn declared_codes(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# codes:"))
        .flat_map(|l| l.split_whitespace().map(|c| format!("pool::{c}")))
        .collect()
}

fn poolc(dir: &Path) -> Command {
    let mut command = support::poolc();
    command.env_clear().envs(ENV).current_dir(dir);
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    poolc(dir).args(args).output().expect("poolc runs")
}

/// Fails when `shown` holds the marker, a piece of it, or a mask as long
/// as a secret.
fn assert_no_secret(shown: &str, what: &str) {
    let pieces = (0..=MARKER.len() - 5).map(|i| &MARKER[i..i + 5]);
    for piece in pieces {
        assert!(
            !shown.contains(piece),
            "{what} shows `{piece}` of a secret:\n{shown}"
        );
    }
    assert!(
        !shown.contains("****"),
        "{what} shows a mask as long as a secret:\n{shown}"
    );
}

/// Everything a run printed; stdout only when it must hold no secret (a
/// build that succeeds prints the manifests, Secret included, by design).
fn shown(output: &Output, stdout_too: bool) -> String {
    let mut shown = String::from_utf8_lossy(&output.stderr).into_owned();
    if stdout_too {
        shown.push_str(&String::from_utf8_lossy(&output.stdout));
    }
    shown
}

/// The codes of a run in the JSON format (on stdout for `check`, on
/// stderr for the others).
fn codes(output: &Output) -> BTreeSet<String> {
    let printed = [&output.stdout, &output.stderr].map(|s| String::from_utf8_lossy(s));
    printed
        .iter()
        .flat_map(|text| text.lines())
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|d| d["code"].as_str().map(String::from))
        .collect()
}

/// `poolc watch` on a case, until its first build is over.
fn watch(dir: &Path, case: &str) -> String {
    let mut child = poolc(dir)
        .args(["watch", case])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("poolc runs");
    let started = Instant::now();
    let mut shown = String::new();
    let reader = BufReader::new(child.stderr.take().unwrap());
    for line in reader.lines().map_while(Result::ok) {
        shown.push_str(&line);
        shown.push('\n');
        // The status line that ends a build: `[hh:mm:ss] build failed: ...`.
        let status = line.starts_with('[') && line.contains("] ");
        if status || started.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    shown
}

/// Runs one `.pool` case every way; returns the codes it set off.
fn pool_case(dir: &Path, case: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for format in FORMATS {
        let check = run(dir, &["check", "--message-format", format, case]);
        assert_no_secret(&shown(&check, true), &format!("check {format} {case}"));
        if format == "json" {
            found = codes(&check);
        }
        let build = run(dir, &["build", "--message-format", format, case]);
        let failed = !build.status.success();
        assert_no_secret(&shown(&build, failed), &format!("build {format} {case}"));
        let fmt = run(dir, &["fmt", "--check", "--message-format", format, case]);
        assert_no_secret(&shown(&fmt, true), &format!("fmt {format} {case}"));
    }
    assert_no_secret(&watch(dir, case), &format!("watch {case}"));
    found
}

/// Runs one `.yaml` case every way; returns the codes it set off.
fn values_case(dir: &Path, case: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for format in FORMATS {
        let import = ["import", "--name", "ci", "--message-format", format, case];
        let output = run(dir, &import);
        assert_no_secret(&shown(&output, true), &format!("import {format} {case}"));
        if format == "json" {
            found = codes(&output);
        }
        // Copied into the .pool file on request; never into a message.
        let inline = run(dir, &[&import[..], &["--inline-secrets"]].concat());
        let failed = !inline.status.success();
        assert_no_secret(&shown(&inline, failed), &format!("import inline {case}"));
    }
    found
}

#[test]
fn no_diagnostic_of_any_case_shows_a_secret() {
    let (dir, cases) = cases();
    let mut found = BTreeSet::new();
    for case in &cases {
        let case = case.as_str();
        let text = fs::read_to_string(dir.path().join(case)).unwrap();
        let codes = if case.ends_with(".yaml") {
            values_case(dir.path(), case)
        } else {
            pool_case(dir.path(), case)
        };
        for code in declared_codes(&text) {
            assert!(
                codes.contains(&code),
                "{case} no longer sets off {code}: {codes:?}"
            );
        }
        // The secrets were shown beside the problems, masked.
        if text.contains(MARKER) {
            let command = if case.ends_with(".yaml") {
                vec!["import", "--name", "ci", case]
            } else {
                vec!["check", case]
            };
            let report = shown(&run(dir.path(), &command), false);
            assert!(
                report.contains(MASK),
                "{case} shows no masked secret:\n{report}"
            );
        }
        found.extend(codes);
    }
    let exempt: BTreeSet<String> = EXEMPT.iter().map(|(c, _)| c.to_string()).collect();
    let missing: Vec<String> = Code::ALL
        .iter()
        .map(Code::to_string)
        .filter(|c| !found.contains(c) && !exempt.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes no case of tests/secrets/cases sets off beside a secret: {missing:?}"
    );
    let stale: Vec<&String> = exempt.iter().filter(|c| found.contains(*c)).collect();
    assert!(stale.is_empty(), "exempt codes a case sets off: {stale:?}");
}

/// A site with both kinds of credentials: inline (written into a Secret)
/// and external (passed to the launcher in its env).
const SITE: &str = r#"pool "inline" {
  credentials {
    token       = "SeKr1tMaRk-token"
    private_key = base64(file("key.pem"))
  }
  replicas = 1
}

pool "external" {
  credentials external
  launcher {
    env = [
      { name = "SPACELIFT_TOKEN", value = env("POOLC_LEAK") },
      { name = "SPACELIFT_POOL_PRIVATE_KEY", value = "SeKr1tMaRk-key" },
    ]
  }
}
"#;

/// `build -o DIR --check` in every format: it finds differences, and its
/// diff and messages show no secret, nor the private key's base64 text.
fn check_diff(dir: &Path, private_key: &str) -> String {
    let mut diffs = String::new();
    for format in FORMATS {
        let args = [
            "build",
            "site.pool",
            "-o",
            "out",
            "--check",
            "--message-format",
            format,
        ];
        let output = run(dir, &args);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let shown = shown(&output, true);
        assert_no_secret(&shown, &format!("build --check {format}"));
        assert!(
            !shown.contains(private_key),
            "the diff shows the key:\n{shown}"
        );
        diffs.push_str(&shown);
    }
    diffs
}

#[test]
fn build_check_diffs_show_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    fs::copy(cases_dir().join("lib/key.pem"), dir.join("key.pem")).unwrap();
    fs::write(dir.join("site.pool"), SITE).unwrap();
    let stream = run(dir, &["build", "site.pool"]);
    let stream = String::from_utf8(stream.stdout).unwrap();
    let private_key = stream
        .lines()
        .find_map(|l| l.trim().strip_prefix("privateKey: "))
        .expect("the Secret holds the key")
        .trim_matches('"')
        .to_string();
    // Every file new.
    let diff = check_diff(dir, &private_key);
    assert!(
        diff.contains("+kind: Secret") && diff.contains("token: <redacted>"),
        "{diff}"
    );
    // The launcher's credential variables, as well as the Secret.
    assert!(diff.contains("value: <redacted>"), "{diff}");
    // Built, then changed beside the credentials.
    assert!(
        run(dir, &["build", "site.pool", "-o", "out"])
            .status
            .success()
    );
    fs::write(
        dir.join("site.pool"),
        SITE.replace("replicas = 1", "replicas = 2"),
    )
    .unwrap();
    let diff = check_diff(dir, &private_key);
    assert!(
        diff.contains("-  replicas: 1") && diff.contains("+  replicas: 2"),
        "{diff}"
    );
    // A file written before a credential in a label was an error.
    let old = fs::read_to_string(dir.join("out/inline.yaml")).unwrap();
    let leaked = old.replacen(
        "  labels:\n",
        "  labels:\n    leaked: SeKr1tMaRk-token\n",
        1,
    );
    assert_ne!(old, leaked);
    fs::write(dir.join("out/inline.yaml"), leaked).unwrap();
    let diff = check_diff(dir, &private_key);
    assert!(diff.contains("-    leaked: <redacted>"), "{diff}");
}
