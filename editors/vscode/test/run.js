#!/usr/bin/env node
// Tests of the VS Code extension, run by editors/test.sh (`npm test`):
//
//  1. vscode-tmgrammar-test: the scope assertions of the highlight fixture
//     (editors/fixtures/all-constructs.pool) and of test/*.test.pool;
//  2. every .pool file of the repository tokenizes without an
//     invalid.illegal scope, and passes generic scope assertions (keywords,
//     attribute names, block types and labels, comments, numbers), and the
//     grammar is back at the top level at the end of the file;
//  3. the problem matcher of package.json reads real `poolc check
//     --message-format short` output (POOLC, the binary) as poolc's JSON
//     output describes the same diagnostics;
//  4. the manifest: every file it names exists, every include of the grammar
//     resolves, snippets and the language configuration are well formed;
//  5. the client (extension.js, with a stand-in `vscode` module): it starts
//     `poolc lsp`, the binary of the poolc.path setting or poolc on PATH,
//     for .pool files;
//  6. the language server through the client's own protocol library
//     (vscode-jsonrpc): it publishes the diagnostics of the fixture's
//     bad.pool at the places poolc's JSON output gives;
//  7. `vsce package` builds the .vsix without a prompt, with the client and
//     its dependencies and without the tests.
//
// Prints `N passed, N failed` and exits 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { loadGrammar, tokenize } = require('./textmate');

const EXT = path.join(__dirname, '..');
const EDITORS = path.join(EXT, '..');
const REPO = path.join(EDITORS, '..');

let passed = 0;
const failures = [];
function check(ok, message) {
  if (ok) passed++;
  else failures.push(message);
}

// ---- 1. vscode-tmgrammar-test -------------------------------------------------
function runTmGrammarTest() {
  const cases = [path.join(EDITORS, 'fixtures', 'all-constructs.pool')].concat(
    fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.pool') || f.endsWith('.test')).map((f) => path.join(__dirname, f)),
  );
  const cli = require.resolve('vscode-tmgrammar-test/dist/unit.js');
  const r = spawnSync(process.execPath, [cli, '--compact', '-g', path.join(EXT, 'syntaxes', 'pool.tmLanguage.json'), ...cases], {
    cwd: EXT,
    encoding: 'utf8',
  });
  const out = (r.stdout + r.stderr).trim();
  console.log(out);
  check(r.status === 0, `vscode-tmgrammar-test failed (exit ${r.status}):\n${out}`);
  check(cases.length >= 2, `only ${cases.length} scope-assertion files`);
}

// ---- 2. every .pool file of the repository ------------------------------------
function poolFiles(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'target' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      poolFiles(p, out);
    } else if (entry.name.endsWith('.pool')) {
      out.push(p);
    }
  }
  return out;
}

const KEYWORDS = ['let', 'import', 'pool', 'template', 'extends'];

function scopesAt(line, col) {
  const t = line.tokens.find((t) => t.start <= col && col < t.end);
  return t ? t.scopes : [];
}

function checkFile(grammar, file) {
  const rel = path.relative(REPO, file);
  const text = fs.readFileSync(file, 'utf8');
  const lines = tokenize(grammar, text);
  const problems = [];
  let asserted = 0;
  const expect = (line, col, scope, what) => {
    asserted++;
    const scopes = scopesAt(line, col);
    if (!scopes.some((s) => s === scope || s.startsWith(scope + '.'))) {
      problems.push(`${rel}:${line.line + 1}:${col + 1}: ${what}: expected ${scope}, got ${scopes.join(' ')}`);
    }
  };
  // Heredoc bodies, found independently of the grammar, hold free text.
  let heredocTag = null;
  for (const line of lines) {
    for (const t of line.tokens) {
      const bad = t.scopes.find((s) => s.startsWith('invalid'));
      if (bad) problems.push(`${rel}:${line.line + 1}:${t.start + 1}: ${bad} on ${JSON.stringify(line.text.slice(t.start, t.end))}`);
    }
    const s = line.text;
    if (heredocTag !== null) {
      if (new RegExp(`^[ \\t]*${heredocTag}[ \\t]*$`).test(s)) {
        expect(line, s.indexOf(heredocTag), 'keyword.operator.heredoc', 'heredoc end');
        heredocTag = null;
      } else if (s.trim() !== '') {
        expect(line, s.search(/\S/), 'string.unquoted.heredoc', 'heredoc text');
      }
      continue;
    }
    let m;
    if ((m = /^\s*(let|import|pool|template)(?![\w-])/.exec(s))) {
      expect(line, s.indexOf(m[1]), `keyword.other.${m[1]}`, `the keyword ${m[1]}`);
    }
    if ((m = /^(\s*)([A-Za-z_][\w-]*)\s*=/.exec(s))) {
      expect(line, m[1].length, 'entity.other.attribute-name', `the attribute ${m[2]}`);
    }
    if ((m = /^(\s*)("(?:[^"\\]|\\.)*")\s*=/.exec(s))) {
      expect(line, m[1].length, 'string.quoted.double', 'a quoted key');
    }
    if ((m = /^(\s*)([A-Za-z_][\w-]*)\s*\{/.exec(s)) && !KEYWORDS.includes(m[2])) {
      expect(line, m[1].length, 'entity.name.type.block', `the block ${m[2]}`);
    }
    if ((m = /^(\s*)([A-Za-z_][\w-]*)(\s+)([A-Za-z_][\w-]*)\s*(?:\{|"|#|\/\/|$)/.exec(s)) && !KEYWORDS.includes(m[2])) {
      expect(line, m[1].length, 'entity.name.type.block', `the block ${m[2]}`);
      expect(line, m[1].length + m[2].length + m[3].length, 'entity.name.label', `the label ${m[4]}`);
    }
    if ((m = /^(\s*)(#|\/\/)/.exec(s))) {
      expect(line, m[1].length, 'comment.line', 'a comment');
    }
    if ((m = /^(.*?=\s*)(-?[0-9][\w.]*)\s*(?:,|\}|$|#)/.exec(s)) && !m[1].includes('"')) {
      expect(line, m[1].length, 'constant.numeric', `the number ${m[2]}`);
    }
    if ((m = /^(.*?=\s*)(true|false)\s*(?:,|\}|$|#)/.exec(s)) && !m[1].includes('"')) {
      expect(line, m[1].length, 'constant.language.boolean', `the boolean ${m[2]}`);
    }
    if ((m = /<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*$/.exec(s))) {
      expect(line, m.index, 'keyword.operator.heredoc', 'heredoc start');
      heredocTag = m[1];
    }
  }
  // Nothing left open: a keyword after the file is at the top level.
  const end = tokenize(grammar, text.replace(/\n?$/, '\npool'));
  const probe = end[end.length - 1];
  asserted++;
  if (probe.tokens[0].scopes.join(' ') !== 'source.pool keyword.other.pool.pool') {
    problems.push(`${rel}: the grammar does not return to the top level at the end: ${probe.tokens[0].scopes.join(' ')}`);
  }
  return { problems, asserted };
}

async function checkRepositoryFiles() {
  const grammar = await loadGrammar();
  // Syntax errors on purpose: the snapshot inputs and the secret-leak cases.
  const broken = ['tests/snapshot/inputs/syntax/', 'tests/secrets/cases/syntax/'];
  const files = poolFiles(REPO, []).filter((f) => {
    const rel = path.relative(REPO, f).split(path.sep).join('/');
    return !broken.some((dir) => rel.startsWith(dir));
  });
  check(files.length >= 40, `only ${files.length} .pool files found under ${REPO}`);
  let asserted = 0;
  for (const f of files) {
    const r = checkFile(grammar, f);
    asserted += r.asserted;
    if (r.problems.length) failures.push(...r.problems.slice(0, 5));
    else passed++;
  }
  console.log(`every .pool file: ${files.length} files, ${asserted} generic scope assertions`);
}

// ---- 3. the problem matcher ------------------------------------------------------
function checkProblemMatcher() {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
  const matcher = manifest.contributes.problemMatchers.find((m) => m.name === 'poolc');
  check(matcher !== undefined, 'package.json has no problem matcher named poolc');
  if (!matcher) return;
  const poolc = process.env.POOLC;
  check(Boolean(poolc), 'POOLC (the poolc binary) is not set');
  if (!poolc) return;
  const cwd = path.join(EDITORS, 'fixtures');
  const run = (format) => {
    const r = spawnSync(poolc, ['check', '--color', 'never', '--message-format', format, 'bad.pool'], { cwd, encoding: 'utf8' });
    check(r.status === 1, `poolc check --message-format ${format} bad.pool exited ${r.status}, expected 1`);
    return (r.stdout + r.stderr).split('\n').filter((l) => l.trim() !== '');
  };
  const json = run('json').map((l) => JSON.parse(l));
  const short = run('short');
  const re = new RegExp(matcher.pattern.regexp);
  const p = matcher.pattern;
  check(json.length >= 3 && json.some((d) => d.severity === 'warning'), `bad.pool: expected errors and a warning, got ${JSON.stringify(json)}`);
  check(short.length === json.length, `${short.length} short lines for ${json.length} diagnostics:\n${short.join('\n')}`);
  json.forEach((d, i) => {
    const m = re.exec(short[i] || '');
    if (!m) {
      failures.push(`the problem matcher does not match ${JSON.stringify(short[i])}`);
      return;
    }
    const got = { file: m[p.file], line: Number(m[p.line]), column: Number(m[p.column]), severity: m[p.severity], message: m[p.message], code: m[p.code] };
    // The short form's message is the message, the primary label and the help.
    let message = d.message;
    if (d.span.text) message += `: ${d.span.text}`;
    if (d.help) message += `; help: ${d.help.split(/\s+/).join(' ')}`;
    const want = { file: d.file, line: d.span.line, column: d.span.column, severity: d.severity, message, code: d.code };
    check(JSON.stringify(got) === JSON.stringify(want), `problem matcher: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  });
  console.log(`problem matcher: ${json.length} diagnostics of bad.pool`);
}

// ---- 4. the manifest ------------------------------------------------------------
function checkManifest() {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
  const c = manifest.contributes;
  const files = [
    ...c.languages.map((l) => l.configuration),
    ...c.grammars.map((g) => g.path),
    ...c.snippets.map((s) => s.path),
  ];
  for (const f of files) check(fs.existsSync(path.join(EXT, f)), `package.json names ${f}, which does not exist`);
  check(c.languages[0].extensions.includes('.pool'), 'the language is not bound to .pool');
  check(c.grammars[0].scopeName === 'source.pool', 'the grammar scope is not source.pool');

  const grammar = JSON.parse(fs.readFileSync(path.join(EXT, c.grammars[0].path), 'utf8'));
  check(grammar.scopeName === 'source.pool', `the grammar's scopeName is ${grammar.scopeName}`);
  const includes = JSON.stringify(grammar).match(/"include":"#[^"]+"/g) || [];
  for (const inc of includes) {
    const name = inc.slice('"include":"#'.length, -1);
    check(name in grammar.repository, `the grammar includes #${name}, which its repository lacks`);
  }

  const config = JSON.parse(fs.readFileSync(path.join(EXT, c.languages[0].configuration), 'utf8'));
  check(config.comments.lineComment === '#', 'the line comment is not #');
  for (const key of ['brackets', 'autoClosingPairs', 'surroundingPairs', 'folding', 'indentationRules']) {
    check(key in config, `language-configuration.json has no ${key}`);
  }
  const inc = new RegExp(config.indentationRules.increaseIndentPattern);
  const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
  check(inc.test('pool "a" {') && inc.test('  env = [') && !inc.test('  x = { a = 1 }') && !inc.test('# {'), 'increaseIndentPattern');
  check(dec.test('  }') && dec.test(']') && !dec.test('  x = 1'), 'decreaseIndentPattern');

  const snippets = JSON.parse(fs.readFileSync(path.join(EXT, c.snippets[0].path), 'utf8'));
  const prefixes = Object.values(snippets).map((s) => s.prefix);
  for (const want of ['pool', 'template', 'credentials', 'storage']) {
    check(prefixes.includes(want), `no snippet with the prefix ${want}`);
  }
  for (const [name, s] of Object.entries(snippets)) {
    check(typeof s.prefix === 'string' && Array.isArray(s.body) && s.description, `snippet ${name} is incomplete`);
  }
  console.log(`manifest: ${files.length} files, ${includes.length} includes, ${prefixes.length} snippets`);
}

// ---- 5. the client ----------------------------------------------------------------
function checkExtension() {
  const Module = require('module');
  const load = Module._load;
  const watched = [];
  // Whatever the client library reads of `vscode` at load time exists.
  const anything = new Proxy(function () {}, {
    get: (target, key) => (key === 'prototype' ? {} : anything),
    apply: () => anything,
    construct: () => anything,
  });
  const stub = new Proxy(
    { workspace: { createFileSystemWatcher: (glob) => (watched.push(glob), { glob }) } },
    { get: (target, key) => (key in target ? target[key] : anything) },
  );
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  let extension;
  try {
    extension = require(path.join(EXT, 'extension.js'));
  } finally {
    Module._load = load;
  }
  const settings = (value) => ({ get: (key) => (key === 'path' ? value : undefined) });
  const onPath = extension.serverOptions(settings(''));
  check(onPath.command === 'poolc' && JSON.stringify(onPath.args) === '["lsp"]', `without a path: ${JSON.stringify(onPath)}`);
  const configured = extension.serverOptions(settings(' /opt/poolc/bin/poolc '));
  check(configured.command === '/opt/poolc/bin/poolc', `with a path: ${JSON.stringify(configured)}`);
  const options = extension.clientOptions();
  check(options.documentSelector.some((s) => s.language === 'pool'), 'the client does not select .pool documents');
  check(watched.length === 1, 'the client watches no files');
  const manifest = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
  check(manifest.main === './extension.js' && manifest.activationEvents.includes('onLanguage:pool'), 'the manifest does not start the client on .pool files');
  check('poolc.path' in manifest.contributes.configuration.properties, 'no poolc.path setting');
  console.log('client: starts poolc lsp');
}

// ---- 6. the language server through vscode-jsonrpc ---------------------------------
async function checkLanguageServer() {
  const poolc = process.env.POOLC;
  if (!poolc) return;
  const rpc = require('vscode-jsonrpc/node');
  const child = require('child_process').spawn(poolc, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const file = path.join(EDITORS, 'fixtures', 'bad.pool');
  const uri = require('url').pathToFileURL(file).href;
  const published = new Promise((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      if (params.uri === uri) resolve(params.diagnostics);
    });
  });
  connection.listen();
  const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms));
  try {
    const init = await Promise.race([connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }), timeout(30000)]);
    check(init.capabilities.hoverProvider === true, 'the server does not hover');
    connection.sendNotification('initialized', {});
    connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'pool', version: 1, text: fs.readFileSync(file, 'utf8') },
    });
    const diagnostics = await Promise.race([published, timeout(30000)]);
    const r = spawnSync(poolc, ['check', '--color', 'never', '--message-format', 'json', 'bad.pool'], { cwd: path.dirname(file), encoding: 'utf8' });
    const want = (r.stdout + r.stderr).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    check(diagnostics.length === want.length, `${diagnostics.length} diagnostics from the server, ${want.length} from poolc check`);
    want.forEach((d, i) => {
      const got = diagnostics[i] || { range: { start: {} } };
      const place = { line: got.range.start.line + 1, column: got.range.start.character + 1, code: got.code, severity: got.severity === 1 ? 'error' : 'warning' };
      const expected = { line: d.span.line, column: d.span.column, code: d.code, severity: d.severity };
      check(JSON.stringify(place) === JSON.stringify(expected), `server: ${JSON.stringify(place)}, poolc check: ${JSON.stringify(expected)}`);
      check((got.message || '').startsWith(d.message), `server message ${JSON.stringify(got.message)}`);
    });
    await Promise.race([connection.sendRequest('shutdown'), timeout(30000)]);
    connection.sendNotification('exit');
    console.log(`language server: ${diagnostics.length} diagnostics of bad.pool`);
  } catch (e) {
    failures.push(`language server: ${e.stack || e}`);
  } finally {
    connection.dispose();
    child.kill();
  }
}

// ---- 7. vsce package -----------------------------------------------------------------
function checkPackage() {
  const out = path.join(require('os').tmpdir(), `poolc-pool-${process.pid}.vsix`);
  const vsce = require.resolve('@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--out', out], { cwd: EXT, encoding: 'utf8', input: '' });
  check(r.status === 0, `vsce package failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  if (r.status !== 0) return;
  const listing = spawnSync(process.execPath, [vsce, 'ls'], { cwd: EXT, encoding: 'utf8' }).stdout.split('\n');
  fs.rmSync(out, { force: true });
  for (const want of ['extension.js', 'package.json', 'LICENSE', 'syntaxes/pool.tmLanguage.json', 'node_modules/vscode-languageclient/node.js']) {
    check(listing.includes(want), `the package lacks ${want}`);
  }
  check(!listing.some((f) => f.startsWith('test/')), 'the package includes the tests');
  check(!listing.some((f) => f.startsWith('node_modules/@vscode/vsce/')), 'the package includes vsce');
  console.log(`package: ${listing.filter((l) => l).length} files`);
}

(async () => {
  try {
    runTmGrammarTest();
    await checkRepositoryFiles();
    checkProblemMatcher();
    checkManifest();
    checkExtension();
    await checkLanguageServer();
    checkPackage();
  } catch (e) {
    failures.push(`exception: ${e.stack || e}`);
  }
  for (const f of failures) console.log(`FAIL: ${f}`);
  console.log(`vscode: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
})();
