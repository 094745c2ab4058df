// The VS Code extension's client: it starts `poolc lsp` (the binary named
// by the `poolc.path` setting, or `poolc` on PATH) for .pool files with
// vscode-languageclient, and restarts it when the setting changes. The
// grammar, snippets and problem matcher are declared in package.json.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** The server's command: the configured binary, else `poolc` on PATH. */
function serverOptions(configuration) {
  const configured = (configuration.get('path') || '').trim();
  return {
    command: configured || 'poolc',
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
}

function clientOptions() {
  return {
    documentSelector: [{ scheme: 'file', language: 'pool' }],
    synchronize: {
      // Files a site reads change on disk: the server re-checks what read them.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*'),
    },
  };
}

async function start() {
  const configuration = vscode.workspace.getConfiguration('poolc');
  client = new LanguageClient('poolc', 'poolc', serverOptions(configuration), clientOptions());
  try {
    await client.start();
  } catch (error) {
    const binary = serverOptions(configuration).command;
    vscode.window.showErrorMessage(
      `poolc: cannot start the language server (${binary} lsp): ${error.message || error}. ` +
        'Install poolc, or set "poolc.path" to the binary.',
    );
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('poolc.path')) {
        await deactivate();
        await start();
      }
    }),
  );
  await start();
}

async function deactivate() {
  if (client) {
    const stopping = client;
    client = undefined;
    await stopping.stop().catch(() => {});
  }
}

module.exports = { activate, deactivate, serverOptions, clientOptions };
