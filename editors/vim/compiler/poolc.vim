" Vim compiler file
" Compiler:    poolc (the .pool compiler), `poolc check --message-format short`
"
" `:make` runs `poolc check` on the current file; each diagnostic line
"   FILE:LINE:COL: error: MESSAGE [pool::E0301]
" becomes a quickfix entry (type E or W). poolc counts columns in
" characters. Set g:poolc_program to use another binary.

if exists('current_compiler')
  finish
endif
let current_compiler = 'poolc'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:cpo_save = &cpoptions
set cpoptions&vim

execute 'CompilerSet makeprg=' . escape(get(g:, 'poolc_program', 'poolc'), ' \|"')
      \ . '\ check\ --color\ never\ --message-format\ short\ %:S'

" error/warning lines with a place; errors without one (an unreadable file);
" everything else (a summary line, if any) is dropped.
CompilerSet errorformat=
      \%f:%l:%c:\ %trror:\ %m,
      \%f:%l:%c:\ %tarning:\ %m,
      \%trror:\ %m,
      \%tarning:\ %m,
      \%-G%.%#

let &cpoptions = s:cpo_save
unlet s:cpo_save
