use clap::Parser;
use tracing_subscriber::EnvFilter;
use yighin::config::{Cli, Command};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            let config = yighin::config::Config {
                demo: false,
                ..config
            };
            yighin::start(&config).await?;
            tracing::info!("database is migrated");
        }
        Command::Demo => {
            let state = yighin::start(&yighin::config::Config {
                demo: false,
                ..config
            })
            .await?;
            let loaded = app::demo::load_if_empty(&state.site.db, app::services::now()).await?;
            tracing::info!(loaded, "demo events loaded");
        }
        Command::Serve => {
            let state = yighin::start(&config).await?;
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            tracing::info!("listening on http://{}", config.listen);
            axum::serve(listener, yighin::router(state))
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
