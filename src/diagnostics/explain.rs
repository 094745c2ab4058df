//! The long explanation of each diagnostic code, for `poolc explain`
//! (as `rustc --explain`). The text is docs/diagnostics.md itself, built
//! in, so the documentation and the command cannot say different things.

use super::Code;

/// docs/diagnostics.md, built in.
pub const DOCUMENT: &str = include_str!("../../docs/diagnostics.md");

/// The section of docs/diagnostics.md for `code` (its heading line without
/// the `###`, then its text); `None` only for an undocumented code, which
/// the documentation test forbids.
pub fn explain(code: Code) -> Option<&'static str> {
    let code = code.to_string();
    sections().find(|(c, _)| *c == code).map(|(_, text)| text)
}

/// The anchor of a code's section in docs/diagnostics.md, as Markdown
/// renderers make it from the heading (GitHub's rule: lowercase, spaces to
/// hyphens, other punctuation dropped): `pool::E0301: unknown attribute` →
/// `poole0301-unknown-attribute`.
pub fn anchor(code: Code) -> Option<String> {
    let heading = explain(code)?.lines().next()?;
    Some(
        heading
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect(),
    )
}

/// `(code, section)` for each `### pool::XNNNN: title` heading; a section
/// runs to the next section or chapter heading (a `#` comment in an example
/// is not one).
fn sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    let mut rest = DOCUMENT;
    std::iter::from_fn(move || {
        let start = rest.find("\n### pool::")? + "\n### ".len();
        let section = &rest[start..];
        let end = ["\n## ", "\n### "]
            .iter()
            .filter_map(|heading| section.find(heading))
            .min()
            .unwrap_or(section.len());
        rest = &section[end..];
        let section = section[..end].trim_end();
        let code = &section[..section.find(": ")?];
        Some((code, section))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_its_own_section() {
        let text = explain(Code::PrivateKeyIsPem).unwrap();
        assert!(text.starts_with("pool::E0604: "), "{text}");
        assert!(text.contains("base64"), "{text}");
    }

    #[test]
    fn anchors_are_made_from_the_heading() {
        assert_eq!(
            anchor(Code::UnknownAttribute).as_deref(),
            Some("poole0301-unknown-attribute")
        );
    }

    #[test]
    fn a_section_stops_at_the_next_heading() {
        let text = explain(Code::ClaimOnDeployment).unwrap();
        assert!(!text.contains("E0602"), "{text}");
        assert!(!text.contains("\n#"), "{text}");
    }

    #[test]
    fn every_code_has_text_beyond_its_heading() {
        for &code in Code::ALL {
            let text = explain(code).unwrap_or_else(|| panic!("{code} is not documented"));
            assert!(text.lines().count() > 1, "{code} has no explanation");
        }
    }

    #[test]
    fn every_section_is_a_code() {
        for (written, _) in sections() {
            assert!(Code::parse(written).is_some(), "{written} is not a code");
        }
        assert_eq!(sections().count(), Code::ALL.len());
    }
}
