//! The poolc language server: `poolc lsp` speaks the Language Server
//! Protocol over stdio, a third front-end on the core's pipeline beside
//! `build` and `watch`. The analysis is the core's (`poolc::ide`); this
//! crate keeps the open documents ([`workspace`]), converts positions and
//! URIs ([`convert`]), and answers the protocol's requests ([`handlers`]).
//!
//! One thread reads messages and answers them in order. Edits that arrive
//! together are applied together and checked once (diagnostics are
//! debounced only by what is already queued, never by a timer); a request
//! is answered against the latest text it was sent after. A request
//! cancelled before it is answered gets the protocol's RequestCancelled.

mod convert;
mod handlers;
mod host;
mod workspace;

use convert::Encoding;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{InitializeParams, PositionEncodingKind};
use std::collections::HashSet;
use workspace::Workspace;

/// Serves on stdin and stdout until the client says `exit`.
pub fn run_stdio() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join().map_err(|e| e.to_string())
}

/// Serves on a connection (stdio, or one in memory for tests): the
/// initialize handshake, then messages until `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let encoding = negotiate_encoding(&params);
    let result = serde_json::json!({
        "capabilities": handlers::capabilities(encoding),
        "serverInfo": { "name": "poolc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let explanations = explanations(&params);
    let mut server = Server {
        connection,
        workspace: Workspace::new(encoding, explanations),
        cancelled: HashSet::new(),
        shutting_down: false,
    };
    server.run()
}

/// UTF-8 columns when the client offers them, UTF-16 (the protocol's
/// default) otherwise.
fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// Where the diagnostics' codes are explained: `diagnosticsUrl` from the
/// client's initialization options, or docs/diagnostics.md (built into
/// poolc) written to the temporary folder.
fn explanations(params: &InitializeParams) -> Option<String> {
    let configured = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("diagnosticsUrl"))
        .and_then(|u| u.as_str());
    if let Some(url) = configured {
        return Some(url.to_string());
    }
    let path = std::env::temp_dir().join(format!(
        "poolc-{}-diagnostics.md",
        env!("CARGO_PKG_VERSION")
    ));
    let document = poolc::diagnostics::explain::DOCUMENT;
    if std::fs::read_to_string(&path).ok().as_deref() != Some(document) {
        std::fs::write(&path, document).ok()?;
    }
    Some(convert::uri_of(&path)?.as_str().to_string())
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
    /// Requests cancelled before they were answered.
    cancelled: HashSet<RequestId>,
    shutting_down: bool,
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), String> {
        loop {
            let Ok(first) = self.connection.receiver.recv() else {
                return Ok(());
            };
            // Everything already queued is one batch: its edits are
            // checked once, after all of them.
            let batch: Vec<Message> = std::iter::once(first)
                .chain(self.connection.receiver.try_iter())
                .collect();
            for message in &batch {
                if let Message::Notification(n) = message
                    && n.method == lsp_types::notification::Cancel::METHOD
                    && let Ok(params) =
                        serde_json::from_value::<lsp_types::CancelParams>(n.params.clone())
                {
                    self.cancelled.insert(match params.id {
                        lsp_types::NumberOrString::Number(n) => RequestId::from(n),
                        lsp_types::NumberOrString::String(s) => RequestId::from(s),
                    });
                }
            }
            for message in batch {
                match message {
                    Message::Request(request) => self.request(request)?,
                    Message::Notification(notification) => {
                        if notification.method == lsp_types::notification::Exit::METHOD {
                            return Ok(());
                        }
                        let cleared = handlers::notification(&mut self.workspace, notification);
                        self.send(cleared)?;
                    }
                    Message::Response(_) => {}
                }
            }
            self.publish()?;
        }
    }

    fn request(&mut self, request: Request) -> Result<(), String> {
        if self.cancelled.remove(&request.id) {
            return self.respond(Response::new_err(
                request.id,
                ErrorCode::RequestCanceled as i32,
                "cancelled".into(),
            ));
        }
        if request.method == <lsp_types::request::Shutdown as lsp_types::request::Request>::METHOD {
            self.shutting_down = true;
            return self.respond(Response::new_ok(request.id, ()));
        }
        if self.shutting_down {
            return self.respond(Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
        }
        // Answers reflect every edit received before the request.
        self.publish()?;
        let id = request.id.clone();
        let workspace = &self.workspace;
        let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handlers::request(workspace, request)
        }))
        .unwrap_or_else(|_| {
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "poolc failed on this request".into(),
            )
        });
        self.respond(response)
    }

    fn respond(&self, response: Response) -> Result<(), String> {
        self.connection
            .sender
            .send(Message::Response(response))
            .map_err(|e| e.to_string())
    }

    /// Checks what changed and publishes the diagnostics.
    fn publish(&mut self) -> Result<(), String> {
        if !self.workspace.is_dirty() {
            return Ok(());
        }
        let checked = self.workspace.check();
        self.send(checked)
    }

    fn send(&self, diagnostics: Vec<lsp_types::PublishDiagnosticsParams>) -> Result<(), String> {
        for params in diagnostics {
            let notification = Notification::new(
                lsp_types::notification::PublishDiagnostics::METHOD.into(),
                params,
            );
            self.connection
                .sender
                .send(Message::Notification(notification))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
