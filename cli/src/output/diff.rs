//! The difference between an output folder and what a build would write,
//! as `build --check` prints it: a unified diff, with every value of a
//! Secret (and every credential) masked so it can be printed in a CI log.

use super::Change;
use poolc::model::launcher_settings::CREDENTIAL_VARIABLES;
use std::fmt::Write as _;

/// A unified diff of the changes, secret values masked (see [`redact`]).
pub fn diff(changes: &[Change], credentials: &[String]) -> String {
    let mut out = String::new();
    for change in changes {
        let (path, old, new) = match change {
            Change::Write { file, old } => (
                &file.path,
                old.as_deref().unwrap_or(""),
                file.contents.as_str(),
            ),
            Change::Delete { path, old } => (path, old.as_str(), ""),
        };
        // `a/` and `b/` before the path, as git writes them; an absolute
        // path is not written `a//tmp/...`.
        let name = path.display().to_string();
        let name = name.trim_start_matches('/');
        let (old_shown, new_shown) = (redact(old, credentials), redact(new, credentials));
        if old_shown == new_shown {
            let _ = writeln!(
                out,
                "--- a/{name}\n+++ b/{name}\n(only secret values differ)"
            );
            continue;
        }
        let text = similar::TextDiff::from_lines(&old_shown, &new_shown);
        let old_label = if matches!(change, Change::Write { old: None, .. }) {
            "/dev/null".to_string()
        } else {
            format!("a/{name}")
        };
        let new_label = if matches!(change, Change::Delete { .. }) {
            "/dev/null".to_string()
        } else {
            format!("b/{name}")
        };
        let _ = write!(
            out,
            "{}",
            text.unified_diff()
                .context_radius(3)
                .header(&old_label, &new_label)
        );
    }
    out
}

/// Credentials shorter than this are not looked for in other text: they
/// would match by chance (no real token or key is that short).
const SHORTEST_SCRUBBED: usize = 8;

/// The manifests as a diff may show them in a CI log: the values of a
/// Secret and of the env entries of credential variables replaced, and the
/// text of the pool's `credentials` replaced wherever else it is (a file
/// written before such a flow became an error may hold it in a label).
pub fn redact(yaml: &str, credentials: &[String]) -> String {
    let mut shown = redact_env_values(&redact_secret_values(yaml));
    for credential in credentials.iter().filter(|c| c.len() >= SHORTEST_SCRUBBED) {
        shown = shown.replace(credential.as_str(), "<redacted>");
    }
    shown
}

/// The value of every env entry of a credential variable replaced (with
/// `credentials external`, the launcher's env carries them).
fn redact_env_values(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len());
    // The indentation of the current credential entry's keys.
    let mut entry: Option<usize> = None;
    // The indentation of a redacted value's continuation lines.
    let mut skipping: Option<usize> = None;
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let indent = content.len() - content.trim_start().len();
        if let Some(deeper) = skipping {
            if indent > deeper && !content.trim().is_empty() {
                continue;
            }
            skipping = None;
        }
        let trimmed = content.trim_start();
        if let Some(name) = trimmed.strip_prefix("- name: ") {
            let name = name.trim_matches(['"', '\'']);
            entry = CREDENTIAL_VARIABLES.contains(&name).then_some(indent + 2);
        } else if entry.is_some_and(|keys| indent < keys) {
            entry = None;
        } else if entry == Some(indent) && trimmed.starts_with("value:") {
            let _ = writeln!(out, "{}value: <redacted>", &content[..indent]);
            skipping = Some(indent);
            continue;
        }
        out.push_str(line);
    }
    out
}

/// The manifests with every value under a Secret's `stringData` or `data`
/// replaced.
fn redact_secret_values(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len());
    for document in split_documents(yaml) {
        let is_secret = document.lines().any(|l| l == "kind: Secret");
        let mut in_data = false;
        for line in document.split_inclusive('\n') {
            let content = line.trim_end_matches('\n');
            if !content.starts_with(' ') {
                in_data = is_secret && (content == "stringData:" || content == "data:");
                out.push_str(line);
            } else if in_data {
                // An entry line keeps its key; continuation lines go.
                if let Some((key, _)) = content
                    .strip_prefix("  ")
                    .filter(|c| !c.starts_with(' '))
                    .and_then(|c| c.split_once(':'))
                {
                    let _ = writeln!(out, "  {key}: <redacted>");
                }
            } else {
                out.push_str(line);
            }
        }
    }
    out
}

/// Documents of a stream, each with its `---` line.
fn split_documents(yaml: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = yaml
        .match_indices("---\n")
        .filter(|(i, _)| *i == 0 || yaml.as_bytes()[i - 1] == b'\n')
        .map(|(i, _)| i)
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts.push(yaml.len());
    starts.windows(2).map(|w| &yaml[w[0]..w[1]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_redacted_in_diffs() {
        let yaml = "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: \
            a\n---\napiVersion: v1\nkind: Secret\nstringData:\n  privateKey: \"LS0tabc\"\n  token: \
            |\n    multi\n    line\ntype: Opaque\n";
        let redacted = redact_secret_values(yaml);
        assert!(
            !redacted.contains("LS0tabc") && !redacted.contains("multi"),
            "{redacted}"
        );
        assert!(
            redacted.contains("  privateKey: <redacted>\n  token: <redacted>\ntype: Opaque\n"),
            "{redacted}"
        );
        assert!(redacted.contains("kind: ServiceAccount\nmetadata:\n  name: a\n"));
    }

    #[test]
    fn credential_variables_and_credentials_elsewhere_are_redacted() {
        let yaml = [
            "spec:",
            "  env:",
            "  - name: SPACELIFT_TOKEN",
            "    value: s3cr3t-tok",
            "  - name: SPACELIFT_POOL_PRIVATE_KEY",
            "    value: |",
            "      key-line-1",
            "      key-line-2",
            "  - name: A",
            "    value: a",
            "  labels:",
            "    team: x-s3cr3t-tok\n",
        ]
        .join("\n");
        let redacted = redact(&yaml, &["s3cr3t-tok".to_string(), "short".to_string()]);
        let expected = [
            "spec:",
            "  env:",
            "  - name: SPACELIFT_TOKEN",
            "    value: <redacted>",
            "  - name: SPACELIFT_POOL_PRIVATE_KEY",
            "    value: <redacted>",
            "  - name: A",
            "    value: a",
            "  labels:",
            "    team: x-<redacted>\n",
        ];
        assert_eq!(redacted, expected.join("\n"));
    }
}
