; Folding: bodies, objects, lists, calls and heredocs.
[
  (body)
  (object)
  (list)
  (arguments)
  (heredoc)
] @fold
