//! `pairscope completions SHELL`: the shell's completion script for every subcommand and option,
//! made by clap_complete from the same clap definitions the command line parses with.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use clap_complete::Shell;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    pub shell: Shell,
}

impl CompletionsArgs {
    /// Writes the script to stdout. `command` is the whole command line's definition (given by
    /// the dispatch, so this file needs nothing of its parent's).
    pub fn run(self, mut command: clap::Command) -> anyhow::Result<()> {
        // Into memory first: clap_complete panics on a failed write, and a closed pipe
        // (`pairscope completions bash | head`) is an error to report, not a panic.
        let mut script = Vec::new();
        clap_complete::generate(self.shell, &mut command, "pairscope", &mut script);
        let mut out = std::io::stdout().lock();
        out.write_all(&script).and_then(|()| out.flush()).context("cannot write the completion script")
    }
}
