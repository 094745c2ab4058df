//! The part of a file a report shows. miette reads a snippet by scanning
//! its source from the start, and draws a label by padding to its column
//! with a formatting width, which Rust caps at 65,535 (past it, miette
//! panics). So a report is drawn from a [`Snippet`] of its file (its
//! secrets masked): only the lines it shows (the line before the first
//! label to the line after the last), which keeps reporting linear in the
//! size of the file however many diagnostics there are, and in which a
//! line longer than [`LONG_LINE`] bytes keeps only windows around the
//! label ends on it, the rest elided with `…`. Line numbers are those of
//! the file, and the `[file:line:column]` header gives the column in the
//! original file (a marker before it on the line is not as long as the
//! secret it stands for).

use crate::secrets::mask::Masked;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::ops::Range;
use std::sync::Arc;

/// Lines longer than this (in bytes) are shown as windows.
pub const LONG_LINE: usize = 300;
/// Bytes kept on each side of a label's start and end.
const CONTEXT: usize = 40;
const ELISION: &str = "…";

/// A file as reports show it, its secrets masked, with the start of each
/// of its lines.
#[derive(Debug)]
pub struct Shown {
    name: String,
    masked: Masked,
    original: Arc<str>,
    line_starts: Vec<usize>,
}

impl Shown {
    pub fn new(name: String, masked: Masked, original: Arc<str>) -> Shown {
        let line_starts = std::iter::once(0)
            .chain(masked.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Shown {
            name,
            masked,
            original,
            line_starts,
        }
    }

    pub fn masked(&self) -> &Masked {
        &self.masked
    }

    fn text(&self) -> &str {
        &self.masked.text
    }

    /// The column (in bytes, from 0) in the original file of an offset of
    /// the masked text.
    fn original_column(&self, masked: usize) -> usize {
        let at = self.masked.original(masked).min(self.original.len());
        at - self.original[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The line (from 0) holding byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= at) - 1
    }

    fn line_start(&self, line: usize) -> usize {
        self.line_starts[line]
    }

    /// The end of a line, after its line break.
    fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text().len())
    }
}

/// The lines of a file one report shows.
#[derive(Debug)]
pub struct Snippet {
    file: Arc<Shown>,
    text: String,
    /// The file's line number (from 0) of the snippet's first line.
    first_line: usize,
    /// Runs of the (masked) file copied into `text`, in order.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Where the run starts in the file and in the snippet.
    file: usize,
    snippet: usize,
    len: usize,
}

/// The snippet to draw labels at `ranges` (byte ranges of the masked
/// `file`) from, and the ranges in it.
pub fn snippet(file: &Arc<Shown>, ranges: Vec<Range<usize>>) -> (Snippet, Vec<Range<usize>>) {
    let clamp = |at: usize| floor_char_boundary(file.text(), at.min(file.text().len()));
    let first = ranges.iter().map(|r| clamp(r.start)).min().unwrap_or(0);
    let last = ranges.iter().map(|r| clamp(r.end)).max().unwrap_or(0);
    let first_line = file.line_of(first).saturating_sub(1);
    let last_line = (file.line_of(last) + 1).min(file.line_starts.len() - 1);
    let mut snippet = Snippet {
        file: file.clone(),
        text: String::new(),
        first_line,
        pieces: Vec::new(),
    };
    let ends: Vec<usize> = ranges
        .iter()
        .flat_map(|r| [clamp(r.start), clamp(r.end)])
        .collect();
    for line in first_line..=last_line {
        snippet.add_line(file, line, &ends);
    }
    let mapped = ranges
        .iter()
        .map(|r| snippet.to_snippet(clamp(r.start))..snippet.to_snippet(clamp(r.end)))
        .collect();
    (snippet, mapped)
}

impl Snippet {
    fn add_line(&mut self, file: &Shown, line: usize, ends: &[usize]) {
        let (start, end) = (file.line_start(line), file.line_end(line));
        let text = file.text();
        let content_end = start + text[start..end].trim_end_matches(['\n', '\r']).len();
        if content_end - start <= LONG_LINE {
            self.copy(text, start..end);
            return;
        }
        let mut shown = start;
        for window in windows(text, start..content_end, ends) {
            if window.start > shown {
                self.text.push_str(ELISION);
            }
            self.copy(text, window.clone());
            shown = window.end;
        }
        if shown < content_end {
            self.text.push_str(ELISION);
        }
        self.copy(text, content_end..end);
    }

    fn copy(&mut self, text: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            file: range.start,
            snippet: self.text.len(),
            len: range.len(),
        });
        self.text.push_str(&text[range]);
    }

    /// Where an offset of the file (a label's start or end) is in the
    /// snippet.
    fn to_snippet(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.file + p.len < at);
        self.pieces
            .get(index)
            .filter(|p| p.file <= at)
            .map_or(self.text.len(), |p| p.snippet + (at - p.file))
    }

    /// Where an offset of the snippet is in the file.
    fn to_file(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.snippet + p.len <= at);
        match self.pieces.get(index) {
            Some(p) if p.snippet <= at => p.file + (at - p.snippet),
            Some(p) => p.file,
            None => self.pieces.last().map_or(0, |p| p.file + p.len),
        }
    }
}

/// The parts of a long line to show: a window around each label end on
/// it (or its beginning, when none is), merged where they overlap.
fn windows(text: &str, content: Range<usize>, ends: &[usize]) -> Vec<Range<usize>> {
    let mut around: Vec<usize> = ends
        .iter()
        .copied()
        .filter(|&at| content.start <= at && at <= content.end)
        .collect();
    if around.is_empty() {
        around.push(content.start);
    }
    around.sort_unstable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for at in around {
        let start = floor_char_boundary(text, at.saturating_sub(CONTEXT).max(content.start));
        let end = ceil_char_boundary(text, (at + CONTEXT).min(content.end));
        match windows.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.text.as_str().read_span(span, before, after)?;
        // miette gives a column only for a span read without context.
        let column = if before == 0 {
            self.file.original_column(self.to_file(span.offset()))
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.name.clone(),
            contents.data(),
            *contents.span(),
            self.first_line + contents.line(),
            column,
            // miette counts the lines from the start of the source to the
            // end of the span (and merges snippets by it): so do we.
            self.first_line + contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The snippet for labels at `(start, end)` byte ranges.
    fn snippet_of(text: &str, labels: &[(usize, usize)]) -> (Snippet, Vec<Range<usize>>) {
        let ranges = labels.iter().map(|&(start, end)| start..end).collect();
        let shown = Shown::new("site.pool".into(), Masked::new(text, &[]), text.into());
        snippet(&Arc::new(shown), ranges)
    }

    #[test]
    fn a_snippet_holds_the_labelled_lines_and_one_either_side() {
        let text = "one\ntwo\nthree\nfour\nfive\n";
        let at = text.find("three").unwrap();
        let (snippet, ranges) = snippet_of(text, &[(at, at + 5)]);
        assert_eq!(snippet.text, "two\nthree\nfour\n");
        assert_eq!(&snippet.text[ranges[0].clone()], "three");
        let contents = snippet.read_span(&ranges[0].clone().into(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (2, 0));
    }

    #[test]
    fn a_long_line_keeps_windows_around_its_labels() {
        let line = format!("x = [{}y]", " ".repeat(70_000));
        let text = format!("first\nsecond\n{line}\nlast\n");
        let y = text.find('y').unwrap();
        let (snippet, ranges) = snippet_of(&text, &[(y, y + 1)]);
        assert_eq!(&snippet.text[ranges[0].clone()], "y");
        let lines: Vec<&str> = snippet.text.lines().collect();
        assert_eq!(lines.len(), 3, "{:?}", snippet.text);
        assert_eq!(lines[0], "second");
        assert!(lines[1].starts_with(ELISION) && lines[1].ends_with("y]"));
        assert!(lines[1].len() < 2 * CONTEXT + 10);
        assert_eq!(lines[2], "last");
        let contents = snippet.read_span(&ranges[0].clone().into(), 0, 0).unwrap();
        assert_eq!(contents.line(), 2);
        assert_eq!(
            contents.column(),
            line.find('y').unwrap(),
            "the file's column"
        );
    }

    #[test]
    fn labels_far_apart_on_one_line_each_get_a_window() {
        let text = format!("a{}b{}é c\n", "-".repeat(500), "=".repeat(500));
        let (a, b) = (0, text.find('b').unwrap());
        let c = text.find('c').unwrap();
        let (snippet, ranges) = snippet_of(&text, &[(a, a + 1), (b, b + 1), (c, c + 1)]);
        let shown: Vec<&str> = ranges.iter().map(|r| &snippet.text[r.clone()]).collect();
        assert_eq!(shown, ["a", "b", "c"]);
        assert_eq!(snippet.text.matches(ELISION).count(), 2, "{}", snippet.text);
    }

    #[test]
    fn spans_past_the_end_are_clamped() {
        let (snippet, ranges) = snippet_of("a = 1", &[(3, 99)]);
        assert_eq!(&snippet.text[ranges[0].clone()], " 1");
    }
}
