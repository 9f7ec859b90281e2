fn main() -> std::process::ExitCode {
    pairscope::cli::main()
}
