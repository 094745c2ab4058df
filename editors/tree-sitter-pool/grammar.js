/**
 * @file Tree-sitter grammar for the .pool language (poolc).
 *
 * It follows grammar/pool.pest, the single source of truth for the syntax,
 * rule for rule where it can: newlines are tokens (entries are separated by a
 * newline or a comma), spaces, tabs and comments are extras. Heredocs, whose
 * closing tag must repeat the opening one, come from the external scanner in
 * src/scanner.c.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// A newline: "\n", "\r\n" or "\r", as pest's NEWLINE.
const NEWLINE = /\r?\n|\r/;

/** `rule` separated by `sep`, at least once. */
function sep1(rule, sep) {
  return seq(rule, repeat(seq(sep, rule)));
}

module.exports = grammar({
  name: 'pool',

  extras: $ => [/[ \t\uFEFF]/, $.comment],

  externals: $ => [
    $.heredoc_start,
    $.heredoc_content,
    $.heredoc_end,
  ],

  word: $ => $.identifier,

  // Keywords cannot be names (pest: ident = !keyword ~ ...).
  reserved: {
    global: _ => ['let', 'import', 'pool', 'template', 'extends', 'true', 'false'],
  },

  rules: {
    // file = { SOI ~ NEWLINE* ~ (item ~ (NEWLINE+ ~ item)*)? ~ NEWLINE* ~ EOI }
    source_file: $ => seq(
      optional($._newlines),
      optional(seq(sep1($._item, $._newlines), optional($._newlines))),
    ),

    _newlines: _ => repeat1(token(NEWLINE)),

    _item: $ => choice($.let, $.import, $.pool, $.template),

    let: $ => seq('let', field('name', $.identifier), '=', field('value', $._expression)),
    import: $ => seq('import', field('path', $.string)),
    pool: $ => seq(
      'pool',
      field('name', $.string),
      optional($.extends),
      field('body', $.body),
    ),
    template: $ => seq(
      'template',
      field('name', $.string),
      optional($.extends),
      field('body', $.body),
    ),
    extends: $ => seq('extends', field('template', $.string)),

    // sep = _{ "," ~ NEWLINE* | NEWLINE+ }
    _separator: $ => choice(seq(',', optional($._newlines)), $._newlines),

    // body = { "{" ~ NEWLINE* ~ (entry ~ (sep ~ entry)* ~ sep?)? ~ "}" }
    body: $ => seq(
      '{',
      optional($._newlines),
      optional(seq(sep1($._entry, $._separator), optional($._separator))),
      '}',
    ),

    _entry: $ => choice($.attribute, $.block),

    attribute: $ => seq(
      field('key', choice($.identifier, $.string)),
      '=',
      field('value', $._expression),
    ),

    // block = { ident ~ (label+ ~ body? | body) }
    block: $ => seq(
      field('type', $.identifier),
      choice(
        seq(repeat1(field('label', $._label)), optional(field('body', $.body))),
        field('body', $.body),
      ),
    ),

    _label: $ => choice($.string, alias($.identifier, $.label)),

    // ---- expressions --------------------------------------------------------
    _expression: $ => choice(
      $.heredoc,
      $.string,
      $.number,
      $.list,
      $.object,
      $.call,
      $.bool,
      $.identifier,
    ),

    bool: _ => choice('true', 'false'),

    // Inside [...] and (...) newlines are free.
    list: $ => seq('[', optional($._items), ']'),

    object: $ => seq(
      '{',
      optional($._newlines),
      optional(seq(sep1($.attribute, $._separator), optional($._separator))),
      '}',
    ),

    call: $ => seq(
      field('function', $.identifier),
      '(',
      optional(alias($._items, $.arguments)),
      ')',
    ),

    _items: $ => choice(
      $._newlines,
      seq(
        optional($._newlines),
        sep1(seq($._expression, optional($._newlines)), seq(',', optional($._newlines))),
        optional(seq(',', optional($._newlines))),
      ),
    ),

    identifier: _ => /[A-Za-z_][A-Za-z0-9_-]*/,

    // One token for every number-like literal: 4, -1, 1.5, 500m, 100Gi, 1e3,
    // 2h, 1h30m (pest: number).
    number: _ => /-?[0-9]([eE][+-]|[A-Za-z0-9.µ])*/,

    // ---- strings -------------------------------------------------------------
    string: $ => seq(
      '"',
      repeat(choice(
        $.string_content,
        alias(token.immediate('$'), $.string_content),
        $.escape_sequence,
        $.literal_dollar,
        $.interpolation,
      )),
      token.immediate('"'),
    ),

    string_content: _ => token.immediate(prec(1, /[^"\\$\r\n]+/)),

    // Any backslash sequence parses; poolc reports the unknown ones.
    escape_sequence: _ => token.immediate(prec(1,
      /\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[^\r\n])?/,
    )),

    literal_dollar: _ => token.immediate('$${'),

    interpolation: $ => seq(
      alias(token.immediate('${'), '${'),
      field('expression', $._expression),
      '}',
    ),

    // <<TAG ... TAG keeps the text as written; <<-TAG strips the indent.
    heredoc: $ => seq(
      $.heredoc_start,
      repeat(choice(
        $.heredoc_content,
        $.interpolation,
        $.literal_dollar,
      )),
      $.heredoc_end,
    ),

    comment: _ => token(seq(choice('#', '//'), /[^\r\n]*/)),
  },
});
