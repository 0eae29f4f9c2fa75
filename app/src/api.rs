//! Server functions: thin wrappers that find the site in context, call a
//! service and hide server-side failures from the browser.

use crate::domain::{EventDetail, EventListing};
use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Site-wide facts every page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub name: String,
    pub languages: Vec<Lang>,
}

#[cfg(feature = "ssr")]
mod server {
    use crate::services::Site;
    use leptos::prelude::*;

    pub fn site() -> Result<Site, ServerFnError> {
        use_context::<Site>().ok_or_else(|| ServerFnError::new("site context missing"))
    }

    /// Logs the details and tells the browser only that something failed.
    pub fn internal(error: impl std::fmt::Display) -> ServerFnError {
        tracing::error!(%error, "server function failed");
        ServerFnError::new("internal error")
    }
}

#[server]
pub async fn load_site_info() -> Result<SiteInfo, ServerFnError> {
    let site = server::site()?;
    Ok(SiteInfo {
        name: site.settings.instance_name.clone(),
        languages: site.settings.languages.clone(),
    })
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
) -> Result<EventListing, ServerFnError> {
    use crate::db::events::Period;
    use crate::domain::{EventFilter, EventKind};
    let site = server::site()?;
    let lang = Lang::from_tag(&lang).unwrap_or(site.settings.default_lang);
    let filter = EventFilter {
        kind: kind.as_deref().and_then(EventKind::parse),
        city: city.filter(|c| !c.is_empty()),
        page: EventFilter::parse_page(page.as_deref()),
    };
    let period = if past { Period::Past } else { Period::Upcoming };
    crate::services::listing(&site, period, &filter, lang, crate::services::now())
        .await
        .map_err(server::internal)
}

#[server]
pub async fn load_event(slug: String, lang: String) -> Result<Option<EventDetail>, ServerFnError> {
    let site = server::site()?;
    let lang = Lang::from_tag(&lang).unwrap_or(site.settings.default_lang);
    crate::services::detail(&site, &slug, lang, crate::services::now())
        .await
        .map_err(server::internal)
}
