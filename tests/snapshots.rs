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
        // Other YAML files are inputs of the snapshots, not snapshots.
        if path.extension().is_some_and(|e| e == "yaml") && !text.starts_with("# poolc ") {
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
