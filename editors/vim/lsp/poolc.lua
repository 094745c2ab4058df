-- The poolc language server (`poolc lsp`) for Neovim 0.11+, found by
-- vim.lsp.config on the runtime path (editors/vim is on it, see
-- editors/README.md). Enable it in init.lua:
--
--   vim.lsp.enable('poolc')
--
-- and, when poolc is not on PATH:
--
--   vim.lsp.config('poolc', { cmd = { '/path/to/poolc', 'lsp' } })
return {
  cmd = { 'poolc', 'lsp' },
  filetypes = { 'pool' },
  -- A site is a folder of .pool files; its repository is a fair root.
  root_markers = { '.git' },
}
