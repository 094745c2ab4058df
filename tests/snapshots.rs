//! Diagnostic snapshots: every file `tests/snapshot/inputs/<area>/*.pool`,
//! and every Helm values file `<area>/*.yaml` (for `poolc import`), is run
//! through the real binary and its exit code, stderr and stdout are
//! compared with `tests/snapshot/snapshots/`. The file's first lines say
//! how to run it:
//!
//! ```text
//! # poolc check --message-format short     the command (the file is appended)
//! # poolc import --name ci                 (in a values file)
//! # env: NAME=VALUE                        an environment variable (repeatable)
//! # secret: TEXT                           must not appear in any output (repeatable)
//! ```
//!
//! The environment is otherwise empty, and stderr is not a terminal, so
//! reports are uncoloured and 100 columns wide.
//!
//! An input may have a fixed twin, `NAME.fixed.pool` beside `NAME.pool`:
//! the same site with the mistake corrected, which must build without a
//! single diagnostic. Every input that shows a code added since twins were
//! introduced has one, so each rule is shown both failing and passing.

mod support;

use std::fs;
use std::path::Path;

struct Header {
    args: Vec<String>,
    env: Vec<(String, String)>,
    secrets: Vec<String>,
}

fn header(text: &str, path: &Path) -> Header {
    let mut header = Header {
        args: Vec::new(),
        env: Vec::new(),
        secrets: Vec::new(),
    };
    for line in text.lines().take_while(|l| l.starts_with("# ")) {
        if let Some(command) = line.strip_prefix("# poolc ") {
            header.args = command.split_whitespace().map(String::from).collect();
        } else if let Some((name, value)) =
            line.strip_prefix("# env: ").and_then(|e| e.split_once('='))
        {
            header.env.push((name.into(), value.into()));
        } else if let Some(secret) = line.strip_prefix("# secret: ") {
            header.secrets.push(secret.into());
        }
    }
    assert!(
        !header.args.is_empty(),
        "{} has no `# poolc ...` header",
        path.display()
    );
    header
}

#[test]
fn diagnostics() {
    insta::glob!("snapshot/inputs/*/*.{pool,yaml}", |path| {
        // Inputs may hold bytes that are not UTF-8 (below the header).
        let text = String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned();
        // Other YAML files are inputs of the snapshots, not snapshots;
        // fixed twins are checked by `fixed_twins_build_cleanly`.
        if path.extension().is_some_and(|e| e == "yaml") && !text.starts_with("# poolc ")
            || is_twin(path)
        {
            return;
        }
        let header = header(&text, path);
        let output = support::poolc()
            .env_clear()
            .envs(header.env.iter().map(|(k, v)| (k, v)))
            .args(&header.args)
            .arg(path.file_name().unwrap())
            .current_dir(path.parent().unwrap())
            .output()
            .unwrap();
        let rendered = format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout),
        );
        for secret in &header.secrets {
            assert!(
                !rendered.contains(secret.as_str()),
                "{} shows the secret {secret:?}:\n{rendered}",
                path.display()
            );
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snapshot/snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(rendered));
    });
}

const TWIN: &str = ".fixed.pool";

fn is_twin(path: &Path) -> bool {
    path.to_string_lossy().ends_with(TWIN)
}

/// Every snapshot input, as (area folder, file).
fn inputs() -> Vec<std::path::PathBuf> {
    let root = support::repo().join("tests/snapshot/inputs");
    let mut inputs = Vec::new();
    for area in fs::read_dir(root).unwrap() {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        for file in fs::read_dir(&area).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "pool") {
                inputs.push(file);
            }
        }
    }
    inputs.sort();
    inputs
}

/// Each fixed twin belongs to an input and builds without a diagnostic.
#[test]
fn fixed_twins_build_cleanly() {
    let mut failures = Vec::new();
    let twins: Vec<_> = inputs().into_iter().filter(|p| is_twin(p)).collect();
    assert!(twins.len() >= 50, "only {} twins", twins.len());
    for twin in &twins {
        let name = twin.file_name().unwrap().to_string_lossy().into_owned();
        let input = twin.with_file_name(name.replace(TWIN, ".pool"));
        if !input.is_file() {
            failures.push(format!("{name}: no input beside it"));
            continue;
        }
        let text = fs::read_to_string(twin).unwrap();
        let env = text
            .lines()
            .take_while(|l| l.starts_with("# "))
            .filter_map(|l| l.strip_prefix("# env: ")?.split_once('='));
        let output = support::poolc()
            .env_clear()
            .envs(env)
            .args(["build", "--quiet", &name])
            .current_dir(twin.parent().unwrap())
            .output()
            .unwrap();
        if !output.status.success() || !output.stderr.is_empty() || output.stdout.is_empty() {
            failures.push(format!(
                "{name}: exit {:?}\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The codes that existed before fixed twins; an input showing any other
/// code has a twin.
const BEFORE_TWINS: &[&str] = &[
    "E0001", "E0002", "E0003", "E0004", "E0005", "E0006", "E0007", "E0101", "E0102", "E0103",
    "E0104", "E0105", "E0106", "E0107", "E0108", "E0109", "E0110", "E0201", "E0202", "E0203",
    "E0204", "E0205", "E0206", "E0207", "E0301", "E0302", "E0303", "E0304", "E0305", "E0306",
    "E0307", "E0308", "E0309", "E0310", "E0401", "E0402", "E0403", "E0404", "E0405", "E0406",
    "E0407", "E0408", "E0409", "E0501", "E0502", "E0503", "E0504", "E0601", "E0602", "E0603",
    "E0604", "E0605", "E0606", "E0607", "E0608", "E0609", "E0610", "E0611", "E0612", "E0613",
    "E0614", "E0615", "E0701", "E0702", "E0703", "E0704", "E0705", "E0706", "E0707", "E0708",
    "E0709", "E0710", "E0711", "E0801", "E0802", "W0701", "W0702", "W0703", "W0801", "W0802",
    "W0803", "W0804", "W0805", "W0001", "W0002",
];

#[test]
fn inputs_of_new_codes_have_fixed_twins() {
    let snapshots = support::repo().join("tests/snapshot/snapshots");
    let mut missing = Vec::new();
    for input in inputs().iter().filter(|p| !is_twin(p)) {
        let relative = input
            .strip_prefix(support::repo().join("tests/snapshot/inputs"))
            .unwrap();
        let snapshot = format!(
            "diagnostics@{}.snap",
            relative.to_string_lossy().replace('/', "__")
        );
        let Ok(text) = fs::read_to_string(snapshots.join(&snapshot)) else {
            continue;
        };
        let new_code = text.match_indices("pool::").any(|(i, _)| {
            let code = text.get(i + 6..i + 11).unwrap_or_default();
            code.len() == 5 && !BEFORE_TWINS.contains(&code)
        });
        let twin = input.with_extension("fixed.pool");
        if new_code && !twin.is_file() {
            missing.push(relative.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "inputs without a fixed twin: {missing:#?}"
    );
}
