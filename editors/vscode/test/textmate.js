// Loads syntaxes/pool.tmLanguage.json into vscode-textmate with the
// oniguruma WebAssembly engine: the same engine VS Code uses.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'pool.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.pool') return null;
      return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR);
    },
  });
  return registry.loadGrammar('source.pool');
}

// [{ line, text, tokens: [{ start, end, scopes }] }] for a whole file.
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  return text.split(/\r\n|\n|\r/).map((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return {
      line: i,
      text: line,
      tokens: r.tokens.map((t) => ({ start: t.startIndex, end: t.endIndex, scopes: t.scopes })),
    };
  });
}

module.exports = { loadGrammar, tokenize };

if (require.main === module) {
  // node test/textmate.js FILE: print each token with its scopes.
  loadGrammar().then((g) => {
    for (const l of tokenize(g, fs.readFileSync(process.argv[2], 'utf8'))) {
      console.log(`${l.line + 1}: ${l.text}`);
      for (const t of l.tokens) {
        console.log(`   ${t.start}-${t.end} ${JSON.stringify(l.text.slice(t.start, t.end))} ${t.scopes.slice(1).join(' ')}`);
      }
    }
  });
}
