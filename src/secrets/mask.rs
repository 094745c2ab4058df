//! A source text with its secrets replaced by [`MARKER`], and the map from
//! offsets in the original text to offsets in the masked one.
//!
//! Every secret becomes the same marker, whatever its length, so a report
//! does not tell how long a secret is. A secret that spans lines is masked
//! line by line (the marker on each line, the line breaks and indentation
//! kept), so line numbers stay right; only how many lines it had shows.

use super::MARKER;
use crate::syntax::span::Span;

/// A text with its secrets masked.
#[derive(Clone, Debug)]
pub struct Masked {
    pub text: String,
    /// The replaced regions, in order, each on one line.
    regions: Vec<Region>,
}

#[derive(Clone, Copy, Debug)]
struct Region {
    /// Where the secret's text was in the original.
    original: (usize, usize),
    /// Where the marker is in the masked text.
    masked: (usize, usize),
}

impl Masked {
    /// Masks `spans` (of this text, sorted and disjoint) in `text`.
    pub fn new(text: &str, spans: &[Span]) -> Masked {
        let segments = spans.iter().flat_map(|s| line_segments(text, s.range()));
        let mut out = String::with_capacity(text.len());
        let mut regions = Vec::new();
        let mut copied = 0;
        for (start, end) in segments {
            if start < copied {
                continue;
            }
            out.push_str(&text[copied..start]);
            let masked_start = out.len();
            out.push_str(MARKER);
            regions.push(Region {
                original: (start, end),
                masked: (masked_start, out.len()),
            });
            copied = end;
        }
        out.push_str(&text[copied..]);
        Masked { text: out, regions }
    }

    /// Where a label starting at `offset` of the original starts in the
    /// masked text (at the marker, when it starts inside a secret).
    pub fn start(&self, offset: usize) -> usize {
        self.map(offset, |r| r.masked.0)
    }

    /// Where a label ending at `offset` of the original ends in the masked
    /// text (after the marker, when it ends inside a secret).
    pub fn end(&self, offset: usize) -> usize {
        self.map(offset, |r| {
            if offset == r.original.0 {
                r.masked.0
            } else {
                r.masked.1
            }
        })
    }

    fn map(&self, offset: usize, inside: impl Fn(&Region) -> usize) -> usize {
        let after = self.regions.partition_point(|r| r.original.0 <= offset);
        let Some(region) = after.checked_sub(1).map(|i| &self.regions[i]) else {
            return offset;
        };
        if offset >= region.original.1 {
            offset - region.original.1 + region.masked.1
        } else {
            inside(region)
        }
    }

    /// The offset in the original text of an offset in the masked one (the
    /// start of the secret, for an offset inside a marker).
    pub fn original(&self, masked: usize) -> usize {
        let after = self.regions.partition_point(|r| r.masked.0 <= masked);
        let Some(region) = after.checked_sub(1).map(|i| &self.regions[i]) else {
            return masked;
        };
        if masked >= region.masked.1 {
            masked - region.masked.1 + region.original.1
        } else {
            region.original.0
        }
    }
}

/// The parts of `range` to replace, one per line: line breaks are kept, and
/// so is the indentation of every line after the first; blank parts are
/// left alone.
fn line_segments(text: &str, range: std::ops::Range<usize>) -> Vec<(usize, usize)> {
    let end = range.end.min(text.len());
    let mut start = range.start.min(end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut segments = Vec::new();
    let mut first = true;
    let mut line_start = start;
    let slice = text.get(start..end).unwrap_or_default();
    for (i, c) in slice.char_indices().chain([(slice.len(), '\n')]) {
        if c != '\n' && c != '\r' {
            continue;
        }
        let line_end = start + i;
        let mut from = line_start;
        if !first {
            let line = &text[line_start..line_end];
            from += line.len() - line.trim_start_matches([' ', '\t']).len();
        }
        if from < line_end && !text[from..line_end].trim().is_empty() {
            segments.push((from, line_end));
        }
        first = false;
        line_start = line_end + 1;
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::span::FileId;

    fn masked(text: &str, ranges: &[(usize, usize)]) -> Masked {
        let spans: Vec<Span> = ranges
            .iter()
            .map(|&(s, e)| Span::new(FileId(0), s, e))
            .collect();
        Masked::new(text, &spans)
    }

    #[test]
    fn every_secret_becomes_the_same_marker() {
        let text = "a = \"short\"\nb = \"a much longer secret\"\n";
        let m = masked(text, &[(4, 11), (16, 39)]);
        assert_eq!(m.text, "a = ***\nb = ***\n");
    }

    #[test]
    fn multi_line_secrets_keep_lines_and_indentation() {
        let text = "k = <<EOT\n  sécret\n\n  line\nEOT\nnext\n";
        let start = text.find("<<").unwrap();
        let end = text.find("\nnext").unwrap();
        let m = masked(text, &[(start, end)]);
        assert_eq!(m.text, "k = ***\n  ***\n\n  ***\n***\nnext\n");
    }

    #[test]
    fn offsets_map_around_and_into_the_marker() {
        let text = "x = \"secret-value\", y = 1";
        let m = masked(text, &[(4, 18)]);
        assert_eq!(m.text, "x = ***, y = 1");
        let y = text.find('y').unwrap();
        assert_eq!(&m.text[m.start(y)..m.end(y + 1)], "y");
        // A label inside the secret points at the marker.
        assert_eq!((m.start(6), m.end(9)), (4, 7));
        // A label covering the secret covers the marker.
        assert_eq!((m.start(0), m.end(18)), (0, 7));
        assert_eq!(m.end(4), 4, "a label ending where the secret starts");
        assert_eq!(m.original(m.start(y)), y);
        assert_eq!(m.original(5), 4);
    }
}
