//! The difference between an output folder and what a build would write,
//! as `build --check` prints it: a unified diff, with every value of a
//! Secret masked so it can be printed in a CI log.

use super::Change;
use std::fmt::Write as _;

/// A unified diff of the changes, secret values masked.
pub fn diff(changes: &[Change]) -> String {
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
        let name = path.display().to_string();
        let (old_shown, new_shown) = (redact_secret_values(old), redact_secret_values(new));
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

/// The manifests with every value under a Secret's `stringData` or `data`
/// replaced, so diffs can be printed in CI logs.
pub fn redact_secret_values(yaml: &str) -> String {
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
}
