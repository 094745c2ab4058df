//! The tree-sitter grammar's own tests: its corpus (test/corpus/*.txt), every
//! `.pool` file of the repository, and the highlight queries against the
//! assertions of the highlight fixture (editors/fixtures/all-constructs.pool).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

fn language() -> Language {
    tree_sitter_pool::LANGUAGE.into()
}

fn parse(source: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("the pool grammar loads");
    parser
        .parse(source, None)
        .expect("the parser returns a tree")
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn repo_root() -> PathBuf {
    crate_dir().join("../..").canonicalize().unwrap()
}

fn editors_dir() -> PathBuf {
    crate_dir().join("..")
}

// ---- corpus ------------------------------------------------------------------

/// One case of a corpus file: `====` title `====`, source, `----`, expected
/// S-expression (the format of `tree-sitter test`).
#[derive(Debug)]
struct CorpusCase {
    file: String,
    title: String,
    source: String,
    expected: String,
    expect_error: bool,
}

fn is_rule(line: &str, c: char) -> bool {
    line.len() >= 3 && line.chars().all(|x| x == c)
}

fn parse_corpus(file: &str, text: &str) -> Vec<CorpusCase> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut cases = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_rule(lines[i].trim_end(), '=') {
            assert!(
                lines[i].trim().is_empty(),
                "{file}:{}: text outside a case: {:?}",
                i + 1,
                lines[i]
            );
            i += 1;
            continue;
        }
        // Header: title lines and attributes up to the closing `====`.
        i += 1;
        let mut title = Vec::new();
        let mut expect_error = false;
        while i < lines.len() && !is_rule(lines[i].trim_end(), '=') {
            match lines[i].trim() {
                ":error" => expect_error = true,
                t if t.starts_with(':') => panic!("{file}:{}: unknown attribute {t}", i + 1),
                t => title.push(t.to_string()),
            }
            i += 1;
        }
        assert!(i < lines.len(), "{file}: unterminated header");
        i += 1;
        // Source up to the `----` line.
        let start = i;
        while i < lines.len() && !is_rule(lines[i].trim_end(), '-') {
            i += 1;
        }
        assert!(
            i < lines.len(),
            "{file}: case {:?} has no `----` line",
            title
        );
        // As `tree-sitter test` reads it: the newline before `----` is not
        // part of the source.
        let source = lines[start..i].join("\n");
        i += 1;
        // Expected tree up to the next `====` line.
        let start = i;
        while i < lines.len() && !is_rule(lines[i].trim_end(), '=') {
            i += 1;
        }
        cases.push(CorpusCase {
            file: file.to_string(),
            title: title.join(" "),
            source,
            expected: lines[start..i].join("\n"),
            expect_error,
        });
    }
    cases
}

/// Field names dropped, whitespace collapsed: `(a (b) (c))`.
fn normalise_sexp(s: &str) -> String {
    let mut out = String::new();
    let mut words = Vec::new();
    for word in s.split_whitespace() {
        // `name:` prefixes a field; it may be glued to the node: `name: (x)`.
        let word = match word.find(':') {
            Some(colon) if !word.starts_with('(') && !word.starts_with('"') => &word[colon + 1..],
            _ => word,
        };
        if !word.is_empty() {
            words.push(word);
        }
    }
    for w in words {
        if !out.is_empty() && !out.ends_with('(') && !w.starts_with(')') {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn corpus_cases() -> Vec<CorpusCase> {
    let dir = crate_dir().join("test/corpus");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        cases.extend(parse_corpus(
            &f.file_name().unwrap().to_string_lossy(),
            &text,
        ));
    }
    cases
}

#[test]
fn corpus() {
    let cases = corpus_cases();
    assert!(cases.len() >= 20, "only {} corpus cases found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let tree = parse(&case.source);
        let root = tree.root_node();
        if case.expect_error {
            if !root.has_error() {
                failures.push(format!(
                    "{} / {}: expected a syntax error, got {}",
                    case.file,
                    case.title,
                    root.to_sexp()
                ));
            }
            continue;
        }
        let actual = normalise_sexp(&root.to_sexp());
        let expected = normalise_sexp(&case.expected);
        if actual != expected {
            failures.push(format!(
                "{} / {}:\n  expected {expected}\n  actual   {actual}",
                case.file, case.title
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "corpus failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn corpus_format_parser() {
    let text = "==========\nA\n:error\n==========\nlet a = 1\n\n----------\n\n==========\nB\n==========\nlet b = 2\n---\n\n(source_file\n  (let name: (identifier) value: (number)))\n";
    let cases = parse_corpus("t.txt", text);
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].title, "A");
    assert!(cases[0].expect_error);
    assert_eq!(cases[0].source, "let a = 1\n");
    assert_eq!(cases[1].source, "let b = 2");
    assert_eq!(
        normalise_sexp(&cases[1].expected),
        "(source_file (let (identifier) (number)))"
    );
}

// ---- every .pool file of the repository ---------------------------------------

fn pool_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name == "target" || name == "node_modules" || name.starts_with('.') {
                continue;
            }
            pool_files(&path, out);
        } else if name.ends_with(".pool") {
            out.push(path);
        }
    }
}

/// The files under tests/snapshot/inputs/syntax/ and
/// tests/secrets/cases/syntax/ are syntax errors on purpose.
fn is_syntax_error_input(path: &Path) -> bool {
    let rel = path.strip_prefix(repo_root()).unwrap();
    rel.starts_with("tests/snapshot/inputs/syntax") || rel.starts_with("tests/secrets/cases/syntax")
}

fn first_error(node: Node) -> Option<Node> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    if !node.has_error() {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    children.into_iter().find_map(first_error)
}

#[test]
fn parses_every_pool_file_of_the_repository() {
    let mut files = Vec::new();
    pool_files(&repo_root(), &mut files);
    files.sort();
    let valid: Vec<&PathBuf> = files.iter().filter(|f| !is_syntax_error_input(f)).collect();
    assert!(
        valid.len() >= 40,
        "only {} .pool files found under {}",
        valid.len(),
        repo_root().display()
    );
    let mut failures = Vec::new();
    for file in &valid {
        let source = fs::read_to_string(file).unwrap();
        let tree = parse(&source);
        if let Some(node) = first_error(tree.root_node()) {
            let p = node.start_position();
            failures.push(format!(
                "{}:{}:{}: {} node: {}",
                file.display(),
                p.row + 1,
                p.column + 1,
                if node.is_missing() {
                    "MISSING"
                } else {
                    "ERROR"
                },
                node.to_sexp()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "tree-sitter could not parse {} of {} files:\n{}",
        failures.len(),
        valid.len(),
        failures.join("\n")
    );
}

// ---- highlights -------------------------------------------------------------------

/// One row of editors/fixtures/highlight-map.tsv.
struct MapRow {
    scope_prefix: String,
    capture: String,
    helix_capture: String,
}

fn highlight_map() -> Vec<MapRow> {
    let text = fs::read_to_string(editors_dir().join("fixtures/highlight-map.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "bad row in highlight-map.tsv: {l:?}");
            MapRow {
                scope_prefix: cols[0].to_string(),
                capture: cols[2].to_string(),
                helix_capture: cols[3].to_string(),
            }
        })
        .collect()
}

/// A scope assertion of the fixture: characters `from..to` of line `line`
/// (0-based, in the file as it is) carry `scopes`.
struct Assertion {
    line: usize,
    from: usize,
    to: usize,
    scopes: Vec<String>,
    at: usize,
}

/// Reads vscode-tmgrammar-test's assertion lines (`#   ^^^ scope ...` and
/// `# <--- scope ...`); each applies to the nearest line above that is not an
/// assertion.
fn fixture_assertions(text: &str) -> Vec<Assertion> {
    let mut out = Vec::new();
    let mut source_line = None;
    for (n, line) in text.split('\n').enumerate() {
        let rest = line.strip_prefix('#');
        let is_assertion = rest.is_some_and(|r| {
            let t = r.trim_start();
            t.starts_with('^') || t.starts_with("<-") || t.starts_with("<~")
        });
        if n == 0 || !is_assertion {
            source_line = Some(n);
            continue;
        }
        let r = rest.unwrap();
        let target = source_line.expect("an assertion follows a source line");
        let t = r.trim_start();
        let (ranges, spec): (Vec<(usize, usize)>, &str) = if let Some(arrow) = t.strip_prefix('<') {
            let tildes = arrow.chars().take_while(|&c| c == '~').count();
            let dashes = arrow[tildes..].chars().take_while(|&c| c == '-').count();
            (vec![(tildes, tildes + dashes)], &arrow[tildes + dashes..])
        } else {
            let mut ranges = Vec::new();
            let bytes = r.as_bytes();
            let mut i = 0;
            let mut last = 0;
            while i < bytes.len() {
                if bytes[i] == b'^' {
                    let start = i;
                    while i < bytes.len() && bytes[i] == b'^' {
                        i += 1;
                    }
                    ranges.push((start + 1, i + 1));
                    last = i;
                } else if bytes[i] == b' ' {
                    i += 1;
                } else {
                    break;
                }
            }
            (ranges, &r[last..])
        };
        // Scopes before a ` - ` are required, after it excluded.
        let required = spec.split(" - ").next().unwrap_or("");
        let scopes: Vec<String> = required.split_whitespace().map(str::to_string).collect();
        for (from, to) in ranges {
            out.push(Assertion {
                line: target,
                from,
                to,
                scopes: scopes.clone(),
                at: n + 1,
            });
        }
    }
    out
}

/// The map row of an assertion: its last scope that a row's prefix matches
/// (the longest prefix wins); None for assertions on TextMate-only scopes.
fn row_for<'a>(map: &'a [MapRow], scopes: &[String]) -> Option<&'a MapRow> {
    scopes.iter().rev().find_map(|scope| {
        map.iter()
            .filter(|row| {
                scope == &row.scope_prefix || scope.starts_with(&format!("{}.", row.scope_prefix))
            })
            .max_by_key(|row| row.scope_prefix.len())
    })
}

/// For each byte of `source`, the capture of the smallest node that covers
/// it (on a tie, the later pattern), as an editor would paint it.
fn innermost_captures(source: &str, query_text: &str) -> Vec<Option<String>> {
    let query = Query::new(&language(), query_text).expect("the highlight query compiles");
    let tree = parse(source);
    let mut best: Vec<Option<(usize, usize, String)>> = vec![None; source.len()];
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&query, tree.root_node(), source.as_bytes());
    while let Some(m) = matches.next() {
        for c in m.captures {
            let name = query.capture_names()[c.index as usize].to_string();
            let range = c.node.byte_range();
            let size = range.len();
            for slot in &mut best[range] {
                let replace = match slot {
                    None => true,
                    Some((s, p, _)) => size < *s || (size == *s && m.pattern_index >= *p),
                };
                if replace {
                    *slot = Some((size, m.pattern_index, name.clone()));
                }
            }
        }
    }
    best.into_iter()
        .map(|b| b.map(|(_, _, name)| name))
        .collect()
}

/// The files with scope assertions that every highlighting grammar must
/// satisfy (editors/vscode/test/*.test is TextMate-only).
fn assertion_files() -> Vec<PathBuf> {
    vec![
        editors_dir().join("fixtures/all-constructs.pool"),
        editors_dir().join("vscode/test/blocks.test.pool"),
    ]
}

/// The byte offset of character `col` (UTF-16 units, as the assertions count)
/// of `line`.
fn byte_offset(line: &str, col: usize) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= col {
            return i;
        }
        units += c.len_utf16();
    }
    line.len()
}

fn check_highlights(query_text: &str, helix: bool) {
    let map = highlight_map();
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for path in assertion_files() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let tree = parse(&text);
        assert!(
            !tree.root_node().has_error(),
            "{name} does not parse: {}",
            tree.root_node().to_sexp()
        );
        let assertions = fixture_assertions(&text);
        let captures = innermost_captures(&text, query_text);
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let lines: Vec<&str> = text.split('\n').collect();
        for a in &assertions {
            let Some(row) = row_for(&map, &a.scopes) else {
                continue;
            };
            let expected = if helix {
                &row.helix_capture
            } else {
                &row.capture
            };
            *checked.entry(row.scope_prefix.clone()).or_default() += 1;
            total += 1;
            let line = lines[a.line];
            let (from, to) = (byte_offset(line, a.from), byte_offset(line, a.to));
            for (i, ch) in line[from..to].char_indices() {
                let actual = captures[line_starts[a.line] + from + i]
                    .as_deref()
                    .unwrap_or("(none)");
                if actual != expected {
                    failures.push(format!(
                        "{name}:{}:{} ({ch:?}, asserted on line {}): expected @{expected}, got @{actual}",
                        a.line + 1,
                        from + i + 1,
                        a.at
                    ));
                    break;
                }
            }
        }
    }
    assert!(total >= 150, "only {total} assertions checked");
    assert!(
        failures.is_empty(),
        "{} highlight mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let unchecked: Vec<&str> = map
        .iter()
        .map(|r| r.scope_prefix.as_str())
        .filter(|p| !checked.contains_key(*p))
        .collect();
    assert!(
        unchecked.is_empty(),
        "rows of highlight-map.tsv no assertion checks: {unchecked:?}"
    );
}

#[test]
fn highlights_match_the_fixture_assertions() {
    check_highlights(tree_sitter_pool::HIGHLIGHTS_QUERY, false);
}

#[test]
fn helix_highlights_match_the_fixture_assertions() {
    check_highlights(tree_sitter_pool::HELIX_HIGHLIGHTS_QUERY, true);
}

#[test]
fn the_fixture_parses_without_errors() {
    let fixture = fs::read_to_string(editors_dir().join("fixtures/all-constructs.pool")).unwrap();
    let tree = parse(&fixture);
    assert!(
        !tree.root_node().has_error(),
        "{}",
        tree.root_node().to_sexp()
    );
}

#[test]
fn queries_compile() {
    for (name, text) in [
        ("highlights.scm", tree_sitter_pool::HIGHLIGHTS_QUERY),
        (
            "helix/highlights.scm",
            tree_sitter_pool::HELIX_HIGHLIGHTS_QUERY,
        ),
        ("indents.scm", tree_sitter_pool::INDENTS_QUERY),
        ("folds.scm", tree_sitter_pool::FOLDS_QUERY),
        ("helix/indents.scm", tree_sitter_pool::HELIX_INDENTS_QUERY),
    ] {
        if let Err(e) = Query::new(&language(), text) {
            panic!("queries/{name} does not compile: {e}");
        }
    }
}

#[test]
fn every_named_node_is_highlighted_or_structural() {
    // A new node type must be highlighted, or listed here as structure.
    let structural: BTreeSet<&str> = [
        "source_file",
        "let",
        "import",
        "pool",
        "template",
        "extends",
        "body",
        "attribute",
        "block",
        "list",
        "object",
        "call",
        "arguments",
        "interpolation",
        "heredoc",
        "string",
        "identifier",
        "bool",
    ]
    .into_iter()
    .collect();
    let node_types = tree_sitter_pool::NODE_TYPES;
    let mut missing = Vec::new();
    for chunk in node_types.split("\"type\": \"").skip(1) {
        let name = chunk.split('"').next().unwrap();
        let named = chunk
            .split_once("\"named\": ")
            .is_some_and(|(_, rest)| rest.starts_with("true"));
        if !named || structural.contains(name) {
            continue;
        }
        let pattern = format!("({name})");
        if !tree_sitter_pool::HIGHLIGHTS_QUERY.contains(&pattern)
            || !tree_sitter_pool::HELIX_HIGHLIGHTS_QUERY.contains(&pattern)
        {
            missing.push(name.to_string());
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "node types no highlight query names: {missing:?}"
    );
}
