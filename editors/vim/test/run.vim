" Headless checks of editors/vim, for Vim and Neovim:
"
"   vim  -es -N -u NONE -i NONE -S editors/vim/test/run.vim
"   nvim -es -u NONE -i NONE -S editors/vim/test/run.vim
"
" Environment: POOL_EDITORS (the editors/ folder), POOLC (a poolc binary),
" POOL_RESULT (a file for the report).
" Exits 0 when every check passed, 1 otherwise (:cquit).

set nocompatible
set encoding=utf-8
set nomore
set shortmess+=F
set noswapfile
let s:editors = $POOL_EDITORS
let s:failures = []
let s:passed = 0
let s:log = []

function! s:Fail(msg) abort
  call add(s:failures, a:msg)
endfunction

function! s:Check(ok, msg) abort
  if a:ok
    let s:passed += 1
  else
    call s:Fail(a:msg)
  endif
endfunction

function! s:Finish() abort
  let report = s:log + map(copy(s:failures), '"FAIL: " . v:val')
  call add(report, printf('%s: %d passed, %d failed', has('nvim') ? 'nvim' : 'vim', s:passed, len(s:failures)))
  call writefile(report, $POOL_RESULT)
  if empty(s:failures)
    qall!
  else
    cquit!
  endif
endfunction

try
  if empty(s:editors) || empty($POOL_RESULT) || empty($POOLC)
    throw 'set POOL_EDITORS, POOLC and POOL_RESULT'
  endif
  let &runtimepath = s:editors . '/vim,' . &runtimepath . ',' . s:editors . '/vim/after'
  filetype plugin indent on
  syntax on
  let g:poolc_program = $POOLC

  " ---- detection, ftplugin ------------------------------------------------
  let s:fixture = s:editors . '/fixtures/all-constructs.pool'
  execute 'edit ' . fnameescape(s:fixture)
  call s:Check(&filetype ==# 'pool', 'filetype is ' . string(&filetype) . ', expected pool')
  call s:Check(get(b:, 'current_syntax', '') ==# 'pool', 'the pool syntax is not loaded')
  call s:Check(&l:commentstring ==# '# %s', 'commentstring is ' . string(&l:commentstring))
  call s:Check(&l:indentexpr =~# 'GetPoolIndent', 'indentexpr is ' . string(&l:indentexpr))
  call s:Check(&l:makeprg =~# 'check --color never --message-format short',
        \ 'makeprg is ' . string(&l:makeprg))
  call s:Check(get(b:, 'current_compiler', get(g:, 'current_compiler', '')) ==# 'poolc',
        \ 'the poolc compiler is not set')

  " ---- highlighting: the fixture's assertions through highlight-map.tsv -----
  let s:map = []
  for row in readfile(s:editors . '/fixtures/highlight-map.tsv')
    if row =~# '^#' || row =~# '^\s*$'
      continue
    endif
    let cols = split(row, "\t")
    call add(s:map, {'prefix': cols[0], 'group': cols[1]})
  endfor
  call s:Check(len(s:map) >= 10, 'highlight-map.tsv has ' . len(s:map) . ' rows')

  " The row for an assertion: its last scope a prefix matches (longest wins).
  function! s:RowFor(scopes) abort
    for scope in reverse(copy(a:scopes))
      let best = {}
      for row in s:map
        if (scope ==# row.prefix || stridx(scope, row.prefix . '.') == 0)
              \ && len(row.prefix) > len(get(best, 'prefix', ''))
          let best = row
        endif
      endfor
      if !empty(best)
        return best
      endif
    endfor
    return {}
  endfunction

  " The assertion files every grammar must satisfy: the fixture, and the
  " block kinds and labels of editors/vscode/test/blocks.test.pool.
  let s:asserted = 0
  let s:checked = {}
  for s:file in [s:fixture, s:editors . '/vscode/test/blocks.test.pool']
    execute 'edit! ' . fnameescape(s:file)
    let s:lines = getline(1, '$')
    let s:source = 0
    for s:n in range(1, len(s:lines) - 1)
      let s:text = s:lines[s:n]
      if s:text !~# '^#\s*\%(\^\|<[~]*-\)'
        let s:source = s:n
        continue
      endif
      let s:rest = s:text[1:]
      let s:ranges = []
      if s:rest =~# '^\s*<'
        let s:m = matchlist(s:rest, '^\s*<\(\~*\)\(-\+\)\(.*\)$')
        call add(s:ranges, [len(s:m[1]), len(s:m[1]) + len(s:m[2])])
        let s:spec = s:m[3]
      else
        let s:carets = matchstr(s:rest, '^[ ^]*')
        let s:spec = s:rest[len(s:carets):]
        let s:i = 0
        while s:i < len(s:carets)
          if s:carets[s:i] ==# '^'
            let s:start = s:i
            while s:i < len(s:carets) && s:carets[s:i] ==# '^'
              let s:i += 1
            endwhile
            call add(s:ranges, [s:start + 1, s:i + 1])
          else
            let s:i += 1
          endif
        endwhile
      endif
      let s:row = s:RowFor(split(split(s:spec, ' - ', 1)[0]))
      if empty(s:row)
        continue
      endif
      let s:checked[s:row.prefix] = 1
      let s:src = s:lines[s:source]
      for [s:from, s:to] in s:ranges
        let s:asserted += 1
        " Assertion columns count characters from 0; synID() wants bytes from 1.
        for s:char in range(s:from, min([s:to, strchars(s:src)]) - 1)
          let s:col = byteidx(s:src, s:char) + 1
          let s:name = synIDattr(synID(s:source + 1, s:col, 1), 'name')
          if s:name !=# s:row.group
            call s:Fail(printf('highlight: %s:%d:%d (%s, asserted on line %d): expected %s, got %s',
                  \ fnamemodify(s:file, ':t'), s:source + 1, s:col, string(strcharpart(s:src, s:char, 1)),
                  \ s:n + 1, s:row.group, empty(s:name) ? '(none)' : s:name))
            break
          endif
        endfor
      endfor
    endfor
  endfor
  call s:Check(s:asserted >= 150, 'only ' . s:asserted . ' highlight assertions were checked')
  for s:row in s:map
    call s:Check(has_key(s:checked, s:row.prefix),
          \ 'highlight: no assertion checks the row ' . s:row.prefix)
  endfor
  let s:passed += s:asserted
  call add(s:log, printf('highlight: %d assertions checked', s:asserted))
  execute 'edit! ' . fnameescape(s:fixture)

  " No Error group anywhere in the fixture (an unknown escape would be one).
  for s:l in range(1, line('$'))
    for s:c in range(1, len(getline(s:l)))
      if synIDattr(synIDtrans(synID(s:l, s:c, 1)), 'name') ==# 'Error'
        call s:Fail(printf('highlight: Error at all-constructs.pool:%d:%d', s:l, s:c))
      endif
    endfor
  endfor

  " ---- indentation: re-indenting well-formatted files changes nothing -------
  " The fixture (without its assertion lines), the examples of the
  " repository, and editors/vim/test/indent/*.pool.
  let s:indent_files = [s:fixture]
  let s:indent_files += split(glob(s:editors . '/../examples/**/*.pool'), "\n")
  let s:indent_files += split(glob(s:editors . '/vim/test/indent/*.pool'), "\n")
  for s:file in s:indent_files
    execute 'edit! ' . fnameescape(s:file)
    silent! global/^#\s*\%(\^\|<[~]*-\)/delete _
    let s:before = getline(1, '$')
    silent normal! gg=G
    let s:after = getline(1, '$')
    let s:ok = 1
    for s:l in range(len(s:before))
      if s:before[s:l] !=# s:after[s:l]
        call s:Fail(printf('indent: %s:%d: %s became %s', fnamemodify(s:file, ':t'), s:l + 1,
              \ string(s:before[s:l]), string(s:after[s:l])))
        let s:ok = 0
        break
      endif
    endfor
    if s:ok
      let s:passed += 1
    endif
    " And a file with its indentation removed gets it back.
    silent %s/^\s\+//e
    silent normal! gg=G
    let s:reindented = getline(1, '$')
    let s:heredoc = 0
    for s:l in range(len(s:before))
      " Heredoc bodies keep what they have: skip them.
      if s:before[s:l] =~# '<<-\=\h\w*\s*$'
        let s:heredoc = 1
        let s:tag = matchstr(s:before[s:l], '<<-\=\zs\h\w*\ze\s*$')
      elseif s:heredoc
        if s:before[s:l] =~# '^\s*' . s:tag . '\s*$'
          let s:heredoc = 0
        endif
        continue
      endif
      if s:before[s:l] !=# s:reindented[s:l]
        call s:Fail(printf('indent: %s:%d: from nothing, %s became %s', fnamemodify(s:file, ':t'),
              \ s:l + 1, string(s:before[s:l]), string(s:reindented[s:l])))
        break
      endif
    endfor
    bwipeout!
  endfor
  call add(s:log, printf('indent: %d files re-indented', len(s:indent_files)))

  " ---- compiler: :make and :cgetexpr on real poolc output ----------------------
  let s:bad = s:editors . '/fixtures/bad.pool'
  execute 'cd ' . fnameescape(fnamemodify(s:bad, ':h'))
  execute 'edit ' . fnameescape(s:bad)
  call s:Check(&filetype ==# 'pool', 'bad.pool: filetype ' . string(&filetype))
  " What poolc reports, read from its JSON output.
  let s:json = systemlist(shellescape($POOLC) . ' check --color never --message-format json bad.pool')
  let s:expected = []
  for s:j in s:json
    if s:j =~# '^{'
      call add(s:expected, json_decode(s:j))
    endif
  endfor
  call s:Check(len(s:expected) >= 2, 'poolc --message-format json printed ' . len(s:expected)
        \ . ' diagnostics: ' . join(s:json, ' | '))
  let s:severities = map(copy(s:expected), 'v:val.severity')
  call s:Check(index(s:severities, 'error') >= 0 && index(s:severities, 'warning') >= 0,
        \ 'bad.pool should give an error and a warning, got ' . string(s:severities))

  function! s:CheckQuickfix(how) abort
    let qf = filter(getqflist(), 'v:val.valid')
    if len(qf) != len(s:expected)
      call s:Fail(printf('%s: %d quickfix entries for %d diagnostics: %s', a:how, len(qf),
            \ len(s:expected), string(getqflist())))
      return
    endif
    for i in range(len(qf))
      let q = qf[i]
      let e = s:expected[i]
      let want = {'file': fnamemodify(e.file, ':p'), 'lnum': e.span.line, 'col': e.span.column,
            \ 'type': e.severity ==# 'error' ? 'E' : 'W', 'text': e.message}
      let got = {'file': fnamemodify(bufname(q.bufnr), ':p'), 'lnum': q.lnum, 'col': q.col, 'type': q.type, 'text': q.text}
      if got.file !=# want.file || got.lnum != want.lnum || got.col != want.col
            \ || toupper(got.type) !=# want.type || stridx(got.text, want.text) != 0
        call s:Fail(printf('%s: entry %d is %s, expected %s', a:how, i + 1, string(got), string(want)))
      else
        let s:passed += 1
      endif
    endfor
  endfunction

  " :make uses the buffer's makeprg and errorformat (set by the ftplugin).
  set shellpipe=>%s\ 2>&1
  silent make
  call s:CheckQuickfix(':make')
  call setqflist([])
  " :cgetexpr reads the global 'errorformat': `:compiler! poolc` sets it.
  compiler! poolc
  cgetexpr system(shellescape($POOLC) . ' check --color never --message-format short bad.pool 2>&1')
  call s:CheckQuickfix(':cgetexpr')
  call add(s:log, printf('compiler: %d diagnostics of bad.pool through :make and :cgetexpr', len(s:expected)))

  " An error without a place (a file that cannot be read) is still listed.
  cgetexpr system(shellescape($POOLC) . ' check --color never --message-format short nowhere.pool 2>&1')
  let s:qf = filter(getqflist(), 'v:val.valid')
  call s:Check(len(s:qf) == 1 && toupper(s:qf[0].type) ==# 'E' && s:qf[0].text =~# 'nowhere.pool',
        \ 'an unreadable file gives ' . string(getqflist()))

  " ---- commenting: commentstring and comments ------------------------------
  enew!
  setfiletype pool
  call setline(1, ['pool "a" {', '  replicas = 1', '}'])
  call s:Check(printf(&commentstring, 'x') ==# '# x', 'commentstring formats as ' . printf(&commentstring, 'x'))
  call s:Check(&l:comments =~# ':#' && &l:comments =~# '://', 'comments is ' . string(&l:comments))
  bwipeout!
catch
  call s:Fail('exception: ' . v:exception . ' at ' . v:throwpoint)
endtry
call s:Finish()
