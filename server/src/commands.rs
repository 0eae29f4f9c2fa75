//! The subcommands: serve (the default), migrate, demo, purge, create an
//! admin, import a calendar file.

use crate::config::{Cli, Command, Config};
use app::services::import::{import, ImportOptions};
use std::error::Error;

/// Carries out the command line's subcommand.
pub async fn run(cli: Cli) -> Result<(), Box<dyn Error>> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        // `start` migrates, and loads the demo events into an empty database
        // when asked to.
        Command::Migrate => {
            crate::start(&Config {
                demo: Some(false),
                ..config
            })
            .await?;
            tracing::info!("database is migrated");
        }
        Command::Demo => {
            crate::start(&Config {
                demo: Some(true),
                ..config
            })
            .await?;
        }
        Command::Purge => {
            let state = crate::start(&Config {
                demo: Some(false),
                ..config
            })
            .await?;
            let purged = app::services::purge(&state.site, app::services::now()).await?;
            println!("personal data deleted from {purged} answers");
        }
        Command::CreateAdmin {
            username,
            display_name,
        } => {
            let password = read_password()?;
            let state = crate::start(&Config {
                demo: Some(false),
                ..config
            })
            .await?;
            let form = app::accounts::NewAccountForm {
                username,
                display_name: display_name.unwrap_or_default(),
                password,
                role: app::accounts::Role::Admin.as_str().into(),
            };
            match app::services::accounts::create_account(
                &state.site,
                None,
                &form,
                app::services::now(),
            )
            .await
            {
                Ok(_) => println!(
                    "admin account {:?} created",
                    form.username.trim().to_lowercase()
                ),
                Err(app::services::accounts::AccountError::Invalid(errors)) => {
                    let problems: Vec<String> = errors
                        .iter()
                        .map(|e| {
                            format!(
                                "{}: {}",
                                e.field,
                                app::services::import::describe(e.problem)
                            )
                        })
                        .collect();
                    return Err(problems.join("; ").into());
                }
                Err(other) => return Err(other.into()),
            }
        }
        Command::Import { file, kind, lang } => {
            let bytes =
                std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let state = crate::start(&Config {
                demo: Some(false),
                ..config
            })
            .await?;
            let options = ImportOptions {
                kind,
                lang: lang.unwrap_or(state.site.settings().default_lang),
                zone: state.site.settings().default_zone,
            };
            let report = import(&state.site, &bytes, &options, app::services::now()).await?;
            print!("{}: {report}", file.display());
            if report.created + report.updated + report.unchanged == 0 && !report.skipped.is_empty()
            {
                return Err("no event in the file could be imported".into());
            }
        }
        Command::Serve => {
            let state = crate::start(&config).await?;
            let tasks = crate::background::start(&state.site);
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            tracing::info!("listening on http://{}", config.listen);
            axum::serve(
                listener,
                crate::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await?;
            tasks.stop();
        }
    }
    Ok(())
}

/// A password from standard input: typed (twice, without echo) at a
/// terminal, or the first line of a pipe.
fn read_password() -> Result<String, Box<dyn std::error::Error>> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (12 characters or more): ")?;
        let again = rpassword::prompt_password("Once more: ")?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
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
