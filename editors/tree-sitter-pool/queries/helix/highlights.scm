; Highlights for .pool files with Helix's capture names: the same patterns as
; ../highlights.scm (Neovim, Zed). Copy to runtime/queries/pool/highlights.scm
; in the Helix config directory (editors/README.md).

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
] @constant.builtin.boolean

(number) @constant.numeric

; Strings: the quotes and the text, not what an interpolation holds.
(string "\"" @string)
(string_content) @string
(heredoc_content) @string

(escape_sequence) @constant.character.escape
(literal_dollar) @constant.character.escape

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
(attribute key: (identifier) @variable.other.member)

(call function: (identifier) @function)

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
