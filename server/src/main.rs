use app::services::import::{import, ImportOptions};
use clap::Parser;
use tracing_subscriber::EnvFilter;
use yighin::config::{Cli, Command, Config};

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
        // `start` migrates, and loads the demo events into an empty database
        // when asked to.
        Command::Migrate => {
            yighin::start(&Config {
                demo: false,
                ..config
            })
            .await?;
            tracing::info!("database is migrated");
        }
        Command::Demo => {
            yighin::start(&Config {
                demo: true,
                ..config
            })
            .await?;
        }
        Command::Import { file, kind, lang } => {
            let bytes =
                std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let state = yighin::start(&Config {
                demo: false,
                ..config
            })
            .await?;
            let options = ImportOptions {
                kind,
                lang: lang.unwrap_or(state.site.settings.default_lang),
                zone: state.site.settings.default_zone,
            };
            let report = import(&state.site, &bytes, &options, app::services::now()).await?;
            print!("{}: {report}", file.display());
            if report.created + report.updated + report.unchanged == 0 && !report.skipped.is_empty()
            {
                return Err("no event in the file could be imported".into());
            }
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
