//! A small YAML emitter for Kubernetes manifests, written here rather than
//! taken from serde_norway because the output must read the same under
//! YAML 1.1 (kubectl and much other tooling) and YAML 1.2: serde_norway
//! writes `on`, `yes`, `y` and `2001-12-14` unquoted, which YAML 1.1
//! readers take for booleans and dates.
//!
//! The rule here is conservative: a string is written plain only when it
//! cannot be read as anything but that string under either version;
//! everything else is double-quoted. Block style, two-space indentation,
//! sequences indented under their key, keys in the order given.
//!
//! [`write_document`] writes a JSON tree (the operator's objects are
//! built as one); [`write_serialized`] writes the same text straight from
//! a typed object (the chart's), without the tree.

mod serializer;

use serde_json::{Map, Value};
pub use serializer::write_document as write_serialized;

/// Appends `value` (a mapping) as one YAML document body.
pub fn write_document(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) if !map.is_empty() => write_mapping(out, map, 0),
        other => {
            write_scalar_or_empty(out, other, 0);
            out.push('\n');
        }
    }
}

fn indent(out: &mut String, level: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = level;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

fn write_mapping(out: &mut String, map: &Map<String, Value>, level: usize) {
    for (key, value) in map {
        indent(out, level);
        write_string(out, key, level);
        out.push(':');
        write_child(out, value, level);
    }
}

fn write_sequence(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first key goes on the dash's line; the rest align with it.
                out.push(' ');
                let mut first = true;
                for (key, value) in map {
                    if !first {
                        indent(out, level + 2);
                    }
                    first = false;
                    write_string(out, key, level + 2);
                    out.push(':');
                    write_child(out, value, level + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_sequence(out, inner, level + 2);
            }
            scalar => {
                out.push(' ');
                write_scalar_or_empty(out, scalar, level + 2);
                out.push('\n');
            }
        }
    }
}

/// What follows `key:`: a nested block on the next lines, or a scalar.
fn write_child(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_mapping(out, map, level + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(out, items, level + 2);
        }
        scalar => {
            out.push(' ');
            write_scalar_or_empty(out, scalar, level + 2);
            out.push('\n');
        }
    }
}

fn write_scalar_or_empty(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s, level),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn write_string(out: &mut String, s: &str, level: usize) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if is_literal_block_safe(s) {
        write_literal_block(out, s, level);
    } else {
        write_double_quoted(out, s);
    }
}

/// Words YAML 1.1 reads as booleans or null, and YAML 1.2 as null.
const RESERVED_WORDS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
];

/// Whether `s` can be written without quotes and read back as the same
/// string under YAML 1.1 and 1.2.
pub fn is_plain_safe(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return false;
    };
    let starts_well = match first {
        // Reserved words are at most five letters long.
        c if c.is_ascii_alphabetic() => s.len() > 5 || !RESERVED_WORDS.contains(&s),
        b'/' | b'_' | b'$' => true,
        // Numbers, dates, times and octals all start with a digit; the
        // only digit-led plain strings are quantity-like: 500m, 100Gi, 2h.
        c if c.is_ascii_digit() => is_number_with_unit(s),
        // `-c` and `-x` are options, not numbers or sequence entries.
        b'-' => s.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic),
        _ => false,
    };
    starts_well && !s.ends_with([':', ' ']) && has_only_plain_characters(s)
}

/// No flow indicators, quotes, tabs or control characters, no `: ` (a
/// mapping) and no ` #` (a comment): one pass over the bytes, then one over
/// the characters for text that is not ASCII.
fn has_only_plain_characters(s: &str) -> bool {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let plain = match b {
            b':' => bytes.get(i + 1) != Some(&b' '),
            b'#' => i == 0 || bytes[i - 1] != b' ',
            b'[' | b']' | b'{' | b'}' | b',' | b'"' | b'\'' | b'`' | 0x7f => false,
            c => c >= 0x20,
        };
        if !plain {
            return false;
        }
    }
    s.is_ascii()
        || s.chars()
            .all(|c| !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

/// `500m`, `1.5Gi`, `2h`: digits, an optional fraction, then letters only.
fn is_number_with_unit(s: &str) -> bool {
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let rest = &s[digits_end..];
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            if end == 0 {
                return false;
            }
            &fraction[end..]
        }
        None => rest,
    };
    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphabetic())
}

/// Multi-line text reads best as a literal block, when it can be one
/// exactly: no trailing spaces, no tabs or control characters, no leading
/// space on the first line.
fn is_literal_block_safe(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && s.chars().all(|c| c == '\n' || !c.is_control())
        && s.lines().all(|l| !l.ends_with(' ') && !l.contains('\t'))
}

fn write_literal_block(out: &mut String, s: &str, level: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    for line in s[..body.len() + trailing.saturating_sub(1)].split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
    }
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(v: Value) -> String {
        let mut out = String::new();
        write_document(&mut out, &v);
        out
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in [
            "on",
            "yes",
            "y",
            "No",
            "null",
            "~",
            "0777",
            "1e3",
            "1.0e3",
            "2001-12-14",
            "1:20",
            "1_000",
            "0x1F",
            ".inf",
            "=",
            "<<",
            "",
            " x",
            "x ",
            "a: b",
            "a #b",
            "-1",
            "+1",
            ".5",
            "1",
            "12",
            "-",
            "--",
            "--host",
            "true",
            "*a",
            "&a",
            "!t",
            "%x",
            "@x",
            "[a]",
            "a,b",
            "#c",
            "1h30m",
            "3.14",
        ] {
            assert!(!is_plain_safe(s), "{s:?} must be quoted");
        }
    }

    #[test]
    fn ordinary_strings_stay_plain() {
        for s in [
            "launcher",
            "tcp://localhost:2375",
            "500m",
            "512Mi",
            "1.5Gi",
            "2h",
            "/bin/sh",
            "-c",
            "sleep 20",
            "app.kubernetes.io/name",
            "public.ecr.aws/spacelift/launcher:latest",
            "None",
            "Opaque",
            "spec.nodeName",
            "$HOME",
        ] {
            assert!(is_plain_safe(s), "{s:?} should be plain");
        }
    }

    #[test]
    fn documents_are_block_style() {
        let v = json!({
            "metadata": {"name": "x", "labels": {"a": "on"}},
            "spec": {
                "containers": [{"name": "c", "command": ["a", "-c"], "env": []}],
                "securityContext": {},
                "replicas": 3
            }
        });
        assert_eq!(
            yaml(v),
            "metadata:\n  name: x\n  labels:\n    a: \"on\"\nspec:\n  containers:\n    - name: \
            c\n      command:\n        - a\n        - -c\n      env: []\n  securityContext: {}\n  \
            replicas: 3\n"
        );
    }

    #[test]
    fn multi_line_strings_use_literal_blocks_when_exact() {
        assert_eq!(yaml(json!({"s": "a\nb\n"})), "s: |\n  a\n  b\n");
        assert_eq!(yaml(json!({"s": "a\n\nb"})), "s: |-\n  a\n\n  b\n");
        assert_eq!(yaml(json!({"s": "a\n\n"})), "s: |+\n  a\n\n");
        assert_eq!(yaml(json!({"s": "a \nb"})), "s: \"a \\nb\"\n");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            yaml(json!({"s": "a\u{7}\"\\"})),
            "s: \"a\\u0007\\\"\\\\\"\n"
        );
    }
}
