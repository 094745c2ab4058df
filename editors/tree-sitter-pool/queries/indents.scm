; Indentation (Neovim/Helix style captures): one level inside braces,
; brackets and parentheses; the closing delimiter goes back.
[
  (body)
  (object)
  (list)
  (call)
] @indent.begin

[
  "}"
  "]"
  ")"
] @indent.branch @indent.end
