//! The server over an in-memory connection, request by request, as an
//! editor drives it: each feature's response is snapshotted (insta, in
//! tests/snapshots/), with the fixture site (tests/fixtures/) copied to a
//! temporary folder whose URI is written `file:///SITE`.

mod support;

use insta::assert_snapshot;
use serde_json::{Value, json};
use support::Client;

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

/// A client with the site's two files open and their first diagnostics read.
fn site() -> Client {
    let mut client = Client::start(json!({}), |_| {});
    client.open("common.pool");
    client.open("site.pool");
    client.diagnostics("common.pool");
    client.diagnostics("site.pool");
    client
}

fn hover(client: &mut Client, needle: &str, shift: usize) -> String {
    let params = client.position_params("site.pool", needle, shift);
    let result = client.request("textDocument/hover", params);
    result["contents"]["value"]
        .as_str()
        .map_or_else(|| pretty(&result), String::from)
}

#[test]
fn initialize_announces_the_features() {
    let client = Client::start(json!({}), |_| {});
    assert_snapshot!(pretty(client.initialize_response.as_ref().unwrap()));
    client.shutdown();
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let capabilities = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let mut client = Client::start(capabilities, |_| {});
    let encoding =
        &client.initialize_response.as_ref().unwrap()["capabilities"]["positionEncoding"];
    assert_eq!(encoding, "utf-8");
    // "é" is two bytes and one UTF-16 unit: the unknown attribute after
    // it starts at byte column 30, character 29.
    let line = "  annotations = { a = \"é\" }, replicaz = 1";
    client.open_text(
        "site.pool",
        &format!("pool \"p\" {{\n  credentials external \"s\"\n{line}\n}}\n"),
    );
    let published = client.diagnostics("site.pool");
    let range = &published["diagnostics"][0]["range"];
    assert_eq!(line.find("replicaz"), Some(30));
    assert_eq!(
        range,
        &json!({"start": {"line": 2, "character": 30}, "end": {"line": 2, "character": 38}})
    );
    client.shutdown();
}

#[test]
fn diagnostics_on_open_have_ranges_codes_related_places_and_explanations() {
    let mut client = Client::start(json!({}), |_| {});
    client.open_text(
        "site.pool",
        "import \"common.pool\"\n\npool \"a\" extends \"base\" {\n  credentials external \"s\"\n  replicaz = 2\n}\n\npool \"a\" {\n  credentials external \"s\"\n}\n",
    );
    assert_snapshot!(pretty(&client.diagnostics("site.pool")));
    client.shutdown();
}

#[test]
fn an_edit_to_an_imported_file_rechecks_the_files_that_import_it() {
    let mut client = site();
    let common = client
        .text("common.pool")
        .replace("template \"base\"", "template \"basis\"");
    client.change("common.pool", 2, &common);
    let site = client.diagnostics("site.pool");
    let messages: Vec<&str> = site["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("no template named `base`")),
        "{messages:?}"
    );
    assert_snapshot!(pretty(&site));
    // Undoing the edit clears the error.
    let common = client.text("common.pool");
    client.change("common.pool", 3, &common);
    let site = client.diagnostics("site.pool");
    assert_eq!(site["diagnostics"], json!([]));
    client.shutdown();
}

/// Edits parse again only the items they change (the site's item cache):
/// after each, the diagnostics are those of a fresh server given the same
/// text.
#[test]
fn diagnostics_after_edits_are_those_of_a_fresh_check() {
    let pool = |name: &str, extra: &str| {
        format!("pool \"{name}\" {{\n  credentials external \"s\"\n{extra}}}\n\n")
    };
    let edits = [
        pool("a", "") + &pool("b", "  replicaz = 2\n"),
        pool("a", "  replicas = 3\n") + &pool("b", "  replicaz = 2\n"),
        // b moved up, a broken, then fixed.
        pool("b", "  replicaz = 2\n") + &pool("a", "  replicas = {\n"),
        pool("b", "  replicas = 2\n") + "let x = 1\n\n" + &pool("a", ""),
    ];
    let mut edited = Client::start(json!({}), |_| {});
    edited.open_text("site.pool", "");
    edited.diagnostics("site.pool");
    for (version, text) in edits.iter().enumerate() {
        edited.change("site.pool", version as i32 + 2, text);
        let after_edit = edited.diagnostics("site.pool");
        let mut fresh = Client::start(json!({}), |_| {});
        fresh.open_text("site.pool", text);
        let fresh_check = fresh.diagnostics("site.pool");
        assert_eq!(
            after_edit["diagnostics"], fresh_check["diagnostics"],
            "{text}"
        );
        fresh.shutdown();
    }
    edited.shutdown();
}

#[test]
fn hover_explains_fields_settings_kubernetes_fields_literals_and_definitions() {
    let mut client = site();
    let hovers = [
        ("replicas", 0),
        ("debug", 0),
        ("labels", 0),
        ("\"base\"", 1),
        ("= token", 2),
        ("env(", 0),
        ("\"common.pool\"", 1),
    ]
    .map(|(needle, shift)| format!("--- {needle}\n{}", hover(&mut client, needle, shift)));
    assert_snapshot!(hovers.join("\n\n"));
    client.shutdown();
}

#[test]
fn hover_in_an_imported_file_explains_kubernetes_fields_and_literals() {
    let mut client = site();
    let mut hovers = Vec::new();
    for (needle, shift) in [
        ("requests", 0),
        ("cpu", 0),
        ("500m", 0),
        ("120m", 0),
        ("run_timeout", 0),
        ("operator", 0),
        ("statefulset", 0),
        ("registry}", 0),
    ] {
        let params = client.position_params("common.pool", needle, shift);
        let result = client.request("textDocument/hover", params);
        let text = result["contents"]["value"]
            .as_str()
            .unwrap_or("(none)")
            .to_string();
        hovers.push(format!("--- {needle}\n{text}"));
    }
    assert_snapshot!(hovers.join("\n\n"));
    client.shutdown();
}

#[test]
fn hover_never_shows_a_secret() {
    let mut client = site();
    for needle in ["let token", "= token", "\"not-a-real", "PROD_KEY"] {
        let text = hover(&mut client, needle, 2);
        assert!(!text.contains("not-a-real-token"), "{needle}: {text}");
    }
    client.shutdown();
}

/// The labels a completion at the end of `text` offers.
fn completions(client: &mut Client, version: i32, text: &str) -> Vec<String> {
    client.change("site.pool", version, text);
    let end = json!({ "line": text.matches('\n').count(), "character": text.rsplit('\n').next().unwrap().encode_utf16().count() });
    let uri = client.uri("site.pool");
    let result = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": end }),
    );
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_what_is_valid_at_the_cursor() {
    let mut client = site();
    let head = "import \"common.pool\"\nlet size = 10Gi\n";
    let cases = [
        ("top level", head.to_string()),
        ("after a pool's name", format!("{head}pool \"p\" ")),
        ("after extends", format!("{head}pool \"p\" extends ")),
        ("a pool's fields", format!("{head}pool \"p\" {{\n  ")),
        ("a field being typed", format!("{head}pool \"p\" {{\n  rep")),
        (
            "workload values",
            format!("{head}pool \"p\" {{\n  workload = "),
        ),
        (
            "launcher fields",
            format!("{head}pool \"p\" {{\n  launcher {{\n    "),
        ),
        (
            "pull policies",
            format!("{head}pool \"p\" {{\n  launcher {{\n    pull_policy = "),
        ),
        ("storage kinds", format!("{head}pool \"p\" {{\n  storage ")),
        (
            "claim fields",
            format!("{head}pool \"p\" {{\n  storage claim {{\n    "),
        ),
        (
            "Kubernetes fields",
            format!("{head}pool \"p\" {{\n  launcher {{\n    resources = {{\n      "),
        ),
        (
            "toleration fields",
            format!("{head}pool \"p\" {{\n  tolerations = [{{ "),
        ),
        (
            "toleration operators",
            format!("{head}pool \"p\" {{\n  tolerations = [{{ operator = "),
        ),
        ("in a call", format!("{head}let x = base64(")),
    ];
    let mut out = Vec::new();
    for (version, (name, text)) in cases.iter().enumerate() {
        let labels = completions(&mut client, version as i32 + 2, text);
        out.push(format!("--- {name}\n{}", labels.join(" ")));
    }
    assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn completion_items_carry_types_and_documentation() {
    let mut client = site();
    let text = "pool \"p\" {\n  launcher {\n    run_t";
    client.change("site.pool", 2, text);
    let uri = client.uri("site.pool");
    let result = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 9 } }),
    );
    assert_snapshot!(pretty(&result));
    client.shutdown();
}

#[test]
fn definition_of_a_template_across_an_import_a_let_and_an_import() {
    let mut client = site();
    let mut out = Vec::new();
    for (needle, shift) in [("\"base\"", 1), ("= token", 2), ("\"common.pool\"", 1)] {
        let params = client.position_params("site.pool", needle, shift);
        let result = client.request("textDocument/definition", params);
        out.push(format!("--- {needle}\n{}", pretty(&result)));
    }
    let params = client.position_params("common.pool", "registry}", 0);
    let result = client.request("textDocument/definition", params);
    out.push(format!("--- registry in common.pool\n{}", pretty(&result)));
    assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn references_and_rename_reach_every_file_of_the_site() {
    let mut client = site();
    let mut params = client.position_params("common.pool", "template \"base\"", 11);
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", params);
    let prepare = client.request(
        "textDocument/prepareRename",
        client.position_params("site.pool", "\"base\"", 1),
    );
    let mut params = client.position_params("site.pool", "\"base\"", 1);
    params["newName"] = json!("foundation");
    let rename = client.request("textDocument/rename", params);
    let mut params = client.position_params("site.pool", "= token", 2);
    params["newName"] = json!("pool");
    let refused = client.request("textDocument/rename", params);
    assert_snapshot!(format!(
        "--- references\n{}\n--- prepareRename\n{}\n--- rename\n{}\n--- rename to a keyword\n{}",
        pretty(&references),
        pretty(&prepare),
        pretty(&sorted_edits(rename)),
        pretty(&refused)
    ));
    client.shutdown();
}

/// A workspace edit with its files in order.
fn sorted_edits(edit: Value) -> Value {
    let changes = edit["changes"].as_object().cloned().unwrap_or_default();
    let sorted: std::collections::BTreeMap<String, Value> = changes.into_iter().collect();
    json!({ "changes": sorted })
}

#[test]
fn symbols_folds_hints_and_formatting() {
    let mut client = site();
    let uri = client.uri("common.pool");
    let document = json!({ "textDocument": { "uri": uri } });
    let symbols = client.request("textDocument/documentSymbol", document.clone());
    let folds = client.request("textDocument/foldingRange", document.clone());
    let all =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } });
    let hints = client.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri }, "range": all }),
    );
    let inherited = client.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": client.uri("site.pool") }, "range": all }),
    );
    let unformatted = "pool \"p\" {\n      replicas=1\n  credentials external \"s\" }\n";
    client.change("site.pool", 2, unformatted);
    let mut formatting = json!({ "textDocument": { "uri": client.uri("site.pool") } });
    formatting["options"] = json!({ "tabSize": 2, "insertSpaces": true });
    let formatted = client.request("textDocument/formatting", formatting);
    assert_snapshot!(format!(
        "--- symbols\n{}\n--- folds\n{}\n--- inlay hints\n{}\n--- inlay hints: an inherited \
        target\n{}\n--- formatting\n{}",
        pretty(&symbols),
        pretty(&folds),
        pretty(&hints),
        pretty(&inherited),
        pretty(&formatted)
    ));
    client.shutdown();
}

#[test]
fn quick_fixes_apply_the_diagnostics_fixes() {
    let mut client = Client::start(json!({}), |_| {});
    let text = "let tok = file(\"token.txt\")\npool \"p\" {\n  replicaz = 2\n  workload = statefulsett\n  labels = { on = true }\n  tolerations = [{ key = \"k\", operator = \"Exist\" }]\n  volumes = [{ name = \"v\", secret = { secretName = \"s\", defaultMode = 0644 } }]\n  credentials {\n    token = tok\n    private_key = \"\"\n  }\n}\n";
    std::fs::write(client.path("token.txt"), "abc def\n").unwrap();
    client.open_text("site.pool", text);
    let published = client.diagnostics("site.pool");
    let uri = client.uri("site.pool");
    let all =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 20, "character": 0 } });
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": all, "context": { "diagnostics": published["diagnostics"] } }),
    );
    let summary: Vec<Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| json!({ "title": a["title"], "edits": a["edit"]["changes"]["file:///SITE/site.pool"], "diagnostics": a["diagnostics"].as_array().map(|d| d.len()) }))
        .collect();
    assert_snapshot!(pretty(&Value::Array(summary)));
    client.shutdown();
}

#[test]
fn a_cancelled_request_is_answered_as_cancelled() {
    let mut id = None;
    let mut client = Client::start(json!({}), |client| {
        client.open("site.pool");
        let params = client.position_params("site.pool", "replicas", 0);
        id = Some(client.send_request("textDocument/hover", params));
        client.notify("$/cancelRequest", json!({ "id": 2 }));
    });
    let answer = client.response(id.unwrap());
    assert_eq!(answer["code"], -32800, "{answer}");
    // The server goes on: the next request is answered.
    let params = client.position_params("site.pool", "replicas", 0);
    let hover = client.request("textDocument/hover", params);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("replicas")
    );
    client.shutdown();
}

#[test]
fn requests_on_a_closed_or_unknown_file_are_answered() {
    let mut client = site();
    let uri = client.uri("site.pool");
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let cleared = client.diagnostics("site.pool");
    assert_eq!(cleared["diagnostics"], json!([]));
    let params = json!({ "textDocument": { "uri": "file:///nowhere/x.pool" }, "position": { "line": 0, "character": 0 } });
    assert_eq!(
        client.request("textDocument/hover", params.clone()),
        Value::Null
    );
    assert_eq!(
        client.request("textDocument/definition", params),
        Value::Null
    );
    let unknown = client.request("workspace/unknownThing", json!({}));
    assert_eq!(unknown["code"], -32601);
    client.shutdown();
}

#[test]
fn semantic_tokens_tell_lets_from_keyword_values() {
    let mut client = site();
    let uri = client.uri("common.pool");
    let legend = client.initialize_response.as_ref().unwrap()["capabilities"]
        ["semanticTokensProvider"]["legend"]["tokenTypes"]
        .clone();
    let result = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let text = client.text("common.pool");
    let lines: Vec<&str> = text.lines().collect();
    let data: Vec<u64> = result["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    let (mut line, mut column) = (0, 0);
    let mut shown = Vec::new();
    for token in data.chunks(5) {
        line += token[0] as usize;
        column = if token[0] == 0 {
            column + token[1] as usize
        } else {
            token[1] as usize
        };
        let written = &lines[line][column..column + token[2] as usize];
        let kind = legend[token[3] as usize].as_str().unwrap();
        let definition = if token[4] == 1 { " (definition)" } else { "" };
        shown.push(format!(
            "{}:{column} {written:?} {kind}{definition}",
            line + 1
        ));
    }
    assert_snapshot!(shown.join("\n"));
    client.shutdown();
}
