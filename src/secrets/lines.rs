//! Text that could hold credentials in a file whose structure is unknown:
//! a .pool file that does not parse, or a values file that is not YAML.
//! Without a syntax tree, whole lines are judged, erring on the side of
//! masking:
//!
//! - after a key that names a credential (`token =`, `privateKey:`,
//!   `SPACELIFT_TOKEN =`, see [`key_kind`]), the rest of the line, and the
//!   lines of the value when it opens a bracket, a heredoc or a YAML block;
//! - under a key like `credentials` (a block, an object, a YAML map), every
//!   line of its body;
//! - after an env entry's name that is a credential variable
//!   (`name = "SPACELIFT_TOKEN"`, `- name: SPACELIFT_TOKEN`), the rest of
//!   the line and the entry's following lines;
//! - the value of a `let` whose name is used in any text masked above
//!   (`token = pool_token` masks `let pool_token = ...`);
//! - PEM blocks, `-----BEGIN` to `-----END`;
//! - anywhere, a run of 32 or more base64 characters mixing upper case,
//!   lower case and digits (tokens and keys look like that; names do not).

use super::{KeyKind, key_kind};
use crate::syntax::span::{FileId, Span};
use std::collections::HashSet;

/// The spans of `text` that could hold credentials.
pub fn spans(text: &str, file: FileId) -> Vec<Span> {
    // Twice: the names used in what the first pass masks are the `let`s
    // the second masks too.
    let first = scan(text, &HashSet::new());
    let names: HashSet<&str> = first
        .iter()
        .flat_map(|&(s, e)| text[s..e].split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|w| w.starts_with(|c: char| c.is_alphabetic() || c == '_'))
        .collect();
    scan(text, &names)
        .into_iter()
        .map(|(s, e)| Span::new(file, s, e))
        .collect()
}

/// One pass over the lines; `lets` are names of `let`s to mask.
fn scan(text: &str, lets: &HashSet<&str>) -> Vec<(usize, usize)> {
    let mut scanner = Scanner {
        region: None,
        found: Vec::new(),
        lets,
    };
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        scanner.line(content, start);
        opaque_runs(content, start, &mut scanner.found);
        start += line.len();
    }
    scanner.found
}

/// The lines being masked after the line that opened them.
#[derive(Clone, Debug, PartialEq)]
enum Region {
    /// Until the brackets opened balance.
    Brackets(i32),
    /// Until a line indented no deeper than this (YAML).
    Indented(usize),
    /// Until the heredoc's closing tag.
    Heredoc(String),
    /// Until `-----END`.
    Pem,
    /// An env entry's other lines: until a line less indented than this,
    /// a new entry, or the entry's closing bracket.
    Entry(usize),
}

struct Scanner<'l> {
    region: Option<Region>,
    found: Vec<(usize, usize)>,
    lets: &'l HashSet<&'l str>,
}

impl Scanner<'_> {
    fn line(&mut self, line: &str, start: usize) {
        if let Some(region) = self.region.take()
            && self.continue_region(region, line, start)
        {
            return;
        }
        let indent = indentation(line);
        if line.contains("-----BEGIN") {
            self.mask_from(line, start, indent);
            self.region = (!line.contains("-----END")).then_some(Region::Pem);
            return;
        }
        if let Some((key, rest)) = key_and_rest(line) {
            let used = line.trim_start().starts_with("let ") && self.lets.contains(key);
            match key_kind(key).or(used.then_some(KeyKind::Credential)) {
                // `credentials external "name"` names a Secret, `credentials
                // auto { ... }` a space: not secret.
                Some(KeyKind::Credentials)
                    if ["external", "auto"]
                        .iter()
                        .any(|w| line[rest..].starts_with(w)) =>
                {
                    return;
                }
                Some(KeyKind::Credentials) => {
                    self.mask_from(line, start, rest);
                    self.region = opened(&line[rest..], indent);
                    return;
                }
                Some(KeyKind::Credential) => {
                    self.mask_from(line, start, rest);
                    self.region = opened(&line[rest..], indent);
                    return;
                }
                None => {}
            }
        }
        if let Some(after) = credential_variable_value(line) {
            self.mask_from(line, start, after);
            self.region = Some(Region::Entry(indent));
        }
    }

    /// Handles a line inside a region; `false` when the region ended
    /// before this line, which is then read as any other.
    fn continue_region(&mut self, region: Region, line: &str, start: usize) -> bool {
        let trimmed = line.trim();
        let indent = indentation(line);
        let next = match region {
            Region::Brackets(depth) => {
                let depth = depth + bracket_balance(line);
                if !is_closing(trimmed) {
                    self.mask_from(line, start, value_start(line));
                }
                (depth > 0).then_some(Region::Brackets(depth))
            }
            Region::Indented(outer) => {
                if !trimmed.is_empty() && indent <= outer {
                    return false;
                }
                self.mask_from(line, start, value_start(line));
                Some(Region::Indented(outer))
            }
            Region::Heredoc(tag) => {
                self.mask_from(line, start, indent);
                (trimmed != tag).then_some(Region::Heredoc(tag))
            }
            Region::Pem => {
                self.mask_from(line, start, indent);
                (!line.contains("-----END")).then_some(Region::Pem)
            }
            Region::Entry(outer) => {
                let new_entry = trimmed.starts_with('-')
                    || key_and_rest(line).is_some_and(|(key, _)| key == "name");
                if trimmed.is_empty() {
                    Some(Region::Entry(outer))
                } else if indent < outer || new_entry || is_closing(trimmed) {
                    return false;
                } else {
                    let from = key_and_rest(line).map_or(indent, |(_, rest)| rest);
                    self.mask_from(line, start, from);
                    Some(Region::Entry(outer))
                }
            }
        };
        self.region = next;
        true
    }

    /// Masks `line` from byte `from` to its end, trailing blanks left out.
    fn mask_from(&mut self, line: &str, start: usize, from: usize) {
        let end = line.trim_end().len();
        if from < end {
            self.found.push((start + from, start + end));
        }
    }
}

/// Where a line of a masked body starts to be masked: after the key when
/// it names a credential (`token = ***`), else (any other key may be a
/// secret itself) at its first character.
fn value_start(line: &str) -> usize {
    key_and_rest(line)
        .filter(|(key, _)| key_kind(key) == Some(KeyKind::Credential))
        .map_or(indentation(line), |(_, rest)| rest)
}

/// The lines a credential's value (or a credentials body) goes on to,
/// after `rest`, the text following its key on the key's line: a heredoc,
/// indented lines (`token:` or `token: |` in YAML), or the lines until the
/// brackets `rest` opens close (none, when it opens none).
fn opened(rest: &str, indent: usize) -> Option<Region> {
    let rest = rest.trim();
    if let Some(tag) = rest.strip_prefix("<<") {
        let tag = tag.trim_start_matches('-');
        return Some(Region::Heredoc(tag.trim().to_string()));
    }
    if rest.is_empty() || rest.starts_with(['|', '>']) {
        return Some(Region::Indented(indent));
    }
    let depth = bracket_balance(rest);
    (depth > 0).then_some(Region::Brackets(depth))
}

/// A line's key and where the text after its `=` or `:` (or, for a block,
/// after the key) starts: `token = "..."`, `privateKey: ...`,
/// `- name: ...`, `"SPACELIFT_TOKEN" = ...`, `credentials {`,
/// `let token = ...`.
fn key_and_rest(line: &str) -> Option<(&str, usize)> {
    let indent = indentation(line);
    let mut at = indent;
    for prefix in ["- ", "let "] {
        if line[at..].starts_with(prefix) {
            at += prefix.len();
            at += indentation(&line[at..]);
        }
    }
    let quoted = line[at..].starts_with(['"', '\'']);
    let key_start = at + usize::from(quoted);
    let key_len = line[key_start..]
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')))
        .unwrap_or(line.len() - key_start);
    if key_len == 0 {
        return None;
    }
    let key = &line[key_start..key_start + key_len];
    let mut after = key_start + key_len + usize::from(quoted);
    after += indentation(line.get(after..)?);
    let rest = line.get(after..)?;
    if rest.starts_with('=') || rest.starts_with(':') {
        after += 1;
        Some((key, after + indentation(&line[after..])))
    } else if rest.starts_with('{') || rest.starts_with('"') || rest.starts_with("external") {
        // A block: `credentials {`, `credentials external "name"`.
        Some((key, after))
    } else {
        None
    }
}

/// Where the value after an env entry's name starts, when the name is a
/// credential variable: `name = "SPACELIFT_TOKEN", value = "..."`.
fn credential_variable_value(line: &str) -> Option<usize> {
    let position = line.find("name")?;
    let rest = &line[position + "name".len()..];
    let separator = rest.find(['=', ':'])?;
    if !rest[..separator].trim().is_empty() {
        return None;
    }
    let value = rest[separator + 1..].trim_start();
    let value_start = line.len() - value.len();
    let unquoted = value.trim_start_matches(['"', '\'']);
    let len = unquoted
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(unquoted.len());
    let name = &unquoted[..len];
    let end = value_start + (value.len() - unquoted.len()) + len;
    let end = end + usize::from(line[end..].starts_with(['"', '\'']));
    (key_kind(name) == Some(KeyKind::Credential)).then_some(end)
}

/// Opening minus closing brackets on a line, quoted text left out.
fn bracket_balance(line: &str) -> i32 {
    let mut balance = 0;
    let mut quoted = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '{' | '[' | '(' if !quoted => balance += 1,
            '}' | ']' | ')' if !quoted => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// A line of closing brackets (and commas) only.
fn is_closing(trimmed: &str) -> bool {
    !trimmed.is_empty() && trimmed.chars().all(|c| matches!(c, '}' | ']' | ')' | ','))
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Runs of 32 or more base64 characters with upper case, lower case and
/// digits.
fn opaque_runs(line: &str, start: usize, found: &mut Vec<(usize, usize)>) {
    let is_base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-');
    let mut run_start = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        match (is_base64(c), run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(s)) => {
                let run = &line[s..i];
                let mixed = run.chars().any(|c| c.is_ascii_uppercase())
                    && run.chars().any(|c| c.is_ascii_lowercase())
                    && run.chars().any(|c| c.is_ascii_digit());
                if run.len() >= 32 && mixed {
                    found.push((start + s, start + i));
                }
                run_start = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each masked span.
    fn masked(text: &str) -> Vec<&str> {
        let mut spans = spans(text, FileId(0));
        spans.sort();
        spans.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn values_after_credential_keys_are_masked() {
        let text = "pool \"a\" {\n  token = abc def\n  private_key: \"xyz\" # c\n  image = \"i\"\n";
        assert_eq!(masked(text), ["abc def", "\"xyz\" # c"]);
        assert_eq!(masked("let pool_token = \"abc\"\nlet x = 1\n"), ["\"abc\""]);
        let used = "let t = \"abc\"\nlet u = 1\npool \"a\" {\n  token = base64(t)\n  [\n";
        assert_eq!(masked(used), ["\"abc\"", "base64(t)"]);
    }

    #[test]
    fn credentials_bodies_are_masked_whole() {
        // A credential's key is kept; any other (a token, perhaps) is not.
        let text =
            "credentails {\n  token = \"s0\"\n  tok = \"s1\"\n  other = s2\n}\nreplicas = [\n";
        assert_eq!(masked(text), ["{", "\"s0\"", "tok = \"s1\"", "other = s2"]);
        assert!(masked("credentials external \"pool-credentials\"\n").is_empty());
        let text = "credentials = { token = \"s1\", private_key = \"s2\" }\nx = 1\n";
        assert_eq!(masked(text), ["{ token = \"s1\", private_key = \"s2\" }"]);
        let yaml = "credentials:\n  token: s1\n  privateKey: s2\nreplicaCount: 2\n";
        assert_eq!(masked(yaml), ["s1", "s2"]);
    }

    #[test]
    fn env_entries_of_credential_variables_are_masked() {
        let text = "env = [{ name = \"SPACELIFT_TOKEN\", value = \"s1\" }]\n";
        assert_eq!(masked(text), [", value = \"s1\" }]"]);
        let yaml =
            "extraEnv:\n  - name: SPACELIFT_TOKEN\n    value: s1\n  - name: A\n    value: a\n";
        assert_eq!(masked(yaml), ["s1"]);
        let pool = "  {\n    name = \"SPACELIFT_POOL_PRIVATE_KEY\"\n    value = s2\n  },\n";
        assert_eq!(masked(pool), ["s2"]);
        let block = "env {\n  SPACELIFT_TOKEN = \"s1\"\n  A = \"a\"\n}\n";
        assert_eq!(masked(block), ["\"s1\""]);
    }

    #[test]
    fn heredocs_and_pem_blocks_are_masked() {
        let text = "private_key = <<EOT\nline one\nline two\nEOT\nnext = 1\n";
        assert_eq!(masked(text), ["<<EOT", "line one", "line two", "EOT"]);
        let pem = "x = [\n-----BEGIN KEY-----\nabc\n-----END KEY-----\ny\n";
        assert_eq!(
            masked(pem),
            ["-----BEGIN KEY-----", "abc", "-----END KEY-----"]
        );
    }

    #[test]
    fn long_opaque_text_is_masked_anywhere_and_names_are_not() {
        let token = "eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0";
        let text =
            format!("labels = {{ a = \"{token}\" }}\nname = \"spacelift-worker-pool-12345678\"\n");
        assert_eq!(masked(&text), [token]);
        let digest = format!("image = \"x@sha256:{}\"\n", "ab12".repeat(16));
        assert!(masked(&digest).is_empty());
    }
}
