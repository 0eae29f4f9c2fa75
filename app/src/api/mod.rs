//! Server functions: thin wrappers that find the site in context, call a
//! service, and answer with [`AppError`] when something went wrong (the
//! details of a server-side failure are logged, never sent).

use crate::domain::{AboutPage, EventDetail, EventListing};
pub use crate::error::AppError;
use crate::i18n::Lang;
use crate::rsvp::{MyRsvp, MyRsvps, RsvpForm, RsvpFormState, RsvpOutcome};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

mod organise;
pub use organise::*;

/// Site-wide facts every page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub name: String,
    /// The address the visitor came to (the public one, or the onion
    /// one), for links people take elsewhere (feeds).
    pub base_url: String,
    pub languages: Vec<Lang>,
    /// Days after an event that its answers' names are deleted.
    pub retention_days: i64,
    /// The instance's time zone (IANA name), in which times are shown.
    pub zone: String,
    /// The instance sends email: answer forms offer notices by email.
    pub mail_offered: bool,
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::error::AppError;
    use crate::services::Site;
    use leptos::prelude::*;

    pub fn site() -> Result<Site, AppError> {
        use_context::<Site>().ok_or_else(|| {
            tracing::error!("server function called without the site in context");
            AppError::Internal
        })
    }

    /// Tells the response — a server function's reply, or the page
    /// rendered around it — what went wrong: its status, and when to try
    /// again.
    pub fn tell(error: &AppError) {
        set_status(error.status());
        if let (Some(seconds), Some(response)) = (
            error.retry_after(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            response.insert_header(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
    }

    /// A failure as the reply says it ([`tell`]), from any service error
    /// (server-side details are logged as it converts, never sent).
    pub fn fail(error: impl Into<AppError>) -> AppError {
        let error = error.into();
        tell(&error);
        error
    }

    /// The address links on this page start with: the one the visitor came to.
    pub fn base_url(site: &Site) -> String {
        let reached = use_context::<axum::http::request::Parts>()
            .map(|parts| crate::web::reached(&parts.extensions))
            .unwrap_or_default();
        site.settings().base_url_for(reached).to_string()
    }

    /// The request's headers (empty outside a request).
    pub fn request_headers() -> axum::http::HeaderMap {
        use_context::<axum::http::request::Parts>()
            .map(|p| p.headers)
            .unwrap_or_default()
    }

    pub fn set_cookie(cookie: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::HeaderValue::from_str(cookie),
        ) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }

    /// An answer through the page's script: the shared adaptor, then the
    /// reply's way of saying it (429 with `Retry-After` when over the
    /// limit, as the form post answers; the device cookie; 5xx details
    /// logged, never sent).
    pub async fn answered(
        site: &Site,
        request: crate::web::AnswerRequest<'_>,
    ) -> Result<crate::rsvp::RsvpOutcome, AppError> {
        let parts = use_context::<axum::http::request::Parts>();
        let headers = parts
            .as_ref()
            .map(|p| p.headers.clone())
            .unwrap_or_default();
        let client = parts.as_ref().and_then(|parts| {
            crate::web::client_address(
                &parts.headers,
                &parts.extensions,
                site.settings().client_ip_header.as_deref(),
            )
        });
        let answered = crate::web::answer(site, &headers, client.as_deref(), request).await;
        if let Some(cookie) = &answered.set_cookie {
            set_cookie(cookie);
        }
        let outcome = answered.outcome.map_err(fail)?;
        if outcome == crate::rsvp::RsvpOutcome::TooMany {
            // The outcome says so on the page; the reply says it as the
            // form post does: 429, and when to try again.
            let (retry_after, _) = crate::web::too_many_answers();
            tell(&AppError::TooMany { retry_after });
        }
        Ok(outcome)
    }

    /// Private answers must not be kept by browsers or proxies.
    pub fn no_store() {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
        }
    }

    /// Sets the status of the answer (a page, or a server function's reply).
    pub fn set_status(status: axum::http::StatusCode) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
}

#[server]
pub async fn load_site_info() -> Result<SiteInfo, AppError> {
    let site = server::site()?;
    Ok(SiteInfo {
        name: site.settings().instance_name.clone(),
        base_url: server::base_url(&site),
        languages: site.settings().languages.clone(),
        retention_days: site.settings().retention_days,
        zone: site.settings().default_zone.name().to_string(),
        mail_offered: site.mail_key().is_some(),
    })
}

/// Whether the link that stops a member's emails stops anything now.
#[server]
pub async fn load_mail_stop(token: String) -> Result<bool, AppError> {
    let site = server::site()?;
    server::no_store();
    crate::services::outbox::stop_known(&site, &token)
        .await
        .map_err(server::fail)
}

/// `past` selects the archive; `kind` and `city` filter, empty meaning all;
/// `page` is 1-based.
#[server]
pub async fn list_events(
    past: bool,
    kind: Option<String>,
    city: Option<String>,
    page: Option<String>,
    lang: String,
) -> Result<EventListing, AppError> {
    use crate::db::events::Period;
    use crate::domain::{EventFilter, EventKind};
    let site = server::site()?;
    let lang = site.settings().lang(Some(&lang));
    let filter = EventFilter {
        kind: kind.as_deref().and_then(EventKind::parse),
        city: city.filter(|c| !c.is_empty()),
        page: EventFilter::parse_page(page.as_deref()),
    };
    let period = if past { Period::Past } else { Period::Upcoming };
    crate::services::listing(&site, period, &filter, lang, crate::services::now())
        .await
        .map_err(server::fail)
}

#[server]
pub async fn load_event(slug: String, lang: String) -> Result<Option<EventDetail>, AppError> {
    let site = server::site()?;
    let lang = site.settings().lang(Some(&lang));
    crate::services::detail(&site, &slug, lang, crate::services::now())
        .await
        .map_err(server::fail)
}

/// The "About" page in `lang`.
#[server]
pub async fn load_about(lang: String) -> Result<AboutPage, AppError> {
    let site = server::site()?;
    let lang = site.settings().lang(Some(&lang));
    crate::services::organise::about(&site, lang)
        .await
        .map_err(server::fail)
}

/// A new answer to the event `slug`; the fields are the RSVP form's, as
/// flat as the browser posts them.
#[server]
pub async fn submit_rsvp(
    slug: String,
    #[server(flatten)] form: RsvpForm,
) -> Result<RsvpOutcome, AppError> {
    let site = server::site()?;
    server::answered(
        &site,
        crate::web::AnswerRequest::New {
            slug: &slug,
            form: &form,
        },
    )
    .await
}

/// The RSVP behind a private link, or `None` for any other string.
#[server]
pub async fn load_my_rsvp(token: String, lang: String) -> Result<Option<MyRsvp>, AppError> {
    use crate::services::rsvp::{self, RsvpError};
    let site = server::site()?;
    server::no_store();
    let lang = site.settings().lang(Some(&lang));
    let base_url = server::base_url(&site);
    match rsvp::my_rsvp(&site, &token, lang, crate::services::now(), &base_url).await {
        Ok(mine) => Ok(Some(mine)),
        Err(RsvpError::NotFound) => Ok(None),
        Err(other) => Err(server::fail(other)),
    }
}

/// Changes the answer behind a private link.
#[server]
pub async fn change_rsvp(
    token: String,
    #[server(flatten)] form: RsvpForm,
) -> Result<RsvpOutcome, AppError> {
    let site = server::site()?;
    server::answered(
        &site,
        crate::web::AnswerRequest::Change {
            token: &token,
            form: &form,
        },
    )
    .await
}

/// Cancels the answer behind a private link.
#[server]
pub async fn cancel_rsvp(token: String) -> Result<RsvpOutcome, AppError> {
    let site = server::site()?;
    server::answered(&site, crate::web::AnswerRequest::Cancel { token: &token }).await
}

/// The answers sent from this device (by its member cookie), and the
/// address of its personal calendar feed.
#[server]
pub async fn load_my_rsvps(lang: String) -> Result<MyRsvps, AppError> {
    let site = server::site()?;
    server::no_store();
    let lang = site.settings().lang(Some(&lang));
    let headers = server::request_headers();
    let secret = site.device_secret().await.map_err(server::fail)?;
    let Some(key) = crate::web::device_key(&headers, site.settings().secure_cookies, &secret)
    else {
        return Ok(MyRsvps::default());
    };
    let entries = crate::services::rsvp::my_rsvps(&site, key, lang)
        .await
        .map_err(server::fail)?;
    let feed_url = if entries.is_empty() {
        None
    } else {
        let path =
            crate::services::calendar::my_feed_path(&site, key, lang, crate::services::now())
                .await
                .map_err(server::fail)?;
        Some(format!("{}{path}", server::base_url(&site)))
    };
    Ok(MyRsvps { entries, feed_url })
}

/// A form that the server's no-JavaScript handler sends back with its
/// errors; empty everywhere else (and always in the browser).
pub async fn pending_form_state() -> Option<RsvpFormState> {
    #[cfg(feature = "ssr")]
    {
        use_context::<RsvpFormState>()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
