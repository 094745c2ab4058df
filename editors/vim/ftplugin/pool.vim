" Vim filetype plugin
" Language:    pool (the worker-pool language of poolc, *.pool)

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpoptions
set cpoptions&vim

" `#` and `//` start line comments; gc/commentary toggle `#`.
setlocal commentstring=#\ %s
setlocal comments=:#,://
setlocal formatoptions-=t formatoptions+=croql
" Names may contain `-`: `cost-center` is one word for `w`, `*` and completion.
setlocal iskeyword+=-
setlocal shiftwidth=2 softtabstop=2 expandtab
setlocal suffixesadd=.pool

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< iskeyword<'
      \ . ' shiftwidth< softtabstop< expandtab< suffixesadd<'

" `:make` checks the file with poolc and fills the quickfix list
" (compiler/poolc.vim). Set g:pool_no_compiler to keep your own 'makeprg'.
if !get(g:, 'pool_no_compiler', 0) && exists(':compiler') == 2
  compiler poolc
  let b:undo_ftplugin .= ' | setlocal makeprg< errorformat<'
endif

let &cpoptions = s:cpo_save
unlet s:cpo_save
