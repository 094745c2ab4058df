//! The long explanation of each diagnostic code, for `poolc explain`
//! (as `rustc --explain`). The text is docs/diagnostics.md itself, built
//! in, so the documentation and the command cannot say different things.

const DOCUMENT: &str = include_str!("../../docs/diagnostics.md");

/// The canonical form of a code as users type it: `E0604`, `e0604` and
/// `pool::E0604` all name `pool::E0604`.
pub fn normalise(code: &str) -> String {
    let bare = code.trim();
    let bare = bare.strip_prefix("pool::").unwrap_or(bare);
    format!("pool::{}", bare.to_ascii_uppercase())
}

/// Every documented code, in the document's order.
pub fn codes() -> impl Iterator<Item = &'static str> {
    sections().map(|(code, _)| code)
}

/// The section of docs/diagnostics.md for `code` (its heading line without
/// the `###`, then its text), or `None` when no such code exists.
pub fn explain(code: &str) -> Option<&'static str> {
    let code = normalise(code);
    sections().find(|(c, _)| *c == code).map(|(_, text)| text)
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
    fn a_code_is_found_however_it_is_written() {
        for written in ["pool::E0604", "E0604", "e0604", " pool::e0604 "] {
            let text = explain(written).unwrap_or_else(|| panic!("{written}"));
            assert!(text.starts_with("pool::E0604: "), "{text}");
            assert!(text.contains("base64"), "{text}");
        }
    }

    #[test]
    fn a_section_stops_at_the_next_heading() {
        let text = explain("E0601").unwrap();
        assert!(!text.contains("E0602"), "{text}");
        assert!(!text.contains("\n#"), "{text}");
    }

    #[test]
    fn unknown_codes_have_no_explanation() {
        assert_eq!(explain("E9999"), None);
        assert_eq!(explain(""), None);
        assert_eq!(explain("pool::"), None);
    }

    #[test]
    fn every_code_has_text_beyond_its_heading() {
        let mut count = 0;
        for code in codes() {
            assert!(code.starts_with("pool::") && code.len() == 11, "{code}");
            let text = explain(code).unwrap();
            assert!(text.lines().count() > 1, "{code} has no explanation");
            count += 1;
        }
        assert!(count > 50, "only {count} codes");
        assert_eq!(count, DOCUMENT.matches("\n### pool::").count());
    }
}
