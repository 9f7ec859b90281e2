fn main() -> std::process::ExitCode {
    // Like any Unix tool, stop quietly when the reader of our output goes away
    // (`pairscope info x | head`); Rust's default turns that into a panic.
    #[cfg(unix)]
    // SAFETY: called before any other thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    pairscope::cli::main()
}
