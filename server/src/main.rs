use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match yighin::commands::run(yighin::config::Cli::from_command_line()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // In words for the admin at the shell, not as a data structure.
        Err(error) => {
            eprintln!("yighin: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
