//! `poolc lsp` end to end: the real binary, driven over stdin and stdout as
//! an editor drives it (Content-Length framed JSON-RPC): initialize, open a
//! file with an error, its diagnostics with the exact range, hover,
//! completion, definition across an import, formatting, shutdown and exit.
//! (The features one by one, in memory: lsp/tests/protocol.rs.)

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Editor {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
}

/// Reads framed messages from the server until it closes stdout.
fn reader(stdout: ChildStdout, messages: mpsc::Sender<Value>) {
    let mut stdout = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        stdout.read_exact(&mut body).unwrap();
        if messages
            .send(serde_json::from_slice(&body).unwrap())
            .is_err()
        {
            return;
        }
    }
}

impl Editor {
    fn start() -> Editor {
        let mut child = Command::new(env!("CARGO_BIN_EXE_poolc"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("poolc lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || reader(stdout, sender));
        Editor {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn next(&self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.next();
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let message = self.next();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].clone();
            }
        }
    }
}

fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn an_editor_session_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::write(
        dir.join("common.pool"),
        "let registry = \"ghcr.io/acme\"\n\ntemplate \"base\" {\n  replicas = 2\n}\n",
    )
    .unwrap();
    let site = dir.join("site.pool");
    let text = "import \"common.pool\"\n\npool \"prod\" extends \"base\" {\n  credentials external \"s\"\n  workload = statefulsett\n}\n";
    std::fs::write(&site, text).unwrap();
    let site_uri = uri(&site);

    let mut editor = Editor::start();
    let init = editor.request(
        "initialize",
        json!({ "processId": null, "rootUri": uri(&dir), "capabilities": {} }),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "poolc");
    editor.notify("initialized", json!({}));

    editor.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": site_uri, "languageId": "pool", "version": 1, "text": text } }),
    );
    let diagnostics = editor.diagnostics(&site_uri);
    assert_eq!(diagnostics.as_array().unwrap().len(), 1, "{diagnostics}");
    let error = &diagnostics[0];
    assert_eq!(error["code"], "pool::E0309");
    assert_eq!(
        error["range"],
        json!({ "start": { "line": 4, "character": 13 }, "end": { "line": 4, "character": 25 } })
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `statefulset`?"),
        "{error}"
    );
    assert!(
        error["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#poole0309-not-one-of-the-accepted-values"),
        "{error}"
    );

    let at = |line: u32, character: u32| json!({ "textDocument": { "uri": site_uri }, "position": { "line": line, "character": character } });
    let hover = editor.request("textDocument/hover", at(4, 3));
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.starts_with("**workload**"), "{hover}");

    let completion = editor.request("textDocument/completion", at(4, 15));
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"statefulset"), "{labels:?}");

    let definition = editor.request("textDocument/definition", at(2, 23));
    assert_eq!(definition["uri"], uri(&dir.join("common.pool")));
    assert_eq!(
        definition["range"]["start"],
        json!({ "line": 2, "character": 9 })
    );

    let unformatted = text.replace("  workload = statefulsett", "    workload=statefulset");
    editor.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": site_uri, "version": 2 }, "contentChanges": [{ "text": unformatted }] }),
    );
    assert_eq!(editor.diagnostics(&site_uri), json!([]));
    let formatting = editor.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": site_uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(
        formatting[0]["newText"],
        text.replace("statefulsett", "statefulset")
    );

    assert_eq!(editor.request("shutdown", Value::Null), Value::Null);
    editor.notify("exit", Value::Null);
    let status = editor.child.wait().unwrap();
    assert!(status.success(), "{status}");
}
