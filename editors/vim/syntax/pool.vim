" Vim syntax file
" Language:    pool (the worker-pool language of poolc, *.pool)
" Maintainer:  the poolc project
"
" grammar/pool.pest is the source of truth for the syntax; editors/README.md
" lists the groups used here and the TextMate scopes and tree-sitter captures
" they correspond to. Works in Vim 8.2+ and Neovim.

if exists('b:current_syntax')
  finish
endif

scriptencoding utf-8

let s:cpo_save = &cpoptions
set cpoptions&vim

" Names are letters, digits, `_` and `-`: `cost-center` is one word.
syntax iskeyword @,48-57,_,-
syntax case match
syntax sync fromstart

" Names used as values: a let, or a keyword value such as statefulset.
syntax match poolVariable /\%([[:alnum:]_-]\)\@1<!\h[[:alnum:]_-]*/ contains=NONE

" `KIND label*` before `{` or on its own: `launcher {`, `storage claim {`,
" `credentials external "name"`, `service_account external`.
syntax match poolBlockType /\%([[:alnum:]_-]\)\@1<!\h[[:alnum:]_-]*\ze\%(\s*{\|\s\+[[:alpha:]_"]\)/
      \ nextgroup=poolLabel,poolString skipwhite
syntax match poolLabel /\h[[:alnum:]_-]*/ contained nextgroup=poolLabel,poolString skipwhite

" `NAME(`
syntax match poolFunction /\%([[:alnum:]_-]\)\@1<!\h[[:alnum:]_-]*\ze\s*(/

" `NAME =` in a body or an object (a quoted key is a string).
syntax match poolAttribute /\%([[:alnum:]_-]\)\@1<!\h[[:alnum:]_-]*\ze\s*=/

" `let NAME`
syntax match poolVariable /\%(\<let\s\+\)\@<=\h[[:alnum:]_-]*/

" Keywords have priority over the matches above.
syntax keyword poolKeyword let import pool template extends
syntax keyword poolBoolean true false

" One token for every number-like literal: 4, -1, 0o755, 1.5, 1e3, 500m, 512Mi,
" 100Gi, 30s, 2h, 1h30m.
syntax match poolNumber /\%([[:alnum:]_.-]\)\@1<!-\=\d\%([eE][+-]\|[[:alnum:].µ]\)*/

" Strings: escapes, `${...}` interpolation, `$${` for a literal `${`.
syntax region poolString start=/"/ skip=/\\\\\|\\"/ end=/"/ end=/$/ oneline
      \ contains=poolEscapeError,poolEscape,poolInterpolation,@Spell
syntax match poolEscapeError /\\.\=/ contained
syntax match poolEscape /\\\%(u\x\{4}\|U\x\{8}\|[nrt"\\]\)/ contained
syntax match poolEscape /\$\${/ contained

syntax cluster poolValue contains=poolString,poolHeredoc,poolNumber,poolBoolean,poolFunction,poolVariable,poolBraces,poolBrackets,poolParens,poolAttribute,poolComment
syntax region poolInterpolation matchgroup=poolInterpolationDelim start=/\${/ end=/}/
      \ contained contains=@poolValue

" <<TAG ... TAG and <<-TAG ... TAG: interpolation, no escapes.
syntax region poolHeredoc matchgroup=poolHeredocDelim
      \ start=/<<-\=\z(\h\w*\)\s*$/ end=/^\s*\z1\ze\s*$/
      \ contains=poolEscape,poolInterpolation fold

" Bodies, objects, lists and calls nest (and fold).
syntax region poolBraces matchgroup=poolDelimiter start=/{/ end=/}/ transparent fold
syntax region poolBrackets matchgroup=poolDelimiter start=/\[/ end=/]/ transparent fold
syntax region poolParens matchgroup=poolDelimiter start=/(/ end=/)/ transparent

syntax match poolComment /\%(#\|\/\/\).*$/ contains=poolTodo,@Spell
syntax keyword poolTodo TODO FIXME XXX NOTE contained

highlight default link poolComment            Comment
highlight default link poolTodo               Todo
highlight default link poolKeyword            Keyword
highlight default link poolBoolean            Boolean
highlight default link poolNumber             Number
highlight default link poolString             String
highlight default link poolHeredoc            String
highlight default link poolEscape             SpecialChar
highlight default link poolEscapeError        Error
highlight default link poolInterpolationDelim Special
highlight default link poolHeredocDelim       Special
highlight default link poolBlockType          Type
highlight default link poolLabel              Label
highlight default link poolAttribute          Identifier
highlight default link poolFunction           Function
highlight default link poolVariable           NONE
highlight default link poolDelimiter          Delimiter

let b:current_syntax = 'pool'

let &cpoptions = s:cpo_save
unlet s:cpo_save
