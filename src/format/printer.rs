//! The output side of the formatter: lines, indentation, blank lines and
//! comments. Line breaks are owed rather than written, so a comment that
//! trailed a construct in the source can still join the line that
//! construct ends, and blank lines are decided when the next line starts.

use crate::syntax::ast::Comment;

/// One level of indentation.
const INDENT: &str = "  ";

pub struct Printer<'s> {
    source: &'s str,
    comments: &'s [Comment],
    /// The first comment not yet written.
    next_comment: usize,
    out: String,
    indent: usize,
    /// The next text starts a new line.
    line_owed: bool,
    /// The next new line is preceded by a blank one.
    blank_owed: bool,
    /// Nothing written since a bracket opened: blank lines of the source
    /// are not kept here.
    at_open: bool,
    /// The last text written was a heredoc, whose closing tag must end
    /// its line.
    after_heredoc: bool,
    /// End (in the source) of the last construct or comment written.
    last_end: usize,
}

impl<'s> Printer<'s> {
    pub fn new(source: &'s str, comments: &'s [Comment]) -> Printer<'s> {
        Printer {
            source,
            comments,
            next_comment: 0,
            out: String::with_capacity(source.len() + source.len() / 8),
            indent: 0,
            line_owed: false,
            blank_owed: false,
            at_open: true,
            after_heredoc: false,
            last_end: 0,
        }
    }

    /// Writes text on the current line (starting the owed line first).
    pub fn write(&mut self, text: &str) {
        if self.after_heredoc {
            self.line_owed = true;
            self.after_heredoc = false;
        }
        if self.line_owed && !self.out.is_empty() {
            self.out.push('\n');
            if self.blank_owed {
                self.out.push('\n');
            }
            for _ in 0..self.indent {
                self.out.push_str(INDENT);
            }
        }
        self.line_owed = false;
        self.blank_owed = false;
        self.out.push_str(text);
    }

    /// A heredoc, exactly as written (its lines keep their own indentation).
    pub fn heredoc(&mut self, text: &str) {
        self.write(text);
        self.after_heredoc = true;
    }

    /// Before a construct that starts a line at `start` in the source: the
    /// comments before it, then a line break, and a blank line if the
    /// source had one there.
    pub fn begin_line(&mut self, start: usize) {
        self.flush_comments(start);
        self.break_line(start);
    }

    /// Records where the construct just written ends in the source.
    pub fn mark_end(&mut self, end: usize) {
        self.last_end = self.last_end.max(end);
    }

    /// The next line is preceded by a blank line, whatever the source had.
    pub fn force_blank(&mut self) {
        self.blank_owed = true;
    }

    /// After an opening bracket: what follows is indented one more level.
    pub fn open(&mut self) {
        self.indent += 1;
        self.line_owed = true;
        self.at_open = true;
    }

    /// The closing bracket at `at` in the source, on its own line, after
    /// the comments that precede it.
    pub fn close(&mut self, at: usize, closer: &str) {
        self.flush_comments(at);
        self.indent = self.indent.saturating_sub(1);
        self.line_owed = true;
        self.blank_owed = false;
        self.at_open = false;
        self.write(closer);
        self.mark_end(at + closer.len());
    }

    /// The column where text written now would start.
    pub fn column(&self) -> usize {
        if self.line_owed || self.after_heredoc {
            return self.indent * INDENT.len();
        }
        let line = self.out.rsplit('\n').next().unwrap_or("");
        line.chars().count()
    }

    /// The column of the first text of a line at the current indentation.
    pub fn indent_width(&self) -> usize {
        self.indent * INDENT.len()
    }

    /// Whether a comment starts in the source between `from` and `to`.
    pub fn comment_between(&self, from: usize, to: usize) -> bool {
        let first = self
            .comments
            .partition_point(|c| (c.span.start as usize) < from);
        self.comments
            .get(first)
            .is_some_and(|c| (c.span.start as usize) < to)
    }

    /// The text, the remaining comments, and a final newline.
    pub fn finish(mut self) -> String {
        self.flush_comments(usize::MAX);
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }

    fn break_line(&mut self, start: usize) {
        let gap = self
            .source
            .get(self.last_end.min(start)..start)
            .unwrap_or("");
        // The lines wholly between the two constructs; one of them empty.
        let blank = gap
            .split('\n')
            .skip(1)
            .take(gap.matches('\n').count().saturating_sub(1))
            .any(|line| line.trim().is_empty());
        if !self.at_open && blank {
            self.blank_owed = true;
        }
        self.line_owed = true;
        self.at_open = false;
    }

    /// Writes every comment that starts before `before`. A comment that
    /// followed code on its line in the source ends the current line; any
    /// other gets a line of its own at the current indentation.
    fn flush_comments(&mut self, before: usize) {
        while let Some(comment) = self
            .comments
            .get(self.next_comment)
            .filter(|c| (c.span.start as usize) < before)
        {
            self.next_comment += 1;
            let start = comment.span.start as usize;
            let text = comment.text.trim_end();
            if self.trails_code(start) && !self.out.is_empty() && !self.after_heredoc {
                self.out.push(' ');
                self.out.push_str(text);
                self.line_owed = true;
            } else {
                self.break_line(start);
                self.write(text);
                self.line_owed = true;
            }
            self.mark_end(comment.span.end as usize);
        }
    }

    /// Whether code precedes `offset` on its line in the source.
    fn trails_code(&self, offset: usize) -> bool {
        let before = &self.source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        !before[line_start..].trim().is_empty()
    }
}
