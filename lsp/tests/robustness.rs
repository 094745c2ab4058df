//! No buffer makes the server fail or hang: every `.pool` file of the
//! repository is opened, then mangled in deterministic ways (as
//! tests/robustness.rs mangles them for the compiler), and after each edit
//! every kind of request is made at positions across the text. Each must
//! be answered (the harness gives up after a minute), and none with an
//! internal error (a panic the server caught). `POOLC_MUTATIONS` raises
//! the number of edits per file.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use support::Client;

fn pool_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && !name.starts_with('.') {
                pool_files(&path, out);
            }
        } else if name.ends_with(".pool") {
            out.push(path);
        }
    }
}

/// A small deterministic generator (64-bit LCG), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "<<EOT\n",
    "EOT\n",
    "\\",
    "=",
    ",",
    "\n",
    "#",
    "é",
    "😀",
    "\t",
    "let x = x\n",
    "pool \"p\" {}\n",
    "extends \"x\"",
    "env(\"X\")",
    "storage claim {",
    "launcher {",
    "resources = {",
    "500m",
    "0777",
    "true",
    "import \"x.pool\"\n",
];

/// The text with a few deletions, insertions and copies, on character
/// boundaries (an editor sends text, not bytes).
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.next(3) {
        let at = rng.next(chars.len() + 1);
        match rng.next(3) {
            0 => {
                let end = (at + rng.next(40)).min(chars.len());
                chars.drain(at..end);
            }
            1 => {
                let token: Vec<char> = TOKENS[rng.next(TOKENS.len())].chars().collect();
                chars.splice(at..at, token);
            }
            _ => {
                let end = (at + rng.next(80)).min(chars.len());
                let copy = chars[at..end].to_vec();
                let to = rng.next(chars.len() + 1);
                chars.splice(to..to, copy);
            }
        }
    }
    chars.into_iter().collect()
}

/// A position at a character offset of the text, in UTF-16 columns.
fn position(text: &str, rng: &mut Rng) -> Value {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.next(chars.len() + 1);
    let before: String = chars[..at].iter().collect();
    let line = before.matches('\n').count();
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    json!({ "line": line, "character": column })
}

/// Every request, at a few positions; the failures found.
fn ask_everything(client: &mut Client, uri: &str, text: &str, rng: &mut Rng) -> Vec<String> {
    let document = json!({ "uri": uri });
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 100000, "character": 0 } });
    let mut requests = vec![
        (
            "textDocument/documentSymbol",
            json!({ "textDocument": document }),
        ),
        (
            "textDocument/foldingRange",
            json!({ "textDocument": document }),
        ),
        (
            "textDocument/inlayHint",
            json!({ "textDocument": document, "range": whole }),
        ),
        (
            "textDocument/codeAction",
            json!({ "textDocument": document, "range": whole, "context": { "diagnostics": [] } }),
        ),
        (
            "textDocument/formatting",
            json!({ "textDocument": document, "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
    ];
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/prepareRename",
    ] {
        for _ in 0..3 {
            let at = position(text, rng);
            requests.push((method, json!({ "textDocument": document, "position": at })));
        }
    }
    let at = position(text, rng);
    requests.push((
        "textDocument/references",
        json!({ "textDocument": document, "position": at, "context": { "includeDeclaration": true } }),
    ));
    let at = position(text, rng);
    requests.push((
        "textDocument/rename",
        json!({ "textDocument": document, "position": at, "newName": "renamed" }),
    ));
    let mut failures = Vec::new();
    for (method, params) in requests {
        let answer = client.request(method, params.clone());
        if answer.get("code") == Some(&json!(-32603)) {
            failures.push(format!("{method} {params}: {answer}"));
        }
    }
    failures
}

#[test]
fn no_buffer_makes_the_server_fail() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    pool_files(repo, &mut files);
    files.sort();
    assert!(files.len() > 100, "found {} .pool files", files.len());
    let per_file: usize = std::env::var("POOLC_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4);
    let mut client = Client::start(json!({}), |_| {});
    let mut rng = Rng(0x15e);
    let mut failures = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let uri = url::Url::from_file_path(file.canonicalize().unwrap())
            .unwrap()
            .to_string();
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "pool", "version": 0, "text": text } }),
        );
        failures.extend(ask_everything(&mut client, &uri, &text, &mut rng));
        for version in 1..=per_file {
            let mutated = mutate(&text, &mut rng);
            client.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": mutated }] }),
            );
            failures.extend(
                ask_everything(&mut client, &uri, &mutated, &mut rng)
                    .into_iter()
                    .map(|f| format!("{}: {f}\ntext: {mutated:?}", file.display())),
            );
        }
        client.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    client.shutdown();
}
