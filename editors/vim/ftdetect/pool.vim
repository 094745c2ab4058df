" .pool files: worker pools for poolc.
autocmd BufNewFile,BufRead *.pool set filetype=pool
