//! Syntax trees of top-level items kept from one parse of a file to the
//! next, for a front-end that checks the same files again and again (the
//! watcher): an item whose text has not changed is not parsed again, its
//! tree is moved to where the item is now. Parsing is half of a rebuild of
//! a large site, and a save changes one item or a few.

use super::ast::*;
use super::parser;
use super::span::{FileId, Span};
use crate::diagnostics::Diagnostics;
use foldhash::{HashMap, HashMapExt as _};
use std::sync::Mutex;

/// Each file's items' trees by their text, as the last parse of the file
/// found them.
#[derive(Default)]
pub struct ItemCache {
    files: Mutex<HashMap<FileId, HashMap<String, Parsed>>>,
    /// Whether the trees are handed back after each check
    /// ([`ItemCache::handing_back`]) rather than copied.
    handed_back: bool,
}

/// An item's tree, with the offset of its text when it was parsed.
#[derive(Clone)]
struct Parsed {
    start: usize,
    tree: File,
}

impl ItemCache {
    /// A cache that keeps a copy of every tree it gives out: for a
    /// front-end that keeps each check (the language server answers from
    /// the last one).
    pub fn new() -> ItemCache {
        ItemCache::default()
    }

    /// A cache that gives its trees out, to be handed back once the check
    /// that took them is done with ([`crate::Checked::hand_back_trees`]):
    /// for the watcher, which builds and lets the check go. A parse then
    /// moves its trees instead of copying them, and the cache holds no
    /// second copy of the site. A tree not handed back is parsed again.
    pub fn handing_back() -> ItemCache {
        ItemCache {
            handed_back: true,
            ..ItemCache::default()
        }
    }

    /// Takes back the tree of `file`, whose text is `text`, cut into its
    /// items' parts for the next parse. A file with an item that did not
    /// parse is not kept: the next parse reads it whole, as without a
    /// cache, and reports it again (every problem the parser reports skips
    /// its item, so a file without skipped items had none).
    pub(crate) fn hand_back(&self, file: FileId, text: &str, tree: File) {
        if !self.handed_back || !tree.skipped.is_empty() {
            return;
        }
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(file, parts(tree, text, &parser::item_bounds(text)));
    }
}

/// [`parser::parse`], taking the trees of items whose text is unchanged
/// from `cache` and leaving there the items of `text`. The result is
/// exactly [`parser::parse`]'s (tested): a file in which any item does not
/// parse on its own, or is reported, is parsed as a whole, as without a
/// cache. So is a file of which most items are new (the first parse),
/// which is then parsed on all cores.
pub fn parse(text: &str, file: FileId, diagnostics: &mut Diagnostics, cache: &ItemCache) -> File {
    let mut files = cache
        .files
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let items = files.entry(file).or_default();
    let bounds = parser::item_bounds(text);
    let pieces = || bounds.windows(2).map(|w| (w[0], &text[w[0]..w[1]]));
    let new = pieces()
        .filter(|(_, piece)| !items.contains_key(*piece))
        .count();
    if new * 2 > bounds.len() {
        let mut found = Diagnostics::default();
        let whole = parser::parse(text, file, &mut found);
        *items = match found.is_empty() && whole.skipped.is_empty() && !cache.handed_back {
            true => parts(whole.clone(), text, &bounds),
            false => HashMap::new(),
        };
        diagnostics.extend(found);
        return whole;
    }
    let mut kept = HashMap::new();
    let mut whole = File::default();
    for (start, piece) in pieces() {
        let parsed = match items.remove(piece) {
            Some(parsed) => parsed,
            None => match parse_item(piece, file, start) {
                Some(tree) => Parsed { start, tree },
                None => return parser::parse(text, file, diagnostics),
            },
        };
        if cache.handed_back {
            whole.append(moved(parsed, start));
        } else {
            whole.append(moved(parsed.clone(), start));
            kept.insert(piece.to_string(), parsed);
        }
    }
    *items = kept;
    whole
}

/// A whole file's tree cut into its items' parts (between `bounds`), by
/// their text.
fn parts(mut whole: File, text: &str, bounds: &[usize]) -> HashMap<String, Parsed> {
    let mut parts = HashMap::with_capacity(bounds.len());
    // Taken from the end, so that each part is a tail of the lists.
    for piece in bounds.windows(2).rev() {
        let (start, end) = (piece[0], piece[1]);
        let tree = File {
            items: tail(&mut whole.items, start, |i| i.span()),
            comments: tail(&mut whole.comments, start, |c| c.span),
            bad_escapes: tail(&mut whole.bad_escapes, start, |s| *s),
            skipped: Vec::new(),
        };
        parts.insert(text[start..end].to_string(), Parsed { start, tree });
    }
    parts
}

/// The tree of one item starting at `start`, when it parses on its own and
/// nothing in it is reported.
fn parse_item(piece: &str, file: FileId, start: usize) -> Option<File> {
    let mut tree = File::default();
    let mut found = Diagnostics::default();
    let parsed = parser::parse_piece(piece, file, start, &mut tree, &mut found);
    (parsed && found.is_empty()).then_some(tree)
}

/// The end of `list` (in the order of the text) from `start` on.
fn tail<T>(list: &mut Vec<T>, start: usize, span: impl Fn(&T) -> Span) -> Vec<T> {
    let at = list.partition_point(|x| (span(x).start as usize) < start);
    list.split_off(at)
}

/// A cached tree for its text now at `start` (the cache is per file:
/// only the place can have changed).
fn moved(parsed: Parsed, start: usize) -> File {
    let mut tree = parsed.tree;
    let by = start as i64 - parsed.start as i64;
    if by != 0 {
        spans_of_file(&mut tree, &mut |span| span.shift(by));
    }
    tree
}

fn spans_of_file(file: &mut File, f: &mut impl FnMut(&mut Span)) {
    for item in &mut file.items {
        match item {
            Item::Let(l) => {
                f(&mut l.name.span);
                spans_of_expr(&mut l.value, f);
                f(&mut l.span);
            }
            Item::Import(i) => {
                f(&mut i.path.span);
                f(&mut i.span);
            }
            Item::Pool(d) | Item::Template(d) => {
                f(&mut d.name.span);
                if let Some(extends) = &mut d.extends {
                    f(&mut extends.span);
                }
                spans_of_body(&mut d.body, f);
                f(&mut d.span);
            }
        }
    }
    file.comments.iter_mut().for_each(|c| f(&mut c.span));
    file.bad_escapes.iter_mut().for_each(&mut *f);
    file.skipped.iter_mut().for_each(|s| f(&mut s.span));
}

fn spans_of_body(body: &mut Body, f: &mut impl FnMut(&mut Span)) {
    for entry in &mut body.entries {
        match entry {
            Entry::Attribute(a) => spans_of_attribute(a, f),
            Entry::Block(b) => {
                f(&mut b.kind.span);
                b.labels.iter_mut().for_each(|l| f(&mut l.span));
                if let Some(body) = &mut b.body {
                    spans_of_body(body, f);
                }
                f(&mut b.span);
            }
        }
    }
    f(&mut body.span);
}

fn spans_of_attribute(attribute: &mut Attribute, f: &mut impl FnMut(&mut Span)) {
    f(&mut attribute.key.span);
    spans_of_expr(&mut attribute.value, f);
    f(&mut attribute.span);
}

fn spans_of_expr(expr: &mut Expr, f: &mut impl FnMut(&mut Span)) {
    match &mut expr.kind {
        ExprKind::Str(parts) => {
            for part in parts {
                match part {
                    StrPart::Text(_, span) => f(span),
                    StrPart::Interpolation(inner) => spans_of_expr(inner, f),
                }
            }
        }
        ExprKind::Number(_) | ExprKind::Bool(_) => {}
        ExprKind::List(items) => items.iter_mut().for_each(|e| spans_of_expr(e, f)),
        ExprKind::Object(fields) => fields.iter_mut().for_each(|a| spans_of_attribute(a, f)),
        ExprKind::Call(call) => {
            f(&mut call.function.span);
            call.args.iter_mut().for_each(|e| spans_of_expr(e, f));
        }
        ExprKind::Ref(ident) => f(&mut ident.span),
    }
    f(&mut expr.span);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parse's tree and diagnostics, as text to compare.
    fn shown(file: &File, diagnostics: &Diagnostics) -> String {
        format!("{file:#?}\n{diagnostics:#?}")
    }

    const SITE: &str = "let registry = \"r.example.com\"\n\n\
        template \"base\" {\n  node_selector = { \"a\" = \"b\" }\n}\n\n\
        pool \"one\" extends \"base\" {\n  replicas = 1\n  # a comment\n  \
        launcher { image = \"${registry}/l:1\" }\n}\n\n\
        pool \"two\" {\n  replicas = 2\n  labels = { team = \"x\\q\" }\n}\n";

    /// Each applied to the text the previous one left.
    const EDITS: &[(&str, &str)] = &[
        ("replicas = 1", "replicas = 10"),
        ("replicas = 2", "replicas = 3"),
        ("\"r.example.com\"", "\"registry.example.com/mirror\""),
        ("pool \"two\" {", "pool \"two\" { oops"),
        ("pool \"two\" { oops", "pool \"two\" {"),
        ("# a comment\n", ""),
        ("let registry", "import \"other.pool\"\nlet registry"),
    ];

    /// Parses the site after each edit with `cache`, handing the trees
    /// back after each parse (which a copying cache ignores): each parse
    /// is the plain one.
    fn parses_as_plain_after_each_edit(cache: &ItemCache) {
        let mut text = SITE.to_string();
        let file = FileId(3);
        for (from, to) in std::iter::once(&("", "")).chain(EDITS) {
            text = text.replacen(from, to, 1);
            let (mut plain, mut cached) = (Diagnostics::default(), Diagnostics::default());
            let expected = parser::parse(&text, file, &mut plain);
            let got = parse(&text, file, &mut cached, cache);
            assert_eq!(
                shown(&got, &cached),
                shown(&expected, &plain),
                "after {to:?}"
            );
            cache.hand_back(file, &text, got);
        }
    }

    #[test]
    fn a_cached_parse_is_the_parse_after_each_edit() {
        parses_as_plain_after_each_edit(&ItemCache::new());
    }

    #[test]
    fn a_parse_from_handed_back_trees_is_the_parse_after_each_edit() {
        parses_as_plain_after_each_edit(&ItemCache::handing_back());
    }

    #[test]
    fn handed_back_trees_are_moved_into_the_next_parse() {
        let cache = ItemCache::handing_back();
        let text = "pool \"a\" {\n  replicas = 1\n}\npool \"b\" {\n  replicas = 2\n}\n";
        let kept = |cache: &ItemCache| {
            cache
                .files
                .lock()
                .unwrap()
                .values()
                .map(HashMap::len)
                .sum::<usize>()
        };
        let tree = parse(text, FileId(0), &mut Diagnostics::default(), &cache);
        assert_eq!(kept(&cache), 0, "a parse keeps no copy");
        cache.hand_back(FileId(0), text, tree);
        assert_eq!(kept(&cache), 2);
        // Mark the tree handed back for `b`: the next parse gives it out.
        for parsed in cache
            .files
            .lock()
            .unwrap()
            .values_mut()
            .flat_map(|f| f.values_mut())
        {
            if let [Item::Pool(pool)] = &mut parsed.tree.items[..] {
                pool.name.value.push_str("-kept");
            }
        }
        let edited = text.replace("replicas = 1", "replicas = 11");
        let got = parse(&edited, FileId(0), &mut Diagnostics::default(), &cache);
        let names: Vec<(&str, u32)> = got
            .items
            .iter()
            .map(|item| match item {
                Item::Pool(pool) => (pool.name.value.as_str(), pool.span.start),
                _ => ("", 0),
            })
            .collect();
        // `a` changed and was parsed; `b` is the tree handed back, moved
        // from offset 28 to 29.
        assert_eq!(names, [("a", 0), ("b-kept", 29)]);
        assert_eq!(kept(&cache), 0);
    }

    #[test]
    fn unchanged_items_are_taken_from_the_cache() {
        let cache = ItemCache::new();
        let text = "pool \"a\" {\n  replicas = 1\n}\npool \"b\" {\n  replicas = 2\n}\n";
        parse(text, FileId(0), &mut Diagnostics::default(), &cache);
        let edited = text.replace("replicas = 1", "replicas = 11");
        parse(&edited, FileId(0), &mut Diagnostics::default(), &cache);
        let files = cache.files.lock().unwrap();
        let items = &files[&FileId(0)];
        let starts: Vec<usize> = [
            "pool \"a\" {\n  replicas = 11\n}\n",
            "pool \"b\" {\n  replicas = 2\n}\n",
        ]
        .iter()
        .map(|piece| items[*piece].start)
        .collect();
        // `b` starts at 29 now: its tree is the one parsed when it started
        // at 28, moved.
        assert_eq!(starts, [0, 28]);
        assert_eq!(edited.find("pool \"b\""), Some(29));
        assert_eq!(items.len(), 2);
    }
}
