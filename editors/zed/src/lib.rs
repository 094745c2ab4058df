//! Starts `poolc lsp` for .pool files: the `poolc` on the worktree's PATH
//! (Zed's shell environment for the project).

use zed_extension_api::{self as zed, LanguageServerId, Result};

struct Pool;

impl zed::Extension for Pool {
    fn new() -> Self {
        Pool
    }

    fn language_server_command(
        &mut self,
        _: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let command = worktree.which("poolc").ok_or_else(|| {
            "poolc is not on PATH: install it (cargo install --path cli in a poolc checkout)"
                .to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".into()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Pool);
