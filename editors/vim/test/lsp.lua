-- The Neovim language-server configuration (lsp/poolc.lua) against the real
-- server: the configuration's command (with POOLC as the binary) is started
-- for fixtures/bad.pool, and its diagnostics must arrive at the places
-- poolc reports. Uses the client API of Neovim 0.7 (start_client), which
-- every later version keeps, so the test runs on Debian's Neovim too.
-- Writes its report to POOL_RESULT, then quits.
local editors = os.getenv('POOL_EDITORS')
local report = {}
local failures = 0
local function check(ok, message)
  if not ok then
    failures = failures + 1
    table.insert(report, 'FAIL: ' .. message)
  end
end

local config = dofile(editors .. '/vim/lsp/poolc.lua')
check(vim.deep_equal(config.filetypes, { 'pool' }), 'filetypes: ' .. vim.inspect(config.filetypes))
check(config.cmd[1] == 'poolc' and config.cmd[2] == 'lsp', 'cmd: ' .. vim.inspect(config.cmd))

local cmd = vim.deepcopy(config.cmd)
cmd[1] = os.getenv('POOLC')
vim.cmd('edit ' .. vim.fn.fnameescape(editors .. '/fixtures/bad.pool'))
local client = vim.lsp.start_client({ name = 'poolc', cmd = cmd, root_dir = editors .. '/fixtures' })
check(client ~= nil, 'the server did not start')
if client then
  vim.lsp.buf_attach_client(0, client)
  local arrived = vim.wait(30000, function()
    return #vim.diagnostic.get(0) >= 3
  end, 50)
  check(arrived, 'no diagnostics within 30 s')
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(found, string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, d.code, d.severity == 1 and 'E' or 'W'))
  end
  table.sort(found)
  local want = { '13:13 pool::W0001 W', '6:14 pool::E0303 E', '7:14 pool::E0301 E' }
  check(vim.deep_equal(found, want), 'diagnostics: ' .. vim.inspect(found))
  vim.lsp.stop_client(client)
end

table.insert(report, string.format('nvim lsp: %d failed', failures))
vim.fn.writefile(report, os.getenv('POOL_RESULT'))
vim.cmd('qa!')
