//! The protocol's requests and notifications, each answered from the
//! core's analysis (`poolc::ide`) of the freshest check that read the file.

use crate::convert::{Encoding, Lines, path_of, uri_of};
use crate::workspace::Workspace;
use lsp_server::{ErrorCode, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::*;
use poolc::Checked;
use poolc::ide;
use poolc::syntax::span::{FileId, Span};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

pub fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), "\"".into()]),
            ..Default::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: ide::TokenKind::ALL.map(token_type).to_vec(),
                    token_modifiers: vec![SemanticTokenModifier::DECLARATION],
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// Applies a notification; returns diagnostics to publish at once (those a
/// closed document leaves to clear).
pub fn notification(
    workspace: &mut Workspace,
    notification: Notification,
) -> Vec<PublishDiagnosticsParams> {
    match notification.method.as_str() {
        note::DidOpenTextDocument::METHOD => {
            if let Some(params) = params::<DidOpenTextDocumentParams>(notification.params)
                && let Some(path) = path_of(&params.text_document.uri)
            {
                let document = params.text_document;
                workspace.open(&path, document.version, document.text);
            }
        }
        note::DidChangeTextDocument::METHOD => {
            if let Some(mut params) = params::<DidChangeTextDocumentParams>(notification.params)
                && let Some(path) = path_of(&params.text_document.uri)
                && let Some(change) = params.content_changes.pop()
            {
                workspace.edit(&path, params.text_document.version, change.text);
            }
        }
        note::DidCloseTextDocument::METHOD => {
            if let Some(params) = params::<DidCloseTextDocumentParams>(notification.params)
                && let Some(path) = path_of(&params.text_document.uri)
            {
                return workspace.close(&path);
            }
        }
        note::DidSaveTextDocument::METHOD => {
            if let Some(params) = params::<DidSaveTextDocumentParams>(notification.params)
                && let Some(path) = path_of(&params.text_document.uri)
            {
                workspace.changed(&crate::host::canonical(&path));
            }
        }
        note::DidChangeWatchedFiles::METHOD => {
            if let Some(params) = params::<DidChangeWatchedFilesParams>(notification.params) {
                for change in params.changes {
                    if let Some(path) = path_of(&change.uri) {
                        workspace.changed(&crate::host::canonical(&path));
                    }
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

fn params<P: DeserializeOwned>(value: serde_json::Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

/// Answers a request.
pub fn request(workspace: &Workspace, request: Request) -> Response {
    let id = request.id.clone();
    let answer = match request.method.as_str() {
        req::HoverRequest::METHOD => answer(request, |p| hover(workspace, p)),
        req::Completion::METHOD => answer(request, |p| completion(workspace, p)),
        req::GotoDefinition::METHOD => answer(request, |p| definition(workspace, p)),
        req::References::METHOD => answer(request, |p| references(workspace, p)),
        req::PrepareRenameRequest::METHOD => answer(request, |p| prepare_rename(workspace, p)),
        req::Rename::METHOD => answer(request, |p| rename(workspace, p)),
        req::DocumentSymbolRequest::METHOD => answer(request, |p| symbols(workspace, p)),
        req::Formatting::METHOD => answer(request, |p| formatting(workspace, p)),
        req::FoldingRangeRequest::METHOD => answer(request, |p| folds(workspace, p)),
        req::InlayHintRequest::METHOD => answer(request, |p| inlay_hints(workspace, p)),
        req::SemanticTokensFullRequest::METHOD => answer(request, |p| tokens(workspace, p)),
        req::CodeActionRequest::METHOD => answer(request, |p| code_actions(workspace, p)),
        _ => Err((
            ErrorCode::MethodNotFound,
            format!("{} is not supported", request.method),
        )),
    };
    match answer {
        Ok(value) => Response::new_ok(id, value),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

fn answer<P: DeserializeOwned, R: Serialize>(
    request: Request,
    handler: impl FnOnce(P) -> Result<R, String>,
) -> Answer {
    let params: P = serde_json::from_value(request.params)
        .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
    let result = handler(params).map_err(|e| (ErrorCode::RequestFailed, e))?;
    serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// The check to answer from, the file in it, and its lines.
struct At<'w> {
    checked: &'w Checked,
    file: FileId,
    lines: Lines<'w>,
    encoding: Encoding,
}

impl<'w> At<'w> {
    fn of(workspace: &'w Workspace, uri: &Uri) -> Option<At<'w>> {
        let path = path_of(uri)?;
        let (checked, file) = workspace.analysis(&path)?;
        Some(At {
            checked,
            file,
            lines: Lines::new(&checked.sources.get(file).text, workspace.encoding),
            encoding: workspace.encoding,
        })
    }

    fn offset(&self, position: Position) -> u32 {
        self.lines.offset(position) as u32
    }

    fn range(&self, span: Span) -> Range {
        self.lines.range(span.start as usize, span.end as usize)
    }

    /// A span of any file of the check, as a location.
    fn location(&self, span: Span) -> Option<Location> {
        let source = self.checked.sources.get(span.file);
        let lines = Lines::new(&source.text, self.encoding);
        let range = lines.range(span.start as usize, span.end as usize);
        Some(Location::new(uri_of(&source.path)?, range))
    }
}

fn hover(workspace: &Workspace, params: HoverParams) -> Result<Option<Hover>, String> {
    let position = params.text_document_position_params;
    let Some(at) = At::of(workspace, &position.text_document.uri) else {
        return Ok(None);
    };
    let offset = at.offset(position.position);
    Ok(ide::hover(at.checked, at.file, offset).map(|hover| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(at.range(hover.span)),
    }))
}

fn completion(
    workspace: &Workspace,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, String> {
    let position = params.text_document_position;
    let Some(path) = path_of(&position.text_document.uri) else {
        return Ok(None);
    };
    let canonical = crate::host::canonical(&path);
    let Some(text) = workspace.texts.get(&canonical) else {
        return Ok(None);
    };
    let offset = Lines::new(text, workspace.encoding).offset(position.position);
    let items = ide::complete(text, offset, workspace.names(&path))
        .into_iter()
        .map(|c| CompletionItem {
            kind: Some(match c.kind {
                ide::CompletionKind::Field => CompletionItemKind::FIELD,
                ide::CompletionKind::Block => CompletionItemKind::STRUCT,
                ide::CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
                ide::CompletionKind::Let => CompletionItemKind::VARIABLE,
                ide::CompletionKind::Template => CompletionItemKind::CLASS,
                ide::CompletionKind::Function => CompletionItemKind::FUNCTION,
                ide::CompletionKind::Keyword => CompletionItemKind::KEYWORD,
            }),
            detail: c.detail,
            documentation: c.documentation.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            insert_text: c.insert,
            label: c.label,
            ..Default::default()
        })
        .collect();
    Ok(Some(CompletionResponse::Array(items)))
}

fn definition(
    workspace: &Workspace,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, String> {
    let position = params.text_document_position_params;
    let Some(at) = At::of(workspace, &position.text_document.uri) else {
        return Ok(None);
    };
    let target = ide::definition(at.checked, at.file, at.offset(position.position));
    Ok(target
        .and_then(|span| at.location(span))
        .map(GotoDefinitionResponse::Scalar))
}

/// References from every check that read the file: a `let` of an imported
/// file is used by every site that imports it.
fn references(
    workspace: &Workspace,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>, String> {
    let position = params.text_document_position;
    let Some(path) = path_of(&position.text_document.uri) else {
        return Ok(None);
    };
    let with_definition = params.context.include_declaration;
    let mut found: Vec<Location> = Vec::new();
    for (checked, file) in workspace.analyses(&path) {
        let text = &checked.sources.get(file).text;
        let offset = Lines::new(text, workspace.encoding).offset(position.position) as u32;
        let at = At {
            checked,
            file,
            lines: Lines::new(text, workspace.encoding),
            encoding: workspace.encoding,
        };
        for reference in ide::references(checked, file, offset, with_definition) {
            if let Some(location) = at.location(reference)
                && !found.contains(&location)
            {
                found.push(location);
            }
        }
    }
    Ok(Some(found))
}

fn prepare_rename(
    workspace: &Workspace,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, String> {
    let Some(at) = At::of(workspace, &params.text_document.uri) else {
        return Ok(None);
    };
    let span = ide::prepare_rename(at.checked, at.file, at.offset(params.position));
    Ok(span.map(|s| PrepareRenameResponse::Range(at.range(s))))
}

/// The rename's edits from every check that read the file, merged.
// The protocol's WorkspaceEdit maps URIs to edits; lsp-types' Uri caches
// parts of its parse in a Cell, which changes neither its hash nor equality.
#[allow(clippy::mutable_key_type)]
fn rename(workspace: &Workspace, params: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let position = params.text_document_position;
    let Some(path) = path_of(&position.text_document.uri) else {
        return Ok(None);
    };
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (checked, file) in workspace.analyses(&path) {
        let text = &checked.sources.get(file).text;
        let offset = Lines::new(text, workspace.encoding).offset(position.position) as u32;
        let edits = ide::rename(checked, file, offset, &params.new_name)?;
        for edit in edits {
            let source = checked.sources.get(edit.span.file);
            let Some(uri) = uri_of(&source.path) else {
                continue;
            };
            let lines = Lines::new(&source.text, workspace.encoding);
            let edit = TextEdit::new(
                lines.range(edit.span.start as usize, edit.span.end as usize),
                edit.text,
            );
            let edits = changes.entry(uri).or_default();
            if !edits.contains(&edit) {
                edits.push(edit);
            }
        }
    }
    Ok(Some(WorkspaceEdit::new(changes)))
}

fn symbols(
    workspace: &Workspace,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, String> {
    let Some(at) = At::of(workspace, &params.text_document.uri) else {
        return Ok(None);
    };
    let symbols = ide::symbols(at.checked, at.file);
    Ok(Some(DocumentSymbolResponse::Nested(
        symbols.iter().map(|s| symbol(&at, s)).collect(),
    )))
}

#[allow(deprecated)] // `deprecated` is a field the protocol still has.
fn symbol(at: &At, symbol: &ide::Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name.clone(),
        detail: symbol.detail.clone(),
        kind: match symbol.kind {
            ide::SymbolKind::Pool => lsp_types::SymbolKind::OBJECT,
            ide::SymbolKind::Template => lsp_types::SymbolKind::CLASS,
            ide::SymbolKind::Let => lsp_types::SymbolKind::VARIABLE,
            ide::SymbolKind::Import => lsp_types::SymbolKind::MODULE,
            ide::SymbolKind::Block => lsp_types::SymbolKind::STRUCT,
            ide::SymbolKind::Attribute => lsp_types::SymbolKind::FIELD,
        },
        tags: None,
        deprecated: None,
        range: at.range(symbol.span),
        selection_range: at.range(symbol.selection),
        children: (!symbol.children.is_empty()).then(|| {
            symbol
                .children
                .iter()
                .map(|c| self::symbol(at, c))
                .collect()
        }),
    }
}

/// The whole document in `poolc fmt`'s layout, as one edit; nothing when
/// it is already, or does not parse.
fn formatting(
    workspace: &Workspace,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, String> {
    let Some(path) = path_of(&params.text_document.uri) else {
        return Ok(None);
    };
    let Some(text) = workspace.texts.get(&crate::host::canonical(&path)) else {
        return Ok(None);
    };
    let Ok(formatted) = poolc::format(text) else {
        return Ok(None);
    };
    if formatted == *text {
        return Ok(Some(Vec::new()));
    }
    let lines = Lines::new(text, workspace.encoding);
    Ok(Some(vec![TextEdit::new(
        lines.range(0, text.len()),
        formatted,
    )]))
}

fn folds(
    workspace: &Workspace,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>, String> {
    let Some(at) = At::of(workspace, &params.text_document.uri) else {
        return Ok(None);
    };
    let mut ranges: Vec<FoldingRange> = Vec::new();
    for span in ide::folds(at.checked, at.file) {
        let range = at.range(span);
        if range.end.line > range.start.line
            && !ranges.iter().any(|r| r.start_line == range.start.line)
        {
            ranges.push(FoldingRange {
                start_line: range.start.line,
                end_line: range.end.line,
                ..Default::default()
            });
        }
    }
    Ok(Some(ranges))
}

fn inlay_hints(
    workspace: &Workspace,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>, String> {
    let Some(at) = At::of(workspace, &params.text_document.uri) else {
        return Ok(None);
    };
    let (start, end) = (at.offset(params.range.start), at.offset(params.range.end));
    Ok(Some(
        ide::inlay_hints(at.checked, at.file)
            .into_iter()
            .filter(|h| start <= h.offset && h.offset <= end)
            .map(|h| InlayHint {
                position: at.lines.position(h.offset as usize),
                label: InlayHintLabel::String(h.label),
                kind: Some(InlayHintKind::TYPE),
                text_edits: None,
                tooltip: h.tooltip.map(InlayHintTooltip::String),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    ))
}

/// A quick fix for each diagnostic in the range that has one.
fn code_actions(
    workspace: &Workspace,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>, String> {
    let Some(at) = At::of(workspace, &params.text_document.uri) else {
        return Ok(None);
    };
    let (start, end) = (at.offset(params.range.start), at.offset(params.range.end));
    let mut actions = Vec::new();
    for diagnostic in &at.checked.diagnostics {
        let span = diagnostic.primary.span;
        if span.file != at.file || span.end < start || span.start > end {
            continue;
        }
        let Some(fix) = &diagnostic.fix else { continue };
        let Some(edits) = ide::fix_edits(at.checked, fix) else {
            continue;
        };
        let Some(uri) = uri_of(&at.checked.sources.get(at.file).path) else {
            continue;
        };
        let edits = edits
            .into_iter()
            .map(|e| TextEdit::new(at.range(e.span), e.text))
            .collect();
        let relevant: Vec<Diagnostic> = params
            .context
            .diagnostics
            .iter()
            .filter(|d| d.range == at.range(span))
            .cloned()
            .collect();
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: fix.title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: (!relevant.is_empty()).then_some(relevant),
            edit: Some(WorkspaceEdit::new(HashMap::from([(uri, edits)]))),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    Ok(Some(actions))
}

fn token_type(kind: ide::TokenKind) -> SemanticTokenType {
    match kind {
        ide::TokenKind::Keyword => SemanticTokenType::KEYWORD,
        ide::TokenKind::Variable => SemanticTokenType::VARIABLE,
        ide::TokenKind::EnumMember => SemanticTokenType::ENUM_MEMBER,
        ide::TokenKind::Function => SemanticTokenType::FUNCTION,
        ide::TokenKind::Property => SemanticTokenType::PROPERTY,
        ide::TokenKind::Struct => SemanticTokenType::STRUCT,
        ide::TokenKind::Class => SemanticTokenType::CLASS,
        ide::TokenKind::Number => SemanticTokenType::NUMBER,
        ide::TokenKind::Comment => SemanticTokenType::COMMENT,
    }
}

/// The file's semantic tokens, each relative to the one before, as the
/// protocol encodes them.
fn tokens(
    workspace: &Workspace,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>, String> {
    let Some(at) = At::of(workspace, &params.text_document.uri) else {
        return Ok(None);
    };
    let mut data = Vec::new();
    let mut previous = Position::new(0, 0);
    for token in ide::tokens(at.checked, at.file) {
        let range = at.range(token.span);
        if range.start.line != range.end.line {
            continue;
        }
        let kind = ide::TokenKind::ALL.iter().position(|k| *k == token.kind);
        data.push(SemanticToken {
            delta_line: range.start.line - previous.line,
            delta_start: if range.start.line == previous.line {
                range.start.character - previous.character
            } else {
                range.start.character
            },
            length: range.end.character - range.start.character,
            token_type: kind.unwrap_or_default() as u32,
            token_modifiers_bitset: u32::from(token.definition),
        });
        previous = range.start;
    }
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}
