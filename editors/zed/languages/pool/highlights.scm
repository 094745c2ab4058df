; Highlights for .pool files (Neovim, Zed and the tree-sitter CLI capture
; names; Helix has its own names in editors/helix/queries/pool). No two
; patterns capture the same node, so the result does not depend on whether an
; editor lets the first or the last match win. editors/README.md lists the
; captures and the TextMate scopes and Vim groups they correspond to.

(comment) @comment

[
  "let"
  "import"
  "pool"
  "template"
  "extends"
] @keyword

[
  "true"
  "false"
] @boolean

(number) @number

; Strings: the quotes and the text, not what an interpolation holds.
(string "\"" @string)
(string_content) @string
(heredoc_content) @string

(escape_sequence) @string.escape
(literal_dollar) @string.escape

(interpolation
  [
    "${"
    "}"
  ] @punctuation.special)
(heredoc_start) @punctuation.special
(heredoc_end) @punctuation.special

; Blocks: `launcher {`, `storage claim {`, `credentials external "name"`.
(block type: (identifier) @type)
(label) @label

; Attribute names (a quoted key is a string, above).
(attribute key: (identifier) @property)

(call function: (identifier) @function.call)

; Names: a let's own name, and names used as values.
(let name: (identifier) @variable)
(let value: (identifier) @variable)
(attribute value: (identifier) @variable)
(list (identifier) @variable)
(arguments (identifier) @variable)
(interpolation expression: (identifier) @variable)

(body ["{" "}"] @punctuation.bracket)
(object ["{" "}"] @punctuation.bracket)
(list ["[" "]"] @punctuation.bracket)
(call ["(" ")"] @punctuation.bracket)

"," @punctuation.delimiter
"=" @operator
