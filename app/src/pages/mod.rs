//! The HTML shell, the app's frame, and its routes.

mod about;
mod error_summary;
mod event_detail;
mod event_list;
mod islands;
mod messages;
mod my_rsvps;
mod not_found;
mod organise;
mod pager;
mod poster;
mod rsvp_form;
mod standing;

use crate::api::{load_site_info, SiteInfo};
use crate::i18n::Lang;
use crate::tr;
use about::AboutScreen;
pub use error_summary::ErrorSummary;
use event_detail::{EventPage, FlyerPage};
use event_list::EventList;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};
use my_rsvps::{CancelRsvpPage, MyRsvpPage, MyRsvpsPage, RenewFeedPage, StopMailPage};
pub use not_found::NotFound;
use organise::{
    AccountsScreen, AuditScreen, CancelEventPage, CheckInScreen, DashboardPage, EventEditor,
    LoginPage, RsvpsPage, SettingsScreen,
};

/// The document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    provide_context(lang);
    provide_context(poster::detect_images_shown());
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag() dir=lang.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="referrer" content="no-referrer" />
                <meta name="application-name" content=site_name() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Scripts run only with this response's nonce (the hydration script, and
/// what it loads); nothing inline otherwise, no plugin, no framing, no
/// `<base>`, forms only to this site. WebAssembly needs `wasm-unsafe-eval`.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{header, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        &*nonce
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The head of a page that no search engine should list (a member's or an
/// organiser's): its title, `noindex`, and a description, which a link
/// preview may show, so it names no event and no one.
#[component]
pub(crate) fn Unlisted(title: String, description: String) -> impl IntoView {
    view! {
        <Title text=title />
        <Meta name="description" content=description />
        <Meta name="robots" content="noindex, nofollow" />
    }
}

/// The organisation's name, which every page's title ends with: the
/// instance's setting. Pages are rendered on the server only (the browser
/// runs islands, which take what they show as props).
fn site_name() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::services::Site>()
            .map(|site| site.settings().instance_name.clone())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The reader's language, negotiated from the request.
fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        server_lang::from_request()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Lang::En
    }
}

#[cfg(feature = "ssr")]
mod server_lang {
    use crate::i18n::Lang;
    use crate::services::Site;
    use axum::http::request::Parts;
    use leptos::prelude::use_context;

    pub fn from_request() -> Lang {
        let Some(settings) = use_context::<Site>().map(|s| s.settings()) else {
            return Lang::En;
        };
        match use_context::<Parts>() {
            Some(parts) => crate::web::request_lang(&settings, parts.uri.query(), &parts.headers),
            None => settings.default_lang,
        }
    }
}

/// The content of a `<textarea>`. Leptos writes a textarea's children into
/// the server's HTML without escaping them (as for `<script>`), so text that
/// holds `</textarea>` would end the element there and then: on the server
/// the text is escaped here; in the browser, where it is set as text, not.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_string()
    }
}

/// The reader's language, provided once by [`App`].
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::En)
}

type SiteInfoResource = OnceResource<Result<SiteInfo, crate::error::AppError>>;

/// The instance's name and languages, loaded once per page by [`App`].
pub(crate) fn use_site_info() -> SiteInfoResource {
    expect_context::<SiteInfoResource>()
}

/// "Iftar at the community hall — Uyghur Society of Canada".
fn page_title(title: &str, site_name: &str) -> String {
    match (title.is_empty(), site_name.is_empty()) {
        (_, true) => title.to_string(),
        (true, false) => site_name.to_string(),
        (false, false) => format!("{title} — {site_name}"),
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = use_context::<Lang>().unwrap_or_else(detect_lang);
    provide_context(lang);
    provide_context(
        use_context::<poster::ImagesShown>().unwrap_or_else(poster::detect_images_shown),
    );
    provide_context(OnceResource::new(load_site_info()));
    let name = site_name();

    view! {
        <Title formatter=move |title: String| page_title(&title, &name) />
        <Router>
            <a class="skip-link" href="#main">{tr!(lang, skip_to_content)}</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view=|| view! { <EventList past=false /> } ssr=SsrMode::Async />
                    <Route path=path!("past") view=|| view! { <EventList past=true /> } ssr=SsrMode::Async />
                    <Route path=path!("events/:slug") view=EventPage ssr=SsrMode::Async />
                    <Route path=path!("rsvp/:token") view=MyRsvpPage ssr=SsrMode::Async />
                    <Route path=path!("rsvp/:token/cancel") view=CancelRsvpPage ssr=SsrMode::Async />
                    <Route path=path!("about") view=AboutScreen ssr=SsrMode::Async />
                    <Route path=path!("my") view=MyRsvpsPage ssr=SsrMode::Async />
                    <Route path=path!("my/feed/renew") view=RenewFeedPage ssr=SsrMode::Async />
                    <Route path=path!("organise") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("organise/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("organise/accounts") view=AccountsScreen ssr=SsrMode::Async />
                    <Route path=path!("organise/audit") view=AuditScreen ssr=SsrMode::Async />
                    <Route path=path!("organise/settings") view=SettingsScreen ssr=SsrMode::Async />
                    <Route path=path!("organise/events/new") view=EventEditor ssr=SsrMode::Async />
                    <Route path=path!("organise/events/:slug/edit") view=EventEditor ssr=SsrMode::Async />
                    <Route path=path!("organise/events/:slug/rsvps") view=RsvpsPage ssr=SsrMode::Async />
                    <Route path=path!("organise/events/:slug/check-in") view=CheckInScreen ssr=SsrMode::Async />
                    <Route path=path!("organise/events/:slug/status") view=CancelEventPage ssr=SsrMode::Async />
                    <Route path=path!("mail/stop/:token") view=StopMailPage ssr=SsrMode::Async />
                    <Route path=path!("events/:slug/flyer") view=FlyerPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{tr!(lang, footer_privacy)}</p>
                <p><A href=crate::paths::ABOUT>{tr!(lang, nav_about)}</A></p>
                <p><A href=crate::paths::ORGANISE>{tr!(lang, nav_organise)}</A></p>
                <DataSaver />
            </footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let info = use_site_info();
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <Suspense fallback=|| "Yighin">
                    {move || Suspend::new(async move {
                        info.await.map(|i| i.name).unwrap_or_else(|_| "Yighin".to_string())
                    })}
                </Suspense>
            </A>
            <LanguageSwitcher />
            <nav aria-label=tr!(lang, main_navigation)>
                <A href=crate::paths::HOME exact=true>{tr!(lang, nav_upcoming)}</A>
                <A href=crate::paths::PAST>{tr!(lang, nav_past)}</A>
                <A href=crate::paths::MY_RSVPS>{tr!(lang, nav_my_rsvps)}</A>
            </nav>
        </header>
    }
}

/// The data saver: a form that hides posters on every page (or shows them
/// again), remembered in a cookie like the language.
#[component]
fn DataSaver() -> impl IntoView {
    let lang = use_lang();
    let back = back_here();
    let shown = poster::images_shown();
    let (value, label) = if shown {
        ("off", tr!(lang, images_hide))
    } else {
        ("on", tr!(lang, images_show))
    };
    view! {
        <form class="data-saver" method="post" action=crate::paths::IMAGES>
            <input type="hidden" name="back" value=back />
            <button type="submit" name="images" value=value class="link">{label}</button>
        </form>
    }
}

/// The page's address, for a footer or header form to come back to once
/// it has remembered a choice in a cookie: without `?lang=`, which the
/// cookie now says.
fn back_here() -> impl Fn() -> String + Copy {
    let location = use_location();
    move || {
        let query: Vec<(String, String)> =
            form_urlencoded::parse(location.search.get().trim_start_matches('?').as_bytes())
                .filter(|(k, _)| k != "lang")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        let path = location.pathname.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }
}

/// A form per language button: posting it remembers the choice in a cookie
/// and comes back to the same page. A POST, not a link, so that no link
/// prefetcher or crawler changes anyone's language.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let lang = use_lang();
    let back = back_here();
    let info = use_site_info();
    view! {
        <form class="languages" method="post" action=crate::paths::LANGUAGE aria-label=tr!(lang, language_label)>
            <input type="hidden" name="back" value=back />
            <Suspense>
                {move || Suspend::new(async move {
                    let offered = info.await.map_or_else(|_| Lang::ALL.to_vec(), |i| i.languages);
                    offered
                        .into_iter()
                        .map(|target| {
                            view! {
                                <button
                                    type="submit"
                                    name="lang"
                                    value=target.tag()
                                    lang=target.tag()
                                    dir=target.dir()
                                    aria-pressed=(target == lang).then_some("true")
                                >
                                    {target.native_name()}
                                </button>
                            }
                        })
                        .collect_view()
                })}
            </Suspense>
        </form>
    }
}
