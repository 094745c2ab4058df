; Indentation for Helix: one level inside braces, brackets and parentheses.
[
  (body)
  (object)
  (list)
  (arguments)
] @indent

[
  "}"
  "]"
  ")"
] @outdent
