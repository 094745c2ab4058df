fn main() -> std::process::ExitCode {
    poolc::cli::run(std::env::args_os())
}
