//! The subcommands: serve (the default), migrate, demo, purge, create an
//! admin, import a calendar file.

use crate::config::{Cli, Command, Config};
use app::services::import::{import, ImportOptions};
use app::services::keys::Opener;
use std::error::Error;
use zeroize::Zeroizing;

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
            with_admin,
        } => {
            let password = read_secret("Password (12 characters or more): ", true)?;
            let state = crate::start(&Config {
                demo: Some(false),
                ..config
            })
            .await?;
            let site = &state.site;
            let form = app::accounts::NewAccountForm {
                username,
                display_name: display_name.unwrap_or_default(),
                password,
                role: app::accounts::Role::Admin.as_str().into(),
            };
            let first = app::services::keys::waits_for_first_admin(site).await?;
            let opener = if first {
                Opener::default()
            } else {
                organisation_key(site, with_admin.as_deref()).await?
            };
            let password = Zeroizing::new(form.password.clone());
            let id = match app::services::accounts::create_account(
                site,
                None,
                &opener,
                &form,
                app::services::now(),
            )
            .await
            {
                Ok(id) => id,
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
            };
            println!(
                "admin account {:?} created",
                form.username.trim().to_lowercase()
            );
            if first {
                let account = app::db::accounts::by_id(&site.db, id)
                    .await?
                    .ok_or("the new account")?
                    .info();
                let now = app::services::now();
                let taken =
                    app::services::keys::take_unclaimed(site, &account, password, None, true, now)
                        .await?;
                if let Some((_, Some(recovery))) = taken {
                    println!(
                        "\nThe organisation's recovery key (shown once; write it down and keep it \
                         offline, away from the server):\n\n    {}\n\nWith it, an admin can \
                         be created when every admin's password is lost. Without it and without \
                         a password, the names, contacts and notes of answers are lost (the \
                         counts are not).",
                        recovery.as_str()
                    );
                }
            }
        }
        Command::Doctor => {
            let findings = crate::doctor::examine(&config, app::services::now()).await;
            for finding in &findings {
                println!("{finding}");
            }
            let problems = findings
                .iter()
                .filter(|f| f.severity == crate::doctor::Severity::Problem)
                .count();
            if problems > 0 {
                return Err(format!("{problems} problem(s) to fix").into());
            }
        }
        Command::MailTest { address } => {
            let mailer = config
                .mailer()?
                .ok_or("YIGHIN_SMTP_URL is not set: there is no mail server to test")?;
            for step in mailer.check().await? {
                println!("ok  {step}");
            }
            let text = format!(
                "This message was sent by `yighin mail-test` for {} ({}).\n\n\
                 It reached you, so the mail settings work.\n",
                config.instance_name, config.base_url
            );
            let subject = format!("{}: a test message", config.instance_name);
            mailer
                .send(mailer.message(address.clone(), &subject, text)?)
                .await?;
            println!("ok  the server took the message for {address}");
        }
        Command::Backup { dir } => {
            let dir = dir
                .or_else(|| crate::backups::folder(&config))
                .ok_or(crate::backups::BackupError::Postgres)?;
            if let Some(file) = crate::backups::database_file(&config).filter(|f| !f.exists()) {
                return Err(format!("no database at {}", file.display()).into());
            }
            let db = app::db::Database::connect(&config.database_url).await?;
            let site = crate::command_site(&config, db).await?;
            let keep_days = site.settings().retention_days;
            let now = app::services::now();
            // Deleting first: a copy that cannot be taken must not keep
            // the old ones alive.
            for old in crate::backups::prune(&dir, keep_days, now)? {
                println!(
                    "deleted, older than the retention period: {}",
                    old.display()
                );
            }
            let copy = crate::backups::take(&site.db, &dir, None, config.backup_to.as_deref(), now)
                .await?;
            println!("copy taken: {}", copy.display());
        }
        Command::Restore { file, identity } => {
            let restored = crate::backups::restore(&config, &file, identity.as_deref()).await?;
            println!(
                "{} restored as {}; start the server (it migrates an older copy)",
                file.display(),
                restored.display()
            );
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
            // A mistyped mail server is said at start, not at the first message.
            config.mailer()?;
            let state = crate::start(&config).await?;
            crate::site_files::check(&state.leptos_options, &state.site_files)?;
            if config.bench_routes {
                tracing::warn!(
                    "YIGHIN_BENCH_ROUTES is on: /bench/ answers anyone; it is for the benchmark only"
                );
            }
            let tasks = crate::background::start(&state.site, &config);
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            tracing::info!("listening on http://{}", config.listen);
            let onion_listener = match &config.onion_url {
                Some(onion) => {
                    let listener = tokio::net::TcpListener::bind(config.onion_listen).await?;
                    tracing::info!(
                        "listening on http://{} for the onion service {onion}",
                        config.onion_listen
                    );
                    Some(listener)
                }
                None => None,
            };
            let (stop, stopping) = tokio::sync::watch::channel(false);
            tokio::spawn(async move {
                shutdown_signal().await;
                let _ = stop.send(true);
            });
            let stopped = |mut stopping: tokio::sync::watch::Receiver<bool>| async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            };
            use crate::connections::{guard, serve, Policy};
            let public = serve(
                guard(listener, Policy::PUBLIC),
                crate::router(state.clone()),
                stopped(stopping.clone()),
            );
            let onion = async {
                if let Some(listener) = onion_listener {
                    let onion = guard(listener, Policy::onion());
                    serve(onion, crate::onion_router(state), stopped(stopping.clone())).await;
                }
            };
            // Requests in flight get a while to finish after the signal; a
            // connection still open then (a client that never finishes its
            // request) does not hold up the stop, nor the tasks' own end.
            let grace = async {
                stopped(stopping.clone()).await;
                tokio::time::sleep(STOP_GRACE).await;
            };
            tokio::select! {
                _ = async { tokio::join!(public, onion) } => {}
                () = grace => tracing::warn!(
                    "connections still open {} s after the stop signal are closed",
                    STOP_GRACE.as_secs()
                ),
            }
            tasks.stop().await;
        }
    }
    Ok(())
}

/// How long requests in flight may take to finish once the server is told
/// to stop (systemd waits 30 s before it kills).
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// The organisation's key for a new admin once the first admin took it:
/// unlocked with an existing admin's password (`with_admin`) or the
/// recovery key, read from standard input.
async fn organisation_key(
    site: &app::services::Site,
    with_admin: Option<&str>,
) -> Result<Opener, Box<dyn Error>> {
    use app::services::keys;
    Ok(match with_admin {
        Some(admin) => {
            let password = read_secret(&format!("Password of {admin}: "), false)?;
            keys::opener_from_password(site, admin, Zeroizing::new(password))
                .await?
                .ok_or("that admin's name and password do not open the organisation's key")?
        }
        None => {
            let recovery = Zeroizing::new(read_secret("The organisation's recovery key: ", false)?);
            keys::opener_from_recovery_key(site, &recovery)
                .await?
                .ok_or("that is not the organisation's recovery key")?
        }
    })
}

/// A secret from standard input: typed without echo (twice, with
/// `confirm`) at a terminal, or the next line of a pipe.
fn read_secret(prompt: &str, confirm: bool) -> Result<String, Box<dyn std::error::Error>> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt)?;
        if confirm && rpassword::prompt_password("Once more: ")? != first {
            return Err("the two entries differ".into());
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
