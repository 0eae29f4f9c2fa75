//! The mail path: the server that takes Yighin's messages
//! (`YIGHIN_SMTP_URL`), or a folder of `.eml` files instead; and, when a
//! message does not go, which step failed, in words an admin can act on.

use lettre::address::Address;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;
use zeroize::Zeroizing;

/// Where messages go.
#[derive(Clone)]
pub enum MailRoute {
    Smtp(SmtpServer),
    /// `file://PATH`: each message written as an `.eml` file, nothing sent.
    Folder(PathBuf),
}

#[derive(Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    username: Option<String>,
    password: Zeroizing<String>,
}

/// How the connection to the mail server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtps://`: TLS from the first byte.
    Tls,
    /// `smtp://`: STARTTLS, required; a server that offers none is refused.
    StartTls,
    /// `smtp://` to this machine itself: plain, for a local relay.
    Plain,
}

/// Never shows the password, wherever the settings are printed.
impl std::fmt::Debug for MailRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailRoute::Smtp(server) => f
                .debug_struct("Smtp")
                .field("host", &server.host)
                .field("port", &server.port)
                .field("security", &server.security)
                .field("username", &server.username)
                .finish_non_exhaustive(),
            MailRoute::Folder(folder) => f.debug_tuple("Folder").field(folder).finish(),
        }
    }
}

/// A setting that holds a secret: never printed, wiped from memory when
/// dropped.
#[derive(Clone)]
pub struct SecretSetting(Zeroizing<String>);

impl SecretSetting {
    pub fn new(text: impl Into<String>) -> SecretSetting {
        SecretSetting(Zeroizing::new(text.into()))
    }

    /// The variable's value, when set and not blank.
    pub fn from_env(name: &str) -> Option<SecretSetting> {
        let text = std::env::var(name).ok()?;
        (!text.trim().is_empty()).then(|| SecretSetting::new(text))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretSetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretSetting(hidden)")
    }
}

/// `smtps://user:pass@host[:465]`, `smtp://user:pass@host[:587]` (STARTTLS
/// required unless the host is a loopback address), or `file://PATH`. The
/// user and password are percent-encoded as in any URL (`@` is `%40`).
/// No error repeats the text, which holds the password.
pub fn parse_mail_route(text: &str) -> Result<MailRoute, String> {
    let url = url::Url::parse(text.trim())
        .map_err(|e| format!("not a URL ({e}): write smtps://user:password@host:465"))?;
    if url.scheme() == "file" {
        let folder = url.to_file_path().map_err(|()| {
            "file:// needs an absolute folder, such as file:///var/lib/yighin/mail"
        })?;
        return Ok(MailRoute::Folder(folder));
    }
    let (security, default_port) = match url.scheme() {
        "smtps" => (Security::Tls, 465),
        "smtp" => (Security::StartTls, 587),
        other => {
            return Err(format!(
                "{other}:// is not a mail server: write smtps://…:465 (TLS), smtp://…:587 \
                 (STARTTLS) or file://FOLDER"
            ))
        }
    };
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err("nothing may follow the host and port (no path, no ?options)".into());
    }
    // `smtp` is not a scheme the URL standard knows, so its host comes as
    // text, even an IP address.
    let host = url
        .host_str()
        .filter(|host| !host.is_empty())
        .ok_or("the URL names no host")?
        .trim_matches(['[', ']'])
        .to_string();
    let security = if security == Security::StartTls && is_this_machine(&host) {
        Security::Plain
    } else {
        security
    };
    let decode = |part: &str| {
        percent_decode(part).ok_or_else(|| "the user or password is not valid UTF-8".to_string())
    };
    let username = match url.username() {
        "" => None,
        name => Some(decode(name)?),
    };
    let password = Zeroizing::new(decode(url.password().unwrap_or(""))?);
    Ok(MailRoute::Smtp(SmtpServer {
        host,
        port: url.port().unwrap_or(default_port),
        security,
        username,
        password,
    }))
}

fn percent_decode(part: &str) -> Option<String> {
    percent_encoding::percent_decode_str(part)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// Whether `host` is a loopback address, written as one: a name could
/// resolve elsewhere.
fn is_this_machine(host: &str) -> bool {
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// `Name <address>` or a bare address, as `YIGHIN_MAIL_FROM` holds it.
pub fn parse_sender(text: &str) -> Result<Mailbox, String> {
    text.trim()
        .parse::<Mailbox>()
        .map_err(|e| format!("{text:?} is not a mail address ({e})"))
}

/// An address typed by hand, such as `yighin mail-test`'s.
pub fn parse_address(text: &str) -> Result<Address, String> {
    text.trim()
        .parse::<Address>()
        .map_err(|e| format!("{text:?} is not a mail address ({e})"))
}

/// What went wrong, by the step that failed.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the mail server's name {host} does not resolve: {detail}")]
    Dns { host: String, detail: String },
    #[error("cannot connect to the mail server {server}: {detail}")]
    Connect { server: String, detail: String },
    #[error(
        "no secure connection with {server}: {detail} (smtps:// is TLS from the start, usually \
         port 465; smtp:// upgrades with STARTTLS, usually port 587)"
    )]
    Tls { server: String, detail: String },
    #[error("the mail server {server} did not take the username and password: {detail}")]
    Auth { server: String, detail: String },
    #[error(
        "the mail server {server} asks for a sign-in: put the username and password in \
         YIGHIN_SMTP_URL (smtps://USER:PASSWORD@HOST) ({detail})"
    )]
    SignInNeeded { server: String, detail: String },
    #[error("the mail server {server} refused the message: {detail}")]
    Refused { server: String, detail: String },
    #[error("the mail server {server} did not answer within {seconds} seconds")]
    Timeout { server: String, seconds: u64 },
    #[error("cannot write the message into {folder}: {detail}")]
    Folder { folder: String, detail: String },
    #[error("the message cannot be made: {0}")]
    Message(String),
}

impl MailError {
    /// Which step failed, in words that never hold the mail server's own
    /// (which may repeat the recipient's address): for the log.
    pub fn step(&self) -> &'static str {
        match self {
            MailError::Dns { .. } => "the mail server's name does not resolve",
            MailError::Connect { .. } => "no connection to the mail server",
            MailError::Tls { .. } => "no secure connection with the mail server",
            MailError::Auth { .. } => "the mail server refused the username and password",
            MailError::SignInNeeded { .. } => "the mail server asks for a sign-in",
            MailError::Refused { .. } => "the mail server refused the message",
            MailError::Timeout { .. } => "the mail server did not answer in time",
            MailError::Folder { .. } => "the mail folder cannot be written",
            MailError::Message(_) => "the message cannot be made",
        }
    }
}

/// How long one step (connecting, signing in, sending) may take before the
/// server counts as not answering: lettre's own timeout covers connecting.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// A route with the sender, ready to send.
#[derive(Clone, Debug)]
pub struct Mailer {
    route: MailRoute,
    sender: Mailbox,
    /// The instance's host (from the base URL): the EHLO name and the
    /// domain of message IDs, so that no message names the machine's own
    /// host name.
    host: url::Host<String>,
}

/// What `Mailer::check` found at each step, for the admin.
pub type Steps = Vec<String>;

impl Mailer {
    pub fn new(route: MailRoute, sender: Mailbox, base_url: &str) -> Mailer {
        // An onion address is not told to mail servers: the sender's
        // domain stands in for it.
        let host = url::Url::parse(base_url)
            .ok()
            .and_then(|url| url.host().map(|host| host.to_owned()))
            .filter(|_| !app::paths::is_onion(base_url))
            .unwrap_or_else(|| url::Host::Domain(sender.email.domain().to_string()));
        Mailer {
            route,
            sender,
            host,
        }
    }

    pub fn route(&self) -> &MailRoute {
        &self.route
    }

    /// The domain of message IDs: the instance's (an address written in
    /// brackets, as a domain literal).
    fn id_domain(&self) -> String {
        match &self.host {
            url::Host::Domain(name) => name.clone(),
            url::Host::Ipv4(ip) => format!("[{ip}]"),
            url::Host::Ipv6(ip) => format!("[IPv6:{ip}]"),
        }
    }

    /// A member's notice: plain text and HTML, a `Message-ID` that every
    /// attempt at it shares (a mail client shows a message that arrived
    /// twice once), and the one-click stop link mail clients offer
    /// (`List-Unsubscribe`, RFC 8058).
    pub fn letter(&self, letter: &app::services::outbox::Letter) -> Result<Message, MailError> {
        use lettre::message::header::{HeaderName, HeaderValue};
        use lettre::message::MultiPart;
        let to: Address = parse_address(&letter.to).map_err(MailError::Message)?;
        let id = format!("<{}@{}>", letter.message_key, self.id_domain());
        let mut message = Message::builder()
            .from(self.sender.clone())
            .to(Mailbox::new(None, to))
            .subject(&letter.subject)
            .message_id(Some(id))
            .multipart(MultiPart::alternative_plain_html(
                letter.text.clone(),
                letter.html.clone(),
            ))
            .map_err(|e| MailError::Message(e.to_string()))?;
        let headers = message.headers_mut();
        for (name, value) in [
            ("List-Unsubscribe", format!("<{}>", letter.stop_url)),
            (
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_string(),
            ),
            ("Auto-Submitted", "auto-generated".to_string()),
            ("Content-Language", letter.lang.tag().to_string()),
        ] {
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str(name),
                value,
            ));
        }
        Ok(message)
    }

    /// A plain-text message from the sender, with a message ID of the
    /// instance's domain.
    pub fn message(&self, to: Address, subject: &str, text: String) -> Result<Message, MailError> {
        let id = format!("<{}@{}>", app::secrets::new_token(), self.id_domain());
        Message::builder()
            .from(self.sender.clone())
            .to(Mailbox::new(None, to))
            .subject(subject)
            .message_id(Some(id))
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| MailError::Message(e.to_string()))
    }

    /// Sends one message.
    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        match &self.route {
            MailRoute::Folder(folder) => {
                prepare_folder(folder)?;
                AsyncFileTransport::<Tokio1Executor>::new(folder)
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| folder_error(folder, e))
            }
            MailRoute::Smtp(server) => {
                let transport = self.transport(server, true)?;
                within(server, Step::Send, transport.send(message)).await
            }
        }
    }

    /// Tries each step short of sending: the name resolves, the connection
    /// and its protection hold, the server takes the username and password.
    pub async fn check(&self) -> Result<Steps, MailError> {
        let server = match &self.route {
            MailRoute::Folder(folder) => {
                prepare_folder(folder)?;
                return Ok(vec![format!(
                    "messages are written into {} as .eml files, not sent",
                    folder.display()
                )]);
            }
            MailRoute::Smtp(server) => server,
        };
        let mut steps = Vec::new();
        let addresses = resolve(server).await?;
        steps.push(format!("{} is found at {addresses}", server.host));
        let transport = self.transport(server, false)?;
        within(server, Step::Connect, transport.test_connection()).await?;
        steps.push(format!(
            "{} answers on port {}, {}",
            server.host,
            server.port,
            match server.security {
                Security::Tls => "with TLS",
                Security::StartTls => "with STARTTLS",
                Security::Plain => "in plain SMTP (this machine's own relay)",
            }
        ));
        if let Some(username) = &server.username {
            let transport = self.transport(server, true)?;
            within(server, Step::SignIn, transport.test_connection()).await?;
            steps.push(format!("it takes the username {username} and its password"));
        }
        Ok(steps)
    }

    fn transport(
        &self,
        server: &SmtpServer,
        with_credentials: bool,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
        let tls = || {
            TlsParameters::new(server.host.clone()).map_err(|e| MailError::Tls {
                server: server.to_string(),
                detail: e.to_string(),
            })
        };
        let tls = match server.security {
            Security::Tls => Tls::Wrapper(tls()?),
            Security::StartTls => Tls::Required(tls()?),
            Security::Plain => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            .port(server.port)
            .tls(tls)
            .hello_name(match &self.host {
                url::Host::Domain(name) => ClientId::Domain(name.clone()),
                url::Host::Ipv4(ip) => ClientId::Ipv4(*ip),
                url::Host::Ipv6(ip) => ClientId::Ipv6(*ip),
            })
            .timeout(Some(STEP_TIMEOUT));
        if let (true, Some(username)) = (with_credentials, &server.username) {
            builder = builder.credentials(Credentials::new(
                username.clone(),
                server.password.as_str().to_owned(),
            ));
        }
        Ok(builder.build())
    }
}

impl std::fmt::Display for SmtpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// The folder `.eml` files go into, made its owner's alone.
fn prepare_folder(folder: &std::path::Path) -> Result<(), MailError> {
    crate::backups::owner_only_folder(folder).map_err(|e| folder_error(folder, e))
}

fn folder_error(folder: &std::path::Path, error: impl std::fmt::Display) -> MailError {
    MailError::Folder {
        folder: folder.display().to_string(),
        detail: error.to_string(),
    }
}

/// The server's addresses, or why its name does not resolve.
async fn resolve(server: &SmtpServer) -> Result<String, MailError> {
    let dns = |detail: String| MailError::Dns {
        host: server.host.clone(),
        detail,
    };
    let found = tokio::time::timeout(
        STEP_TIMEOUT,
        tokio::net::lookup_host((server.host.as_str(), server.port)),
    )
    .await
    .map_err(|_| dns("no answer in time".into()))?
    .map_err(|e| dns(e.to_string()))?;
    let addresses: Vec<String> = found.map(|address| address.ip().to_string()).collect();
    if addresses.is_empty() {
        return Err(dns("no address".into()));
    }
    Ok(addresses.join(", "))
}

/// One step with the server, in time, its failure explained.
async fn within<T>(
    server: &SmtpServer,
    step: Step,
    work: impl std::future::Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<(), MailError> {
    match tokio::time::timeout(STEP_TIMEOUT, work).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(explain(server, error, step).await),
        Err(_) => Err(MailError::Timeout {
            server: server.to_string(),
            seconds: STEP_TIMEOUT.as_secs(),
        }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Connect,
    SignIn,
    Send,
}

/// The step that failed, from lettre's error and the step that was tried.
async fn explain(
    server: &SmtpServer,
    error: lettre::transport::smtp::Error,
    step: Step,
) -> MailError {
    let name = server.to_string();
    let detail = describe(&error);
    if error.is_timeout() {
        return MailError::Timeout {
            server: name,
            seconds: STEP_TIMEOUT.as_secs(),
        };
    }
    if error.is_tls() {
        return MailError::Tls {
            server: name,
            detail,
        };
    }
    // Codes 530, 534 and 535 answer a sign-in (RFC 4954).
    let code = error.status().map(|code| code.to_string());
    let refused_sign_in = matches!(code.as_deref(), Some("530" | "534" | "535"));
    if error.is_permanent() || error.is_transient() || error.is_response() || error.is_client() {
        return match step {
            // Connecting alone asks for STARTTLS when required: a server
            // without it fails here.
            Step::Connect if server.security == Security::StartTls && error.is_client() => {
                MailError::Tls {
                    server: name,
                    detail,
                }
            }
            Step::SignIn => MailError::Auth {
                server: name,
                detail,
            },
            _ if refused_sign_in && server.username.is_some() => MailError::Auth {
                server: name,
                detail,
            },
            _ if refused_sign_in => MailError::SignInNeeded {
                server: name,
                detail,
            },
            _ => MailError::Refused {
                server: name,
                detail,
            },
        };
    }
    // A connection that failed: the name may not resolve, or the port
    // may take connections but not speak TLS.
    if let Err(dns) = resolve(server).await {
        return dns;
    }
    let reached = tokio::time::timeout(
        STEP_TIMEOUT,
        tokio::net::TcpStream::connect((server.host.as_str(), server.port)),
    )
    .await;
    match reached {
        Ok(Ok(_)) if server.security != Security::Plain => MailError::Tls {
            server: name,
            detail,
        },
        Ok(Err(error)) => MailError::Connect {
            server: name,
            detail: error.to_string(),
        },
        _ => MailError::Connect {
            server: name,
            detail,
        },
    }
}

/// lettre's error with the causes it wraps, in one line.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    let mut words = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_words = cause.to_string();
        if !words.contains(&cause_words) {
            words.push_str(": ");
            words.push_str(&cause_words);
        }
        source = cause.source();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(text: &str) -> SmtpServer {
        match parse_mail_route(text) {
            Ok(MailRoute::Smtp(server)) => server,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn each_scheme_has_its_protection_and_port() {
        let tls = smtp("smtps://events%40society.ca:p%40ss@mail.example.org");
        assert_eq!((tls.port, tls.security), (465, Security::Tls));
        assert_eq!(tls.username.as_deref(), Some("events@society.ca"));
        assert_eq!(tls.password.as_str(), "p@ss");
        let starttls = smtp("smtp://user:pw@mail.example.org");
        assert_eq!(
            (starttls.port, starttls.security),
            (587, Security::StartTls)
        );
        let custom = smtp("smtp://mail.example.org:2525/");
        assert_eq!((custom.port, custom.username), (2525, None));
    }

    #[test]
    fn plain_smtp_only_to_this_machine() {
        for local in [
            "smtp://127.0.0.1:25",
            "smtp://127.0.0.2:2525",
            "smtp://[::1]:25",
        ] {
            assert_eq!(smtp(local).security, Security::Plain, "{local}");
        }
        for elsewhere in [
            "smtp://10.0.0.5:25",
            "smtp://localhost:25",
            "smtp://127.0.0.1.example.org:25",
            "smtp://[::ffff:10.0.0.1]:25",
            "smtp://0.0.0.0:25",
        ] {
            assert_eq!(smtp(elsewhere).security, Security::StartTls, "{elsewhere}");
        }
        assert_eq!(smtp("smtps://127.0.0.1:465").security, Security::Tls);
    }

    #[test]
    fn other_urls_are_refused() {
        for wrong in [
            "mail.example.org",
            "http://mail.example.org",
            "smtp://mail.example.org/inbox",
            "smtp://mail.example.org?tls=none",
            "file://mail.example.org/folder",
        ] {
            assert!(parse_mail_route(wrong).is_err(), "{wrong}");
        }
        assert!(matches!(
            parse_mail_route("file:///var/lib/yighin/mail"),
            Ok(MailRoute::Folder(folder)) if folder == std::path::Path::new("/var/lib/yighin/mail")
        ));
    }

    #[test]
    fn the_password_is_never_printed() {
        let route = parse_mail_route("smtps://events:hunter2-secret@mail.example.org").unwrap();
        let printed = format!("{route:?}");
        assert!(printed.contains("mail.example.org"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
        let setting = SecretSetting::new("smtps://events:hunter2-secret@mail.example.org");
        assert!(!format!("{setting:?}").contains("hunter2"));
        // Mistyped URLs, as passwords with `#`, `?` or `/` make them.
        for mistyped in [
            "smtps://events:hunter2#x@mail.example.org",
            "smtps://events:hunter2?x@mail.example.org",
            "smtps://events:hunter2/x@mail.example.org",
            "smtps://events:hunter2@mail.example.org:99999",
            "htps://events:hunter2@mail.example.org",
        ] {
            let problem = parse_mail_route(mistyped).unwrap_err();
            assert!(!problem.contains("hunter2"), "{problem}");
        }
    }

    #[test]
    fn messages_name_the_instance_not_the_machine() {
        let mailer = Mailer::new(
            MailRoute::Folder("/unused".into()),
            parse_sender("Society <events@society.ca>").unwrap(),
            "https://events.society.ca",
        );
        let message = mailer
            .message(
                parse_address("member@example.org").unwrap(),
                "Subject",
                "Body".into(),
            )
            .unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("@events.society.ca>"), "{text}");
        assert!(text.contains("From: Society <events@society.ca>"), "{text}");
        let by_address = Mailer::new(
            MailRoute::Folder("/unused".into()),
            parse_sender("events@society.ca").unwrap(),
            "http://[2001:db8::5]:3000",
        );
        let message = by_address
            .message(parse_address("a@example.org").unwrap(), "S", "B".into())
            .unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("@[IPv6:2001:db8::5]>"), "{text}");
        let onion_only = Mailer::new(
            MailRoute::Folder("/unused".into()),
            parse_sender("events@society.ca").unwrap(),
            "http://abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefab.onion",
        );
        let message = onion_only
            .message(parse_address("a@example.org").unwrap(), "S", "B".into())
            .unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(
            text.contains("@society.ca>") && !text.contains(".onion"),
            "{text}"
        );
        assert!(parse_address("not an address").is_err());
    }
}
