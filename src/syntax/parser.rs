//! pest pairs to the syntax tree. The grammar lives in `grammar/pool.pest`;
//! syntax errors are worded from `grammar/errors.pest`, the same language
//! with pest's implicit blanks (see [`wording`]).

use super::ast::*;
use super::span::{FileId, Span};
use crate::diagnostics::{Diagnostics, Found, Quoted, SyntaxProblem};
use crate::secrets::Secrets;
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/pool.pest"]
pub struct PoolParser;

/// The parser of `grammar/errors.pest`, run only on a piece of a file that
/// does not parse: where it stops, and what it tried there, say where the
/// error is and what was expected. It accepts exactly what [`PoolParser`]
/// accepts, with the same pairs ([`grammars_agree`]), but is slower.
pub mod wording {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/errors.pest"]
    pub struct ErrorParser;
}

use wording::ErrorParser;

/// How deeply values may nest (lists, objects, calls, interpolations). Real
/// Kubernetes objects nest about ten levels; the bound keeps every
/// recursive stage after the parser far from the end of its stack.
pub const MAX_NESTING: usize = 100;

/// Files at least this large are parsed on all cores.
const PARALLEL_BYTES: usize = 32 * 1024;

/// Parses one file, one top-level item at a time: the text is cut at the
/// lines that start an item (`pool `, `template `, `let `, `import ` at the
/// start of a line), each piece is parsed on its own, and its pest pairs
/// are dropped as soon as its syntax tree is built, so pest's token queue
/// never holds more than one item. An item that does not follow the
/// grammar is reported (one syntax diagnostic per item) and skipped, the
/// items around it are kept ([`File::skipped`] lists what was skipped);
/// unknown escapes are left in [`File::bad_escapes`] for the caller to
/// report. A large file's items are parsed on all cores. The result is
/// exactly [`parse_whole`]'s.
pub fn parse(text: &str, file: FileId, diagnostics: &mut Diagnostics) -> File {
    // Asking for the number of cores reads files: only for large texts.
    let threads = if text.len() >= PARALLEL_BYTES {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        1
    };
    let (parsed, found) = parse_items(text, file, threads);
    diagnostics.extend(found);
    parsed
}

/// The whole file parsed by pest at once, recovering at items when it does
/// not parse: what [`parse`] must give (the tests compare them).
pub fn parse_whole(text: &str, file: FileId, diagnostics: &mut Diagnostics) -> File {
    match PoolParser::parse(Rule::file, text) {
        Ok(mut pairs) => match pairs.next() {
            Some(root) => build(root, file, 0, diagnostics),
            None => File::default(),
        },
        Err(_) => recover(text, file, diagnostics),
    }
}

/// [`parse`] on `threads` threads: the items are shared among them in runs
/// of about the same size. A cut at a line that looks like an item but is
/// inside a value (a heredoc, a list) leaves a piece that does not parse on
/// its own; when any piece fails, the file is read again on one thread,
/// where [`recover`] joins such pieces with the next and reports the items
/// that are broken.
pub fn parse_items(text: &str, file: FileId, threads: usize) -> (File, Diagnostics) {
    let bounds = item_bounds(text);
    if threads > 1 && bounds.len() > 2 {
        let runs = runs_of_items(&bounds, text.len(), threads);
        let parsed: Vec<Option<(File, Diagnostics)>> = std::thread::scope(|scope| {
            let parsers: Vec<_> = runs
                .iter()
                .map(|run| scope.spawn(|| parse_run(text, &bounds[run.clone()], file)))
                .collect();
            parsers
                .into_iter()
                .map(|parser| {
                    parser
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        if let Some(parsed) = parsed.into_iter().collect::<Option<Vec<_>>>() {
            let mut whole = File::default();
            let mut found = Diagnostics::default();
            for (piece, piece_found) in parsed {
                whole.append(piece);
                found.extend(piece_found);
            }
            return (whole, found);
        }
    }
    let mut found = Diagnostics::default();
    let parsed = recover(text, file, &mut found);
    (parsed, found)
}

/// `threads` runs of consecutive pieces (as ranges of `bounds`, sharing
/// their end and start bound) of about the same number of bytes.
fn runs_of_items(bounds: &[usize], len: usize, threads: usize) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::with_capacity(threads);
    let mut start = 0;
    for k in 1..=threads {
        let target = k * len / threads;
        let end = if k == threads {
            bounds.len() - 1
        } else {
            bounds
                .partition_point(|&b| b < target)
                .min(bounds.len() - 1)
        };
        if end > start {
            runs.push(start..end + 1);
            start = end;
        }
    }
    runs
}

/// Parses the pieces between consecutive `bounds`, each on its own; `None`
/// when one does not parse.
fn parse_run(text: &str, bounds: &[usize], file: FileId) -> Option<(File, Diagnostics)> {
    let mut whole = File::default();
    let mut found = Diagnostics::default();
    for piece in bounds.windows(2) {
        let (start, end) = (piece[0], piece[1]);
        if !parse_piece(&text[start..end], file, start, &mut whole, &mut found) {
            return None;
        }
    }
    Some((whole, found))
}

/// The words that start a top-level item.
const ITEM_KEYWORDS: [&str; 4] = ["pool", "template", "let", "import"];

/// Whether a top-level item starts at `at`, the start of a line: an item
/// keyword followed by a space, a tab or a quote.
fn is_item_start(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    ITEM_KEYWORDS.iter().any(|k| {
        rest.strip_prefix(k)
            .is_some_and(|after| after.starts_with([' ', '\t', '"']))
    })
}

/// The first line at or after `from` that starts with an item keyword.
fn item_start_after(text: &str, from: usize) -> Option<usize> {
    memchr::memchr_iter(b'\n', text.get(from..)?.as_bytes())
        .map(|i| from + i + 1)
        .find(|&start| is_item_start(text, start))
}

/// Where the file may be cut between items: its start, every line that
/// starts with an item keyword, and its end.
pub(super) fn item_bounds(text: &str) -> Vec<usize> {
    let mut bounds = vec![0];
    let mut from = 0;
    while let Some(start) = item_start_after(text, from) {
        if start > 0 {
            bounds.push(start);
        }
        from = start;
    }
    if !text.is_empty() && bounds.last() != Some(&text.len()) {
        bounds.push(text.len());
    }
    bounds
}

/// A file read item by item on one thread: a piece of text between two
/// item starts that parses gives its items; one that does not is reported
/// and skipped. A piece that only runs out at its end (a heredoc
/// or a list with a line that looks like an item) is read together with
/// the next ones.
fn recover(text: &str, file: FileId, diagnostics: &mut Diagnostics) -> File {
    let bounds = item_bounds(text);
    let mut whole = File::default();
    let mut i = 0;
    while i + 1 < bounds.len() {
        i = recover_from(text, &bounds, i, file, &mut whole, diagnostics);
    }
    whole
}

/// Reads the items from `bounds[i]` on, up to where it can; returns the
/// index of the bound to go on from.
fn recover_from(
    text: &str,
    bounds: &[usize],
    i: usize,
    file: FileId,
    whole: &mut File,
    diagnostics: &mut Diagnostics,
) -> usize {
    let start = bounds[i];
    let mut j = i + 1;
    let at = loop {
        let piece = &text[start..bounds[j]];
        if parse_piece(piece, file, start, whole, diagnostics) {
            return j;
        }
        let at = start + error_offset(piece);
        let ran_out = text[at.min(bounds[j])..bounds[j]].trim().is_empty();
        if !ran_out || j + 1 == bounds.len() {
            break at;
        }
        j += 1;
    };
    // The error is in the piece from bound `m`; the pieces before it may
    // have been read together only because one of them ran out.
    let m = (i..j).rev().find(|&k| bounds[k] <= at).unwrap_or(i);
    for p in (i + 1..=m).rev() {
        if parse_piece(&text[start..bounds[p]], file, start, whole, diagnostics) {
            return p;
        }
    }
    // The broken item runs to the piece with the error (or is the first).
    let next = m.max(i + 1);
    let problem = match next_item(text, bounds[m], file).filter(|_| m > i) {
        // The error is where the next item starts: this one is not closed.
        Some((keyword, span)) if at <= span.end as usize + 1 => SyntaxProblem::UnclosedItem {
            span,
            keyword,
            opened: next_item(text, start, file).map_or(span, |(_, opened)| opened),
        },
        _ => syntax_error(&text[start..bounds[j]], file, start),
    };
    diagnostics.push(problem);
    whole
        .skipped
        .push(skipped(&text[start..bounds[next]], file, start));
    next
}

/// Parses a piece that starts at `base` into `whole`; whether it parsed.
pub(super) fn parse_piece(
    piece: &str,
    file: FileId,
    base: usize,
    whole: &mut File,
    diagnostics: &mut Diagnostics,
) -> bool {
    match PoolParser::parse(Rule::file, piece) {
        Ok(mut pairs) => {
            if let Some(root) = pairs.next() {
                whole.append(build(root, file, base, diagnostics));
            }
            true
        }
        Err(_) => false,
    }
}

/// Whether the two grammars agree on `text`: both reject it, or both
/// accept it with the same pairs (rule names and spans). The tests hold
/// every .pool file of the repository and thousands of mutations to it.
pub fn grammars_agree(text: &str) -> bool {
    type Parsed<'i, R> = Result<Pairs<'i, R>, pest::error::Error<R>>;
    fn flat<R: pest::RuleType>(parsed: Parsed<'_, R>) -> Option<Vec<(String, usize, usize)>> {
        let pairs = parsed.ok()?.flatten();
        Some(
            pairs
                .map(|p| {
                    (
                        format!("{:?}", p.as_rule()),
                        p.as_span().start(),
                        p.as_span().end(),
                    )
                })
                .collect(),
        )
    }
    flat(PoolParser::parse(Rule::file, text)) == flat(ErrorParser::parse(wording::Rule::file, text))
}

/// The keyword of the first item at or after `at` (skipping blank lines
/// and comments), and its span.
fn next_item(text: &str, at: usize, file: FileId) -> Option<(&'static str, Span)> {
    let mut line_start = at;
    for line in text[at..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if !(trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//")) {
            let keyword = ITEM_KEYWORDS
                .into_iter()
                .find(|k| is_item_start(text, line_start + indent) && trimmed.starts_with(k))?;
            let start = line_start + indent;
            return Some((keyword, Span::new(file, start, start + keyword.len())));
        }
        line_start += line.len();
    }
    None
}

/// What a skipped item would have defined: its keyword and name.
fn skipped(text: &str, file: FileId, base: usize) -> Skipped {
    let head = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("//"))
        .unwrap_or_default();
    let keyword = ITEM_KEYWORDS.into_iter().find(|k| {
        head.strip_prefix(k)
            .is_some_and(|after| after.starts_with([' ', '\t', '"']))
    });
    let rest = keyword.map_or("", |k| head[k.len()..].trim_start());
    let name = match keyword {
        Some("let") => rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .next()
            .filter(|n| !n.is_empty())
            .map(String::from),
        Some("pool" | "template") => rest
            .strip_prefix('"')
            .and_then(|r| r.split_once('"'))
            .map(|(name, _)| name.to_string())
            .filter(|n| !n.contains(['\\', '$'])),
        _ => None,
    };
    let kind = match keyword {
        Some("let") => SkippedKind::Let,
        Some("import") => SkippedKind::Import,
        Some("pool") => SkippedKind::Pool,
        Some("template") => SkippedKind::Template,
        _ => SkippedKind::Unknown,
    };
    Skipped {
        kind,
        name,
        span: Span::new(
            file,
            base,
            base + text.trim_end().len().max(1).min(text.len()),
        ),
    }
}

/// The syntax tree of a parsed file (or piece of one, `base` bytes in).
/// An item nested too deeply is reported and skipped.
fn build(root: Pair<'_, Rule>, file: FileId, base: usize, diagnostics: &mut Diagnostics) -> File {
    // Walking every pair for comments costs as much as building the tree:
    // only where there may be one.
    let text = root.as_str();
    let may_comment = text.contains('#') || text.contains("//");
    let comments = match may_comment {
        false => Vec::new(),
        true => root
            .clone()
            .into_inner()
            .flatten()
            .filter(|p| p.as_rule() == Rule::COMMENT)
            .map(|p| Comment {
                text: p.as_str().to_string(),
                span: span_of(&p, file, base),
            })
            .collect(),
    };
    let mut parsed = File {
        comments,
        ..File::default()
    };
    for pair in inner(root).filter(|p| p.as_rule() != Rule::EOI) {
        let mut builder = Builder {
            file,
            base,
            diagnostics,
            depth: 0,
            too_deep: false,
            bad_escapes: Vec::new(),
        };
        let start = pair.as_span().start();
        let text = pair.as_str();
        let item = builder.item(pair);
        if builder.too_deep {
            parsed.skipped.push(skipped(text, file, base + start));
        } else {
            parsed.items.push(item);
            parsed.bad_escapes.extend(builder.bad_escapes);
        }
    }
    parsed
}

/// Where a text stops following the grammar: the furthest position the
/// parser reached (with pest's error detail, so only on the error path).
fn error_offset(text: &str) -> usize {
    pest::set_error_detail(true);
    let error = ErrorParser::parse(wording::Rule::file, text).err();
    pest::set_error_detail(false);
    let Some(error) = error else {
        return text.len();
    };
    let offset = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    error
        .parse_attempts()
        .map_or(offset, |attempts| offset.max(attempts.max_position))
        .min(text.len())
}

/// Re-parses with pest's error detail switched on (slower, so only on the
/// error path) to say which tokens would have been accepted. `text` is a
/// piece of the file, `base` bytes in.
fn syntax_error(text: &str, file: FileId, base: usize) -> SyntaxProblem {
    pest::set_error_detail(true);
    let error = ErrorParser::parse(wording::Rule::file, text).err();
    pest::set_error_detail(false);
    let Some(error) = error else {
        // Parsing is deterministic; a repeat cannot succeed. Say so plainly.
        return found_problem(text, file, base, 0, Vec::new());
    };
    let mut offset = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    if let Some(problem) = keyword_as_name(text, file, base, offset) {
        return problem;
    }
    // pest gives up, rather than overflow its stack, on very deep nesting.
    if nesting_at(text, offset) > MAX_NESTING {
        return SyntaxProblem::TooDeep {
            span: Span::new(file, base + offset, base + (offset + 1).min(text.len())),
            limit: MAX_NESTING,
        };
    }
    let mut expected: Vec<&'static str> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        expected.extend(positives.iter().filter_map(describe_rule));
    }
    if let Some(attempts) = error.parse_attempts() {
        offset = offset.max(attempts.max_position);
        for token in attempts.expected_tokens() {
            if let Some(d) = describe_token(&token.to_string()) {
                expected.push(d);
            }
        }
        for stack in attempts.call_stacks() {
            if let Some(d) = stack.deepest.get_rule().and_then(describe_rule) {
                expected.push(d);
            }
        }
    }
    found_problem(text, file, base, offset, expected)
}

/// Open brackets before `offset` (a rough count that ignores strings, good
/// enough to recognise a pathological nesting).
fn nesting_at(text: &str, offset: usize) -> usize {
    let mut depth: usize = 0;
    for c in text[..offset.min(text.len())].chars() {
        match c {
            '[' | '{' | '(' => depth += 1,
            ']' | '}' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

/// The words the grammar reserves (its `kw_*` rules).
pub const KEYWORDS: [&str; 7] = [
    "let", "import", "pool", "template", "extends", "true", "false",
];

/// `let template = ...`: a keyword where a name was expected.
fn keyword_as_name(text: &str, file: FileId, base: usize, offset: usize) -> Option<SyntaxProblem> {
    let rest = text.get(offset..)?;
    let word: &str = &rest[..rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len())];
    let preceded_by_let = text[..offset].trim_end().ends_with("let");
    let keyword = KEYWORDS.into_iter().find(|k| *k == word)?;
    (preceded_by_let && keyword != "true" && keyword != "false").then(|| {
        SyntaxProblem::KeywordAsName {
            span: Span::new(file, base + offset, base + offset + word.len()),
            keyword,
        }
    })
}

/// The problem at `offset` of a piece of the file, `base` bytes in. What
/// it quotes is withheld where the piece may hold a credential
/// ([`crate::secrets::lines`]: it does not parse, so lines are judged
/// without a syntax tree).
fn found_problem(
    text: &str,
    file: FileId,
    base: usize,
    offset: usize,
    mut expected: Vec<&'static str>,
) -> SyntaxProblem {
    expected.sort();
    expected.dedup();
    let offset = offset.min(text.len());
    // The piece's lines that look like credentials, placed in the file.
    let spans = crate::secrets::lines::spans(text, file).into_iter();
    let shift = |s: Span| Span::new(file, base + s.start as usize, base + s.end as usize);
    let secrets = Secrets::new(spans.map(shift).collect(), Vec::new());
    let at = Span::new(file, base + offset, base + offset);
    let (found, len) = describe_found(&text[offset..], at, &secrets);
    // A label at the very end of the file would not show; point at the
    // last character instead.
    let start = if offset == text.len() {
        offset.saturating_sub(1)
    } else {
        offset
    };
    let end = (offset + len).max(start + 1).min(text.len());
    let span = Span::new(file, base + start, base + end);
    let in_string = expected.contains(&"an escape");
    if in_string && len == 0 {
        return match unclosed_heredoc(text, file, base, offset) {
            Some((span, tag)) => SyntaxProblem::UnterminatedHeredoc {
                span,
                tag: Quoted::written(tag, span, &secrets),
            },
            None => SyntaxProblem::UnterminatedString { span },
        };
    }
    SyntaxProblem::Syntax {
        span,
        found,
        expected,
    }
}

/// The last `<<TAG` (or `<<-TAG`) before `offset` whose closing line never
/// comes: its span and tag.
fn unclosed_heredoc(
    text: &str,
    file: FileId,
    base: usize,
    offset: usize,
) -> Option<(Span, String)> {
    let before = &text[..offset.min(text.len())];
    let start = before.rfind("<<")?;
    let opening = &before[start..];
    let tag: String = opening[2..]
        .trim_start_matches('-')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let line_end = opening.find('\n')?;
    let closed = opening[line_end..].lines().any(|line| line.trim() == tag);
    let span = Span::new(file, base + start, base + start + line_end);
    (!tag.is_empty() && !closed).then_some((span, tag))
}

/// What the parser ran into (at `at`), for the message, and how many
/// bytes to underline.
fn describe_found(rest: &str, at: Span, secrets: &Secrets) -> (Found, usize) {
    let text = |t: String| {
        let span = Span {
            end: at.start + t.len() as u32,
            ..at
        };
        Found::Text(Quoted::written(t, span, secrets))
    };
    match rest.chars().next() {
        None => (Found::EndOfFile, 0),
        Some('\n') | Some('\r') => (Found::EndOfLine, 0),
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let len = word.len();
            (text(word), len)
        }
        Some(c) => (text(c.to_string()), c.len_utf8()),
    }
}

/// A rule of the wording grammar, as a diagnostic names what was expected.
fn describe_rule(rule: &wording::Rule) -> Option<&'static str> {
    use wording::Rule as W;
    Some(match rule {
        W::EOI => "the end of the file",
        W::ident => "a name",
        W::string => "a string",
        W::number => "a number",
        W::heredoc | W::list | W::object | W::call | W::bool => "a value",
        W::body => "`{`",
        W::extends => "`extends`",
        W::kw_let | W::kw_import | W::kw_pool | W::kw_template => {
            "`let`, `import`, `pool` or `template`"
        }
        W::escape | W::string_text | W::interpolation | W::literal_dollar => "an escape",
        _ => return None,
    })
}

fn describe_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "=" => "`=`",
        "{" => "`{`",
        "}" => "`}`",
        "[" => "`[`",
        "]" => "`]`",
        "(" => "`(`",
        ")" => "`)`",
        "," => "`,`",
        "\"" => "a string",
        "${" => "`${`",
        _ => return None,
    })
}

fn span_of(pair: &Pair<Rule>, file: FileId, base: usize) -> Span {
    let s = pair.as_span();
    Span::new(file, base + s.start(), base + s.end())
}

/// Children of a pair, without comments.
fn inner(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| p.as_rule() != Rule::COMMENT)
}

struct Builder<'d> {
    file: FileId,
    /// Where the text being built starts in the file.
    base: usize,
    diagnostics: &'d mut Diagnostics,
    /// How deeply the current expression nests.
    depth: usize,
    too_deep: bool,
    bad_escapes: Vec<Span>,
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        span_of(pair, self.file, self.base)
    }

    fn item(&mut self, pair: Pair<Rule>) -> Item {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut parts = inner(pair).skip(1); // the keyword
        match rule {
            Rule::let_item => {
                let name = self.ident(parts.next().expect("grammar: let name"));
                let value = self.expr(parts.next().expect("grammar: let value"));
                Item::Let(Let { name, value, span })
            }
            Rule::import_item => {
                let path = self.label(parts.next().expect("grammar: import path"));
                Item::Import(Import { path, span })
            }
            Rule::pool_item | Rule::template_item => {
                let name = self.label(parts.next().expect("grammar: definition name"));
                let mut extends = None;
                let mut body = None;
                for part in parts {
                    match part.as_rule() {
                        Rule::extends => {
                            let target = inner(part).nth(1).expect("grammar: extends target");
                            extends = Some(self.label(target));
                        }
                        _ => body = Some(self.body(part)),
                    }
                }
                let definition = Definition {
                    name,
                    extends,
                    body: body.expect("grammar: definition body"),
                    span,
                };
                if rule == Rule::pool_item {
                    Item::Pool(definition)
                } else {
                    Item::Template(definition)
                }
            }
            other => unreachable!("grammar: unexpected item {other:?}"),
        }
    }

    fn body(&mut self, pair: Pair<Rule>) -> Body {
        let span = self.span(&pair);
        let entries = inner(pair)
            .map(|p| match p.as_rule() {
                Rule::attribute => Entry::Attribute(self.attribute(p)),
                _ => Entry::Block(self.block(p)),
            })
            .collect();
        Body {
            entries: fitted(entries),
            span,
        }
    }

    fn attribute(&mut self, pair: Pair<Rule>) -> Attribute {
        let span = self.span(&pair);
        let mut parts = inner(pair);
        let key = self.key(parts.next().expect("grammar: attribute key"));
        let value = self.expr(parts.next().expect("grammar: attribute value"));
        Attribute { key, value, span }
    }

    fn block(&mut self, pair: Pair<Rule>) -> Block {
        let span = self.span(&pair);
        let mut parts = inner(pair);
        let kind = self.key(parts.next().expect("grammar: block kind"));
        let mut labels = Vec::new();
        let mut body = None;
        for part in parts {
            match part.as_rule() {
                Rule::body => body = Some(self.body(part)),
                _ => labels.push(self.label(part)),
            }
        }
        Block {
            kind,
            labels: fitted(labels),
            body,
            span,
        }
    }

    fn key(&mut self, pair: Pair<Rule>) -> Key {
        let label = self.label(pair);
        Key {
            name: label.value,
            span: label.span,
            quoted: label.quoted,
        }
    }

    /// A name written bare or as a string without interpolation.
    fn label(&mut self, pair: Pair<Rule>) -> Label {
        let span = self.span(&pair);
        if pair.as_rule() == Rule::ident {
            return Label {
                value: pair.as_str().to_string(),
                span,
                quoted: false,
            };
        }
        let mut value = String::new();
        for part in self.string_parts(pair) {
            match part {
                StrPart::Text(text, _) => value.push_str(&text),
                StrPart::Interpolation(expr) => {
                    self.diagnostics
                        .push(SyntaxProblem::InterpolationNotAllowed { span: expr.span });
                }
            }
        }
        Label {
            value,
            span,
            quoted: true,
        }
    }

    fn ident(&mut self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn exprs(&mut self, pair: Pair<Rule>) -> Vec<Expr> {
        fitted(inner(pair).map(|p| self.expr(p)).collect())
    }

    fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        if self.depth >= MAX_NESTING {
            if !self.too_deep {
                self.diagnostics.push(SyntaxProblem::TooDeep {
                    span,
                    limit: MAX_NESTING,
                });
            }
            self.too_deep = true;
            return Expr {
                kind: ExprKind::Bool(false),
                span,
            };
        }
        self.depth += 1;
        let expr = self.expr_within_limit(pair, span);
        self.depth -= 1;
        expr
    }

    fn expr_within_limit(&mut self, pair: Pair<Rule>, span: Span) -> Expr {
        let kind = match pair.as_rule() {
            Rule::string => ExprKind::Str(self.string_parts(pair)),
            Rule::heredoc => ExprKind::Str(self.heredoc(pair)),
            Rule::number => ExprKind::Number(pair.as_str().to_string()),
            Rule::bool => ExprKind::Bool(pair.as_str() == "true"),
            Rule::list => ExprKind::List(self.exprs(pair)),
            Rule::object => {
                ExprKind::Object(fitted(inner(pair).map(|p| self.attribute(p)).collect()))
            }
            Rule::call => {
                let mut parts = inner(pair);
                let function = self.ident(parts.next().expect("grammar: function name"));
                let args = fitted(parts.map(|p| self.expr(p)).collect());
                ExprKind::Call(Box::new(Call { function, args }))
            }
            Rule::ident => ExprKind::Ref(self.ident(pair)),
            other => unreachable!("grammar: unexpected expression {other:?}"),
        };
        Expr { kind, span }
    }

    /// The parts of a quoted string, escapes decoded, adjacent text merged.
    fn string_parts(&mut self, pair: Pair<Rule>) -> Vec<StrPart> {
        let mut parts = Vec::with_capacity(1);
        for part in inner(pair) {
            self.string_part(part, &mut parts);
        }
        fitted(parts)
    }

    fn string_part(&mut self, pair: Pair<Rule>, parts: &mut Vec<StrPart>) {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::interpolation => {
                let expr = inner(pair)
                    .next()
                    .expect("grammar: interpolated expression");
                parts.push(StrPart::Interpolation(self.expr(expr)));
            }
            Rule::literal_dollar => push_text(parts, "${", span),
            Rule::escape => match decode_escape(pair.as_str()) {
                Ok(c) => push_text(parts, c.encode_utf8(&mut [0; 4]), span),
                Err(()) => self.bad_escapes.push(span),
            },
            _ => push_text(parts, pair.as_str(), span),
        }
    }

    /// A heredoc's lines, each ending in a newline; `<<-` strips the
    /// smallest indentation of the non-blank lines.
    fn heredoc(&mut self, pair: Pair<Rule>) -> Vec<StrPart> {
        let mut strip = false;
        let mut lines: Vec<Vec<StrPart>> = Vec::new();
        for part in inner(pair) {
            match part.as_rule() {
                Rule::heredoc_strip => strip = true,
                Rule::heredoc_line => {
                    let end = part.as_span().end();
                    let mut line = Vec::new();
                    for piece in inner(part) {
                        self.string_part(piece, &mut line);
                    }
                    let end = self.base + end;
                    push_text(&mut line, "\n", Span::new(self.file, end - 1, end));
                    lines.push(line);
                }
                _ => {}
            }
        }
        if strip {
            strip_indent(&mut lines);
        }
        let mut parts = Vec::new();
        for line in lines {
            for part in line {
                match part {
                    StrPart::Text(text, span) => push_text(&mut parts, &text, span),
                    other => parts.push(other),
                }
            }
        }
        fitted(parts)
    }
}

/// A list of the tree without spare room: a tree lives until its pools are
/// checked, and a list grown by doubling is up to half empty (a one-part
/// string had room for four): fitting them took the peak of checking
/// 10,000 spelled-out pools from 491 MiB to 347 MiB.
fn fitted<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

fn push_text(parts: &mut Vec<StrPart>, text: &str, span: Span) {
    if let Some(StrPart::Text(previous, previous_span)) = parts.last_mut() {
        previous.push_str(text);
        *previous_span = previous_span.to(span);
    } else {
        parts.push(StrPart::Text(text.to_string(), span));
    }
}

fn decode_escape(escape: &str) -> Result<char, ()> {
    let rest = &escape[1..];
    match rest {
        "n" => Ok('\n'),
        "r" => Ok('\r'),
        "t" => Ok('\t'),
        "\"" => Ok('"'),
        "\\" => Ok('\\'),
        _ if (rest.len() == 5 || rest.len() == 9)
            && (rest.starts_with('u') || rest.starts_with('U')) =>
        {
            u32::from_str_radix(&rest[1..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or(())
        }
        _ => Err(()),
    }
}

fn leading_blanks(line: &[StrPart]) -> Option<usize> {
    match line.first() {
        Some(StrPart::Text(text, _)) => {
            let blanks = text.len() - text.trim_start_matches([' ', '\t']).len();
            let rest = &text[blanks..];
            // A blank line does not count towards the common indentation.
            if (rest.is_empty() || rest == "\n") && line.len() == 1 {
                None
            } else {
                Some(blanks)
            }
        }
        _ => Some(0),
    }
}

fn strip_indent(lines: &mut [Vec<StrPart>]) {
    let indent = lines
        .iter()
        .filter_map(|l| leading_blanks(l))
        .min()
        .unwrap_or(0);
    for line in lines {
        if let Some(StrPart::Text(text, _)) = line.first_mut() {
            let blanks = text.len() - text.trim_start_matches([' ', '\t']).len();
            text.drain(..blanks.min(indent));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn parse_ok(src: &str) -> File {
        let mut d = Diagnostics::default();
        let file = parse(src, FileId(0), &mut d);
        assert!(d.is_empty(), "{:?}", d);
        file
    }

    fn only_attribute_value(src: &str) -> ExprKind {
        let file = parse_ok(&format!("let x = {src}\n"));
        match &file.items[0] {
            Item::Let(l) => l.value.kind.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn text_of(kind: ExprKind) -> String {
        match kind {
            ExprKind::Str(parts) => parts
                .iter()
                .map(|p| match p {
                    StrPart::Text(t, _) => t.clone(),
                    StrPart::Interpolation(_) => "<interp>".into(),
                })
                .collect(),
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(
            text_of(only_attribute_value(r#""a\n\t\"\\\u00e9$${x}""#)),
            "a\n\t\"\\é${x}"
        );
    }

    #[test]
    fn interpolation_splits_parts() {
        assert_eq!(
            text_of(only_attribute_value(r#""${r}/launcher:latest""#)),
            "<interp>/launcher:latest"
        );
    }

    #[test]
    fn unknown_escape_is_kept_once_and_parse_continues() {
        let mut d = Diagnostics::default();
        let file = parse("let x = \"a\\qb\"\n", FileId(0), &mut d);
        assert_eq!(file.items.len(), 1);
        assert!(d.is_empty());
        assert_eq!(file.bad_escapes, [Span::new(FileId(0), 10, 12)]);
    }

    #[test]
    fn indented_heredoc_strips_common_indent() {
        let src = "let x = <<-EOT\n    one\n      two\n\n    three\n    EOT\n";
        assert_eq!(
            text_of(only_attribute_value(&src[8..])),
            "one\n  two\n\nthree\n"
        );
    }

    #[test]
    fn plain_heredoc_keeps_text() {
        let src = "<<EOT\n  a ${b}\nEOT";
        assert_eq!(text_of(only_attribute_value(src)), "  a <interp>\n");
    }

    #[test]
    fn blocks_labels_and_bodies() {
        let file = parse_ok(
            "pool \"prod\" extends \"base\" {\n  replicas = 4\n  storage claim { class = \"gp2\", \
            size = 100Gi }\n  credentials external \"s\"\n}\n",
        );
        let Item::Pool(pool) = &file.items[0] else {
            panic!()
        };
        assert_eq!(pool.name.value, "prod");
        assert_eq!(pool.extends.as_ref().unwrap().value, "base");
        assert_eq!(pool.body.entries.len(), 3);
        let Entry::Block(storage) = &pool.body.entries[1] else {
            panic!()
        };
        assert_eq!(storage.labels[0].value, "claim");
        assert_eq!(storage.body.as_ref().unwrap().entries.len(), 2);
        let Entry::Block(credentials) = &pool.body.entries[2] else {
            panic!()
        };
        assert!(credentials.body.is_none());
        assert_eq!(credentials.labels.len(), 2);
    }

    #[test]
    fn deep_nesting_is_refused_before_it_can_overflow_anything() {
        let fits = format!(
            "let x = {}{}\n",
            "[".repeat(MAX_NESTING),
            "]".repeat(MAX_NESTING)
        );
        assert_eq!(
            parse(&fits, FileId(0), &mut Diagnostics::default())
                .items
                .len(),
            1
        );
        for depth in [MAX_NESTING + 1, 5_000, 100_000] {
            let mut d = Diagnostics::default();
            let deep = format!("let x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
            let parsed = parse(&deep, FileId(0), &mut d);
            assert!(parsed.items.is_empty() && parsed.skipped.len() == 1);
            assert_eq!(d.into_sorted()[0].code, Code::TooDeep, "depth {depth}");
        }
    }

    /// Item by item, on any number of threads, the tree is exactly what
    /// the whole file parses to (spans too), and so are the diagnostics.
    fn same_by_items(src: &str) {
        let mut whole_found = Diagnostics::default();
        let whole = parse_whole(src, FileId(0), &mut whole_found);
        let whole_found = whole_found.into_sorted();
        for threads in 1..5 {
            let (parsed, found) = parse_items(src, FileId(0), threads);
            assert_eq!(
                format!("{parsed:?}"),
                format!("{whole:?}"),
                "{threads} threads"
            );
            assert_eq!(found.into_sorted(), whole_found, "{threads} threads");
        }
    }

    #[test]
    fn a_file_parses_the_same_item_by_item() {
        let src = "# one\nlet a = 1\n\npool \"a\" {\n  replicas = a # two\n}\n\ntemplate \"t\" \
            {\n  \
            labels = { x = \"\\q\" }\n}\n\nimport \"x.pool\"\n";
        same_by_items(src);
        same_by_items("");
        same_by_items("# only a comment");
        same_by_items("pool \"a\" {\n  replicas 4\n}\n\npool \"b\" {\n}\n");
    }

    #[test]
    fn a_line_that_looks_like_an_item_inside_a_value_joins_the_pieces() {
        let heredoc = "let a = <<EOT\nlet b = 1\nEOT\npool \"p\" {\n}\n";
        same_by_items(heredoc);
        let list = "let a = [\n  1,\n]\nlet b = [\nlet c = 1\n]\n";
        same_by_items(list);
    }

    #[test]
    fn comments_are_collected() {
        let file = parse_ok("# one\npool \"a\" { // two\n  replicas = 1 # three\n}\n");
        let texts: Vec<_> = file.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["# one", "// two", "# three"]);
    }

    #[test]
    fn keyword_prefix_is_an_identifier() {
        let file = parse_ok("let letter = pooling\n");
        let Item::Let(l) = &file.items[0] else {
            panic!()
        };
        assert_eq!(l.name.name, "letter");
    }

    #[test]
    fn syntax_error_points_at_the_problem() {
        let mut d = Diagnostics::default();
        assert!(
            parse("pool \"a\" {\n  replicas 4\n}\n", FileId(0), &mut d)
                .items
                .is_empty()
        );
        let all = d.into_sorted();
        assert_eq!(all[0].code, Code::Syntax);
        assert_eq!(all[0].primary.span.start, 22);
        assert_eq!(all[0].message, "unexpected `4`");
        assert!(
            all[0].primary.text.contains("`=`"),
            "{}",
            all[0].primary.text
        );
    }

    #[test]
    fn unterminated_string_has_its_own_problem() {
        let mut d = Diagnostics::default();
        parse("let x = \"abc\nlet y = 1\n", FileId(0), &mut d);
        assert_eq!(d.into_sorted()[0].code, Code::UnterminatedString);
    }

    #[test]
    fn unclosed_heredoc_names_its_tag() {
        let mut d = Diagnostics::default();
        let src = "let x = <<-SCRIPT\n  echo hi\n  EOF\n";
        parse(src, FileId(0), &mut d);
        let all = d.into_sorted();
        assert_eq!(all[0].code, Code::UnterminatedHeredoc);
        assert_eq!(all[0].primary.span.start as usize, src.find("<<").unwrap());
        assert!(all[0].message.contains("SCRIPT"), "{}", all[0].message);
    }

    #[test]
    fn end_of_file_is_pointed_at() {
        let mut d = Diagnostics::default();
        let src = "pool \"a\" {\n  replicas = 4\n";
        parse(src, FileId(0), &mut d);
        let all = d.into_sorted();
        assert_eq!(all[0].message, "unexpected end of file");
        assert_eq!(all[0].primary.span.end as usize, src.len());
        assert!(
            all[0].primary.text.contains("`}`"),
            "{}",
            all[0].primary.text
        );
    }

    fn recovered(src: &str) -> (File, Vec<crate::diagnostics::Diagnostic>) {
        let mut d = Diagnostics::default();
        let file = parse_whole(src, FileId(0), &mut d);
        (file, d.into_sorted())
    }

    #[test]
    fn each_broken_item_is_one_error_and_the_others_are_kept() {
        let src = "pool \"a\" {\n  replicas 4\n}\n\npool \"b\" {\n  replicas = 1\n}\n\n\
            pool \"c\" {\n  workload = = statefulset\n}\n\ntemplate \"t\" {\n  x = [\n}\n\n\
            let ok = 1\n";
        let (file, found) = recovered(src);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found.iter().all(|d| d.code == Code::Syntax));
        let names: Vec<_> = file.skipped.iter().map(|s| s.name.as_deref()).collect();
        assert_eq!(names, [Some("a"), Some("c"), Some("t")]);
        assert_eq!(file.skipped[2].kind, SkippedKind::Template);
        assert_eq!(file.items.len(), 2, "pool b and let ok");
        assert_eq!(found[0].primary.span.start as usize, src.find('4').unwrap());
    }

    #[test]
    fn an_unclosed_item_ends_at_the_next_item() {
        let src = "pool \"a\" {\n  replicas = 1\n\nlet b = 2\n";
        let (file, found) = recovered(src);
        assert_eq!(found.len(), 1, "{found:#?}");
        let next_item = src.find("let").unwrap();
        assert!((next_item..next_item + 4).contains(&(found[0].primary.span.start as usize)));
        assert_eq!(file.skipped[0].name.as_deref(), Some("a"));
        assert!(matches!(&file.items[..], [Item::Let(l)] if l.name.name == "b"));
    }

    #[test]
    fn a_line_that_looks_like_an_item_inside_a_value_is_not_a_cut() {
        let src = "let a = <<EOT\nlet b = 1\nEOT\nlet c = [\n  1,\n\nlet d = 1\n";
        let (file, found) = recovered(src);
        assert_eq!(found.len(), 1, "{found:#?}");
        let names: Vec<_> = file
            .items
            .iter()
            .map(|i| match i {
                Item::Let(l) => l.name.name.as_str(),
                _ => "?",
            })
            .collect();
        assert_eq!(names, ["a", "d"]);
        assert_eq!(file.skipped[0].name.as_deref(), Some("c"));
    }
}
