" Vim indent file
" Language:    pool (the worker-pool language of poolc, *.pool)
"
" One 'shiftwidth' more after a line that leaves a `{`, `[` or `(` open (one
" level, however many it opens: `[{` ... `}]`), one less for a line that
" starts with closing delimiters. Heredoc bodies and their
" closing tags are left as they are. Needs the pool syntax (syntax/pool.vim)
" to recognise heredocs.

if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=GetPoolIndent(v:lnum)
setlocal indentkeys=0},0],0),!^F,o,O
setlocal autoindent nosmartindent nocindent

let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< smartindent< cindent<'

if exists('*GetPoolIndent')
  finish
endif

let s:cpo_save = &cpoptions
set cpoptions&vim

" Is line `lnum` a heredoc body line or a heredoc's closing tag?
function! s:InHeredoc(lnum) abort
  let line = getline(a:lnum)
  let col = match(line, '\S') + 1
  if col <= 0
    let col = 1
  endif
  for id in synstack(a:lnum, col)
    let name = synIDattr(id, 'name')
    " The closing tag is the region's end, highlighted as poolHeredocDelim.
    if name ==# 'poolHeredoc' || (name ==# 'poolHeredocDelim' && line !~# '<<')
      return 1
    endif
  endfor
  return 0
endfunction

" Brackets a line opens minus those it closes, outside strings and comments.
function! s:Balance(line) abort
  let balance = 0
  let in_string = 0
  let i = 0
  while i < len(a:line)
    let c = a:line[i]
    if in_string
      if c ==# '\'
        let i += 1
      elseif c ==# '"'
        let in_string = 0
      endif
    elseif c ==# '"'
      let in_string = 1
    elseif c ==# '#' || a:line[i : i + 1] ==# '//'
      break
    elseif stridx('{[(', c) >= 0
      let balance += 1
    elseif stridx('}])', c) >= 0
      let balance -= 1
    endif
    let i += 1
  endwhile
  return balance
endfunction

" How many closing delimiters a line starts with.
function! s:LeadingClosers(line) abort
  let lead = matchstr(a:line, '^\s*\zs[]})][]}) \t]*')
  return len(substitute(lead, '[^]})]', '', 'g'))
endfunction

function! GetPoolIndent(lnum) abort
  if s:InHeredoc(a:lnum)
    return -1
  endif
  let prev = prevnonblank(a:lnum - 1)
  " Indent from the line that opened a heredoc, not from its body.
  while prev > 0 && s:InHeredoc(prev)
    let prev = prevnonblank(prev - 1)
  endwhile
  if prev == 0
    return 0
  endif
  let line = getline(prev)
  " Brackets the previous line leaves open (or closes) after its own leading
  " closers: one level at most, so `[{` ... `}]` is one level.
  let net = s:Balance(line) + s:LeadingClosers(line)
  let ind = indent(prev) + shiftwidth() * (net > 0 ? 1 : net < 0 ? -1 : 0)
  if s:LeadingClosers(getline(a:lnum)) > 0
    let ind -= shiftwidth()
  endif
  return ind < 0 ? 0 : ind
endfunction

let &cpoptions = s:cpo_save
unlet s:cpo_save
