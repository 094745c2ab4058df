//! The editor integrations of editors/: the VS Code, Vim and Neovim tests
//! (editors/test.sh, which installs its tools), the keywords of the grammar
//! in every highlighting grammar, the highlight fixture and the snippets
//! against the real compiler. The tree-sitter grammar's own tests live in
//! editors/tree-sitter-pool/tests (a member of the workspace).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    // The tests belong to the cli package, one folder down.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read(path: &str) -> String {
    fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn poolc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_poolc"))
}

#[test]
fn vscode_vim_and_neovim_tests_pass() {
    let output = Command::new("bash")
        .arg(repo().join("editors/test.sh"))
        .env("POOLC", env!("CARGO_BIN_EXE_poolc"))
        .current_dir(repo())
        .output()
        .expect("bash runs editors/test.sh");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "editors/test.sh failed ({}):\n{text}",
        output.status
    );
    for part in ["vscode: ok", "vim: ok", "neovim: ok", "neovim lsp: ok"] {
        assert!(
            text.contains(part),
            "editors/test.sh did not report {part:?}:\n{text}"
        );
    }
}

/// The keywords of grammar/pool.pest: the string literals of its `kw_*` rules.
fn pest_keywords() -> Vec<String> {
    let pest = read("grammar/pool.pest");
    let mut keywords = Vec::new();
    for line in pest.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("kw_") else {
            continue;
        };
        let Some((_, body)) = rest.split_once('=') else {
            continue;
        };
        let literal = body
            .split('"')
            .nth(1)
            .unwrap_or_else(|| panic!("no literal in {line:?}"));
        keywords.push(literal.to_string());
    }
    keywords
}

/// Is `word` in `text` as a whole word (not inside a longer name)?
fn has_word(text: &str, word: &str) -> bool {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

#[test]
fn the_keywords_of_the_grammar_are_in_every_highlighting_grammar() {
    let keywords = pest_keywords();
    assert_eq!(
        keywords.len(),
        7,
        "grammar/pool.pest's kw_* rules changed: {keywords:?} (and the editors' grammars with them?)"
    );

    let textmate: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/syntaxes/pool.tmLanguage.json")).unwrap();
    let mut regexes = Vec::new();
    collect_regexes(&textmate, &mut regexes);
    let vim_keywords: Vec<String> = read("editors/vim/syntax/pool.vim")
        .lines()
        .filter(|l| l.starts_with("syntax keyword"))
        .map(str::to_string)
        .collect();
    let grammar_js = read("editors/tree-sitter-pool/grammar.js");
    let grammar_json = read("editors/tree-sitter-pool/src/grammar.json");
    let highlights = read("editors/tree-sitter-pool/queries/highlights.scm");
    let helix = read("editors/tree-sitter-pool/queries/helix/highlights.scm");

    let mut missing = Vec::new();
    for kw in &keywords {
        if !regexes.iter().any(|r| has_word(r, kw)) {
            missing.push(format!(
                "{kw}: in no regex of editors/vscode/syntaxes/pool.tmLanguage.json"
            ));
        }
        if !vim_keywords.iter().any(|l| has_word(l, kw)) {
            missing.push(format!(
                "{kw}: in no `syntax keyword` of editors/vim/syntax/pool.vim"
            ));
        }
        if !grammar_js.contains(&format!("'{kw}'")) {
            missing.push(format!("{kw}: not in editors/tree-sitter-pool/grammar.js"));
        }
        if !grammar_json.contains(&format!("\"value\": \"{kw}\"")) {
            missing.push(format!(
                "{kw}: not in src/grammar.json: regenerate the parser (tree-sitter generate)"
            ));
        }
        for (name, query) in [
            ("highlights.scm", &highlights),
            ("helix/highlights.scm", &helix),
        ] {
            if !query.contains(&format!("\"{kw}\"")) {
                missing.push(format!(
                    "{kw}: not in editors/tree-sitter-pool/queries/{name}"
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keywords missing from highlighting grammars:\n{}",
        missing.join("\n")
    );
}

fn collect_regexes(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("match" | "begin", serde_json::Value::String(s)) => out.push(s.clone()),
                    _ => collect_regexes(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_regexes(v, out)),
        _ => {}
    }
}

/// Lines of an assertion file, each source line with the scopes asserted at
/// a column: (source line, column, scopes).
fn asserted_scopes(text: &str) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut source = String::new();
    for (n, line) in text.lines().enumerate() {
        let rest = line.strip_prefix('#').unwrap_or("");
        if n == 0 || !rest.trim_start().starts_with('^') {
            source = line.to_string();
            continue;
        }
        let col = rest.find('^').unwrap() + 1;
        let scopes = rest.trim_start_matches([' ', '^']).to_string();
        out.push((source.clone(), col, scopes));
    }
    out
}

#[test]
fn every_block_kind_and_label_is_asserted() {
    // The blocks of a pool and the labels they take (docs/language.md).
    let kinds = [
        "credentials",
        "launcher",
        "dind",
        "storage",
        "service_account",
    ];
    let labels = [
        "external",
        "claim",
        "ephemeral",
        "empty_dir",
        "host_path",
        "volume",
    ];
    let text = read("editors/vscode/test/blocks.test.pool");
    let asserted = asserted_scopes(&text);
    let is_asserted = |word: &str, scope: &str| {
        asserted.iter().any(|(line, col, scopes)| {
            line.get(*col..).is_some_and(|s| s.starts_with(word))
                && !line[*col + word.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                && scopes
                    .split(" - ")
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .any(|s| s == scope)
        })
    };
    let mut missing = Vec::new();
    for kind in kinds {
        if !is_asserted(kind, "entity.name.type.block.pool") {
            missing.push(format!("the block {kind}"));
        }
    }
    for label in labels {
        if !is_asserted(label, "entity.name.label.pool") {
            missing.push(format!("the label {label}"));
        }
    }
    assert!(
        missing.is_empty(),
        "editors/vscode/test/blocks.test.pool asserts no highlighting for: {}",
        missing.join(", ")
    );
}

#[test]
fn the_zed_extension_has_the_current_highlights() {
    assert_eq!(
        read("editors/zed/languages/pool/highlights.scm"),
        read("editors/tree-sitter-pool/queries/highlights.scm"),
        "copy editors/tree-sitter-pool/queries/highlights.scm to editors/zed/languages/pool/"
    );
}

#[test]
fn the_highlight_fixture_is_a_valid_pool_file() {
    let output = poolc()
        .args([
            "check",
            "--color",
            "never",
            "--message-format",
            "short",
            "--quiet",
            "all-constructs.pool",
        ])
        .current_dir(repo().join("editors/fixtures"))
        .env_remove("POOLC_FIXTURE_UNSET")
        .output()
        .unwrap();
    assert!(
        output.status.success() && output.stderr.is_empty() && output.stdout.is_empty(),
        "poolc check editors/fixtures/all-constructs.pool ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A snippet body with every placeholder replaced by its default (the first
/// choice of a choice) and tab stops removed, indented by `indent`.
fn expand_snippet(body: &[String], indent: &str) -> String {
    fn expand(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            if let Some(inner) = rest.strip_prefix('{') {
                // ${N}, ${N:default}, ${N|a,b|}; defaults may nest.
                let mut depth = 1;
                let mut end = 0;
                for (j, c) in inner.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                let spec = &inner[..end];
                let digits = spec.chars().take_while(char::is_ascii_digit).count();
                let tail = &spec[digits..];
                if let Some(default) = tail.strip_prefix(':') {
                    out.push_str(&expand(default));
                } else if let Some(choices) = tail.strip_prefix('|') {
                    out.push_str(choices.split([',', '|']).next().unwrap());
                }
                rest = &inner[end + 1..];
            } else {
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                assert!(digits > 0, "a lone $ in a snippet: {s:?}");
                rest = &rest[digits..];
            }
        }
        out.push_str(rest);
        out
    }
    body.iter()
        .map(|line| format!("{indent}{}", expand(line).replace('\t', "  ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_snippets_expand_to_valid_pool_files() {
    let snippets: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&read("editors/vscode/snippets/pool.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // For base64(file("pool.pem")): a (dummy) PEM private key.
    fs::write(
        dir.path().join("pool.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAtestkey\n-----END RSA PRIVATE KEY-----\n",
    )
    .unwrap();
    fs::write(dir.path().join("common.pool"), "template \"base\" {}\n").unwrap();
    let mut failures = Vec::new();
    for (name, snippet) in &snippets {
        let prefix = snippet["prefix"].as_str().unwrap();
        let body: Vec<String> = snippet["body"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect();
        // Top-level snippets stand alone (with what they refer to); the
        // others go into a pool body.
        let site = match prefix.split_whitespace().next().unwrap() {
            "pool" => format!("{}\n", expand_snippet(&body, "")),
            "poolx" => format!(
                "template \"base\" {{\n  credentials external \"c\"\n}}\n{}\n",
                expand_snippet(&body, "")
            ),
            "template" => format!(
                "{}\npool \"p\" extends \"base\" {{\n  credentials external \"c\"\n}}\n",
                expand_snippet(&body, "")
            ),
            "let" | "import" => format!(
                "{}\npool \"p\" {{\n  credentials external \"c\"\n}}\n",
                expand_snippet(&body, "")
            ),
            "credentials" => format!("pool \"p\" {{\n{}\n}}\n", expand_snippet(&body, "  ")),
            "heredoc" => format!(
                "pool \"p\" {{\n  credentials external \"c\"\n  annotations = {{\n    note = {}\n  }}\n}}\n",
                expand_snippet(&body, "    ").trim_start()
            ),
            _ => format!(
                "pool \"p\" {{\n  credentials external \"c\"\n  workload = statefulset\n{}\n}}\n",
                expand_snippet(&body, "  ")
            ),
        };
        let file = dir.path().join("site.pool");
        fs::write(&file, &site).unwrap();
        let output = poolc()
            .args([
                "check",
                "--color",
                "never",
                "--message-format",
                "short",
                "--quiet",
                "site.pool",
            ])
            .current_dir(dir.path())
            .env("SPACELIFT_TOKEN", "token")
            .output()
            .unwrap();
        if !output.status.success() || !output.stderr.is_empty() || !output.stdout.is_empty() {
            failures.push(format!(
                "snippet {name:?} ({prefix}):\n{site}{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(snippets.len() >= 4, "only {} snippets", snippets.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn snippet_expansion() {
    let body = vec![
        "storage ${1|claim,ephemeral|} {".to_string(),
        "\tsize = ${2:${3:50}Gi}$0".to_string(),
        "}".to_string(),
    ];
    assert_eq!(
        expand_snippet(&body, "  "),
        "  storage claim {\n    size = 50Gi\n  }"
    );
    assert!(Path::new(&repo().join("editors/vscode/snippets/pool.json")).exists());
}

/// Every editor's configuration starts the same command, `poolc lsp`, which
/// the binary has. (The VS Code client and Neovim's configuration are run
/// against the server by editors/test.sh; Helix and Zed are not installed
/// here, so their files are checked as written.)
#[test]
fn every_editor_starts_the_language_server() {
    let help = poolc().args(["lsp", "--help"]).output().unwrap();
    assert!(help.status.success(), "poolc lsp --help failed");

    let helix = read("editors/helix/languages.toml");
    for line in [
        "[language-server.poolc]",
        "command = \"poolc\"",
        "args = [\"lsp\"]",
        "language-servers = [\"poolc\"]",
    ] {
        assert!(
            helix.lines().any(|l| l == line),
            "helix/languages.toml lacks {line}"
        );
    }

    let zed = read("editors/zed/extension.toml");
    let language = read("editors/zed/languages/pool/config.toml");
    assert!(zed.contains("[language_servers.poolc]"), "{zed}");
    let name = language
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .expect("the Zed language has a name");
    assert!(zed.contains(&format!("languages = [{name}]")), "{zed}");
    let code = read("editors/zed/src/lib.rs");
    assert!(code.contains("which(\"poolc\")") && code.contains("vec![\"lsp\".into()]"));

    let neovim = read("editors/vim/lsp/poolc.lua");
    assert!(neovim.contains("cmd = { 'poolc', 'lsp' }"), "{neovim}");
    assert!(neovim.contains("filetypes = { 'pool' }"), "{neovim}");
}
