//! An in-memory client for the server: it copies a fixture site to a
//! temporary folder, starts the server on a thread, and sends requests and
//! notifications as an editor would. Responses are JSON with the folder's
//! URI written `file:///SITE`, for snapshots.
#![allow(dead_code)]

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    pub dir: tempfile::TempDir,
    next_id: i32,
    /// Notifications received while waiting for responses.
    pub notifications: Vec<Notification>,
    /// The texts sent for each file, in order.
    sent: Vec<(String, String)>,
    pub initialize_response: Option<Value>,
}

/// How long any answer may take before the test fails (a hang).
const PATIENCE: Duration = Duration::from_secs(60);

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

impl Client {
    /// A client of a new server over a copy of the fixtures, initialized
    /// with these client capabilities; `before` are messages queued before
    /// the server starts reading (so they arrive as one batch).
    pub fn start(capabilities: Value, before: impl FnOnce(&mut Client)) -> Client {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(fixtures()).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
        let (server, connection) = Connection::memory();
        let mut client = Client {
            connection,
            server: None,
            dir,
            next_id: 0,
            notifications: Vec::new(),
            sent: Vec::new(),
            initialize_response: None,
        };
        let root = client.uri("");
        let id = client.send_request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": capabilities,
                "initializationOptions": { "diagnosticsUrl": "https://poolc.invalid/diagnostics" },
            }),
        );
        client.notify("initialized", json!({}));
        before(&mut client);
        client.server = Some(std::thread::spawn(move || poolc_lsp::serve(&server)));
        client.initialize_response = Some(client.response(id));
        client
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().canonicalize().unwrap().join(name)
    }

    pub fn uri(&self, name: &str) -> String {
        let path = self.path(name);
        url::Url::from_file_path(&path).unwrap().to_string()
    }

    pub fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let notification = Notification::new(method.into(), params);
        self.connection
            .sender
            .send(Message::Notification(notification))
            .unwrap();
    }

    pub fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.into(), params);
        self.connection
            .sender
            .send(Message::Request(request))
            .unwrap();
        id
    }

    /// The response to request `id` (its result, or its error), with the
    /// notifications received before it kept.
    pub fn response(&mut self, id: RequestId) -> Value {
        loop {
            let message = self
                .connection
                .receiver
                .recv_timeout(PATIENCE)
                .expect("the server answers");
            match message {
                Message::Response(response) if response.id == id => {
                    let value = serde_json::to_value(&response).unwrap();
                    return self.redact(value.get("result").or(value.get("error")).cloned());
                }
                Message::Notification(notification) => self.notifications.push(notification),
                _ => {}
            }
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The URIs of the site's folder written `file:///SITE`.
    pub fn redact(&self, value: Option<Value>) -> Value {
        let text = serde_json::to_string(&value.unwrap_or(Value::Null)).unwrap();
        let site = self.uri("");
        let site = site.trim_end_matches('/');
        serde_json::from_str(&text.replace(site, "file:///SITE")).unwrap()
    }

    pub fn open(&mut self, name: &str) {
        let text = self.text(name);
        self.open_text(name, &text);
    }

    pub fn open_text(&mut self, name: &str, text: &str) {
        self.sent.push((name.to_string(), text.to_string()));
        let uri = self.uri(name);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "pool", "version": 1, "text": text } }),
        );
    }

    pub fn change(&mut self, name: &str, version: i32, text: &str) {
        self.sent.push((name.to_string(), text.to_string()));
        let uri = self.uri(name);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// The next diagnostics published for `name` (waiting for them).
    pub fn diagnostics(&mut self, name: &str) -> Value {
        let uri = self.uri(name);
        let wanted = |n: &Notification| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str()
        };
        loop {
            if let Some(i) = self.notifications.iter().position(wanted) {
                let found = self.notifications.remove(i);
                return self.redact(Some(found.params));
            }
            match self.connection.receiver.recv_timeout(PATIENCE) {
                Ok(Message::Notification(n)) => self.notifications.push(n),
                Ok(_) => {}
                Err(e) => panic!("no diagnostics for {name}: {e}"),
            }
        }
    }

    /// A position: `line`, and the column of the `nth` (0-based) occurrence
    /// of `needle` on it, plus `shift` characters.
    pub fn at(&self, name: &str, needle: &str, shift: usize) -> Value {
        let text = self.text_of(name);
        let offset = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {name}"))
            + shift;
        let line = text[..offset].matches('\n').count();
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let character: usize = text[start..offset].encode_utf16().count();
        json!({ "line": line, "character": character })
    }

    /// The text the client last sent for `name`, or the file's.
    fn text_of(&self, name: &str) -> String {
        self.sent
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or_else(|| self.text(name), |(_, t)| t.clone())
    }

    pub fn position_params(&self, name: &str, needle: &str, shift: usize) -> Value {
        json!({ "textDocument": { "uri": self.uri(name) }, "position": self.at(name, needle, shift) })
    }

    pub fn shutdown(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        assert_eq!(server.join().unwrap(), Ok(()));
    }
}
