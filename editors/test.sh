#!/usr/bin/env bash
# The editor integrations' tests that need tools outside Cargo:
#
#   - VS Code: the TextMate grammar through vscode-tmgrammar-test and
#     vscode-textmate (npm), every .pool file of the repository, the problem
#     matcher against real poolc output (editors/vscode/test/run.js);
#   - Vim and Neovim, headless: highlighting, indentation, ftplugin and
#     `compiler poolc` with :make and :cgetexpr (editors/vim/test/run.vim);
#   - Neovim's language-server configuration (editors/vim/lsp/poolc.lua)
#     against `poolc lsp` (editors/vim/test/lsp.lua).
#
# It installs what it needs: the npm packages of editors/vscode (npm ci), and
# vim and neovim from Debian's packages (apt-get, as root or with sudo -n).
# When a tool cannot be installed it says which and fails: nothing is skipped.
#
# Usage: POOLC=target/debug/poolc editors/test.sh
# (`cargo test --workspace` runs it from tests/editors.rs.)
# The tree-sitter grammar is tested by Cargo: editors/tree-sitter-pool/tests.

set -uo pipefail

editors="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${POOLC:-}" ]; then
  echo "editors/test.sh: set POOLC to a poolc binary (cargo build: target/debug/poolc)" >&2
  exit 2
fi
POOLC="$(cd "$(dirname "$POOLC")" && pwd)/$(basename "$POOLC")"
export POOLC
if [ ! -x "$POOLC" ]; then
  echo "editors/test.sh: POOLC=$POOLC is not an executable" >&2
  exit 2
fi

log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT
failed=()

# apt_install COMMAND PACKAGE...: makes COMMAND available, installing the
# Debian packages if it is missing.
apt_install() {
  local command="$1"
  shift
  if command -v "$command" >/dev/null 2>&1; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if sudo -n true >/dev/null 2>&1; then
      sudo=(sudo -n)
    else
      echo "CANNOT INSTALL: '$command' is missing, and installing it needs root or passwordless sudo." >&2
      echo "Install it with: sudo apt-get install $*" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "CANNOT INSTALL: '$command' is missing and there is no apt-get here. Install the package(s): $*" >&2
    return 1
  fi
  echo "installing $* (apt-get) for '$command'..."
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" >"$log/apt.txt" 2>&1; then
    # A fresh machine has no package lists yet.
    "${sudo[@]}" apt-get update -q >>"$log/apt.txt" 2>&1
    if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" >>"$log/apt.txt" 2>&1; then
      tail -n 20 "$log/apt.txt" >&2
      echo "CANNOT INSTALL: apt-get install $* failed (above). Install the package(s) by hand." >&2
      return 1
    fi
  fi
  if ! command -v "$command" >/dev/null 2>&1; then
    echo "CANNOT INSTALL: apt-get installed $* but '$command' is still missing." >&2
    return 1
  fi
}

# ---- VS Code ------------------------------------------------------------------
vscode() {
  apt_install node nodejs || return 1
  apt_install npm npm || return 1
  cd "$editors/vscode" || return 1
  # npm ci when node_modules is missing or older than the lock file.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "npm ci (editors/vscode)..."
    if ! npm ci --no-audit --no-fund --loglevel=error >"$log/npm.txt" 2>&1; then
      cat "$log/npm.txt" >&2
      echo "CANNOT INSTALL: npm ci failed in editors/vscode (above): the npm registry must be reachable." >&2
      return 1
    fi
  fi
  node test/run.js
}

# ---- Vim and Neovim ---------------------------------------------------------------
vim_like() {
  local program="$1"
  shift
  local result="$log/$program.txt"
  POOL_EDITORS="$editors" POOL_RESULT="$result" \
    timeout 120 "$program" "$@" -S "$editors/vim/test/run.vim" </dev/null >"$log/$program.out" 2>&1
  local status=$?
  if [ -f "$result" ]; then
    cat "$result"
  else
    echo "$program wrote no report (exit $status):"
    cat "$log/$program.out"
  fi
  return $status
}

# Neovim's client of `poolc lsp`, configured by editors/vim/lsp/poolc.lua.
neovim_lsp() {
  local result="$log/nvim-lsp.txt"
  POOL_EDITORS="$editors" POOL_RESULT="$result" \
    timeout 120 nvim --headless -u NONE -i NONE -c "luafile $editors/vim/test/lsp.lua" \
    </dev/null >"$log/nvim-lsp.out" 2>&1
  if [ ! -f "$result" ]; then
    echo "nvim wrote no report:"
    cat "$log/nvim-lsp.out"
    return 1
  fi
  cat "$result"
  grep -q '^nvim lsp: 0 failed$' "$result"
}

run() {
  local name="$1"
  shift
  echo "== $name"
  local start=$SECONDS
  if "$@"; then
    echo "-- $name: ok ($((SECONDS - start))s)"
  else
    echo "-- $name: FAILED ($((SECONDS - start))s)"
    failed+=("$name")
  fi
}

run "vscode" vscode
if apt_install vim vim; then
  run "vim" vim_like vim -es -N -u NONE -i NONE
else
  failed+=("vim (not installed)")
fi
if apt_install nvim neovim; then
  run "neovim" vim_like nvim -es -u NONE -i NONE
  run "neovim lsp" neovim_lsp
else
  failed+=("neovim (not installed)")
fi

if [ ${#failed[@]} -ne 0 ]; then
  echo "editor tests FAILED: ${failed[*]}"
  exit 1
fi
echo "editor tests passed: vscode, vim, neovim, neovim lsp"
