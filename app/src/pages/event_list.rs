//! The upcoming list and the past-events archive, with their filters.

use super::pager::Pager;
use super::standing::{EventTime, PhaseBadge};
use super::use_lang;
use crate::api::list_events;
use crate::domain::{EventCard, EventFilter, EventKind, EventListing, EventStatus};
use crate::i18n::Lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// A link to a list with the given filters, on its first page unless `page` says otherwise.
fn filter_href(base: &str, kind: Option<&str>, city: Option<&str>, page: u32) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(kind) = kind {
        query.append_pair("kind", kind);
    }
    if let Some(city) = city {
        query.append_pair("city", city);
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{query}")
    }
}

#[component]
pub fn EventList(past: bool) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        (
            q.get("kind").filter(|k| !k.is_empty()),
            q.get("city").filter(|c| !c.is_empty()),
            EventFilter::parse_page(q.get("page").as_deref()),
        )
    };
    let listing = Resource::new(filters, move |(kind, city, page)| {
        list_events(
            past,
            kind,
            city,
            Some(page.to_string()),
            lang.tag().to_string(),
        )
    });
    let info = super::use_site_info();
    let (title, empty) = if past {
        (tr!(lang, past_title), tr!(lang, no_past))
    } else {
        (tr!(lang, upcoming_title), tr!(lang, no_upcoming))
    };

    view! {
        <Title text=title />
        <Meta name="description" content=title />
        <h1>{title}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let (kind, city, page) = filters();
                match listing.await {
                    Ok(listing) => {
                        let has_more = listing.has_more;
                        let base = if past { crate::paths::PAST } else { crate::paths::HOME };
                        // An empty filtered list offers the way back to all.
                        let clear = (kind.is_some() || city.is_some())
                            .then_some(base);
                        let base_url = info.await.map(|i| i.base_url).unwrap_or_default();
                        view! {
                            <Filters past kind=kind.clone() city=city.clone() listing=listing.clone() />
                            <Days listing empty_text=empty clear />
                            <Pager
                                previous=(page > 1).then(|| filter_href(base, kind.as_deref(), city.as_deref(), page - 1))
                                next=has_more.then(|| filter_href(base, kind.as_deref(), city.as_deref(), page + 1))
                            />
                            <Subscribe base_url kind city />
                        }
                    }
                    .into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Filters(
    past: bool,
    kind: Option<String>,
    city: Option<String>,
    listing: EventListing,
) -> impl IntoView {
    let lang = use_lang();
    let base = if past {
        crate::paths::PAST
    } else {
        crate::paths::HOME
    };
    let kind_links = std::iter::once(None)
        .chain(EventKind::ALL.iter().map(|k| Some(k.as_str())))
        .map(|option| {
            let label = option.and_then(EventKind::parse).map_or(tr!(lang, filter_all), |k| k.label(lang));
            let current = option == kind.as_deref();
            view! {
                <li>
                    <a href=filter_href(base, option, city.as_deref(), 1) aria-current=current.then_some("true")>
                        {label}
                    </a>
                </li>
            }
        })
        .collect_view();
    let city_links = std::iter::once(None)
        .chain(listing.cities.into_iter().map(Some))
        .map(|option| {
            let current = option == city;
            let href = filter_href(base, kind.as_deref(), option.as_deref(), 1);
            view! {
                <li>
                    <a href=href aria-current=current.then_some("true")>
                        {option.unwrap_or_else(|| tr!(lang, filter_all).to_string())}
                    </a>
                </li>
            }
        })
        .collect_view();
    let filtered = kind.is_some() || city.is_some();
    view! {
        <div class="filters">
            <nav aria-labelledby="filter-kind">
                <h2 id="filter-kind">{tr!(lang, filter_kind)}</h2>
                <ul class="chips">{kind_links}</ul>
            </nav>
            <nav aria-labelledby="filter-city">
                <h2 id="filter-city">{tr!(lang, filter_city)}</h2>
                <ul class="chips">{city_links}</ul>
            </nav>
            {filtered.then(|| view! { <A href=base attr:class="clear-filters">{tr!(lang, clear_filters)}</A> })}
        </div>
    }
}

/// The feed of this list's filters, for calendar apps: `webcal://` opens
/// the reader's calendar app, the https address can be pasted anywhere.
#[component]
pub(super) fn Subscribe(
    base_url: String,
    kind: Option<String>,
    city: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let feed = |language: &str, language_key: &str| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(kind) = &kind {
            query.append_pair("kind", kind);
        }
        if let Some(city) = &city {
            query.append_pair("city", city);
        }
        query.append_pair(language_key, language);
        format!("{base_url}/calendar.ics?{}", query.finish())
    };
    let https = feed(lang.tag(), "lang");
    let only_this_language = feed(lang.tag(), "language");
    // Google cannot fetch an onion address, and would learn of it.
    let google = !crate::paths::is_onion(&base_url);
    view! {
        <aside class="subscribe" aria-labelledby="subscribe-heading">
            <h2 id="subscribe-heading">{tr!(lang, subscribe_heading)}</h2>
            <FeedLinks https=https google=google />
            <p><a href=webcal(&only_this_language) rel="external">{tr!(lang, subscribe_only_lang)}</a></p>
        </aside>
    }
}

/// The `webcal://` form of a feed address, which opens a calendar app.
fn webcal(https: &str) -> String {
    match https.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https.to_string(),
    }
}

/// The ways to subscribe to the feed at `https`: a calendar app, the address
/// itself and, for public feeds on the public address, Google Calendar's
/// subscribe page.
#[component]
pub fn FeedLinks(https: String, google: bool) -> impl IntoView {
    let lang = use_lang();
    let webcal = webcal(&https);
    let google = google.then(|| {
        let href = format!(
            "https://calendar.google.com/calendar/r?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("cid", &webcal)
                .finish()
        );
        view! { <li><a href=href rel="external noopener noreferrer">{tr!(lang, subscribe_google)}</a></li> }
    });
    view! {
        <ul class="feed-links">
            <li><a href=webcal rel="external">{tr!(lang, subscribe_app)}</a></li>
            <li><a href=https rel="external">{tr!(lang, subscribe_link)}</a></li>
            {google}
        </ul>
    }
}

#[component]
fn Days(
    listing: EventListing,
    empty_text: &'static str,
    /// The unfiltered list, when filters are on.
    clear: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    if listing.days.is_empty() {
        return view! {
            <p class="empty">{empty_text}</p>
            {clear.map(|href| view! { <p><A href=href attr:class="button">{tr!(lang, clear_filters)}</A></p> })}
        }
        .into_any();
    }
    listing
        .days
        .into_iter()
        .map(|day| {
            view! {
                <section class="day" aria-labelledby=format!("day-{}", day.date_iso)>
                    <h2 id=format!("day-{}", day.date_iso)>
                        <time datetime=day.date_iso.clone()>{day.date_label}</time>
                    </h2>
                    <ul class="events">
                        {day.events.into_iter().map(|card| view! { <Card card /> }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

/// One event in a list. The whole card is the link's target (the title's
/// link covers it), so a thumb anywhere on it opens the event.
#[component]
fn Card(card: EventCard) -> impl IntoView {
    let lang = use_lang();
    let availability = if card.full {
        Some(tr!(lang, card_full).to_string())
    } else {
        card.seats_left
            .map(|count| tr!(lang, places_left, count = count))
    };
    view! {
        <li class="event-card" data-kind=card.kind.as_str()>
            // Beside the title, which says what it shows: no words of its own.
            {card.thumbnail.map(|poster| view! {
                <super::poster::PosterPicture poster sizes="5.5rem" lazy=true class="thumb" />
            })}
            <p class="meta">
                <span class=format!("kind kind-{}", card.kind.as_str())>{card.kind.label(lang)}</span>
                <PhaseBadge phase=card.phase />
            </p>
            <h3 dir="auto">
                <A href=crate::paths::event(&card.slug) attr:class="card-link">{card.title}</A>
            </h3>
            <p class="when">
                <EventTime phase=card.phase label=card.time_label iso=card.start_iso />
                {card.zone_label.map(|z| view! { <span class="zone">{z}</span> })}
            </p>
            {(!card.place.is_empty()).then(|| view! { <p class="place" dir="auto">{card.place.clone()}</p> })}
            {availability.map(|text| view! { <p class="availability" class:full=card.full>{text}</p> })}
            {(!card.summary.is_empty()).then(|| view! { <p class="summary" dir="auto">{card.summary}</p> })}
        </li>
    }
}

/// Shown only when an event is not going ahead as planned.
#[component]
pub fn StatusBadge(status: EventStatus, lang: Lang) -> impl IntoView {
    (status != EventStatus::Scheduled).then(|| {
        view! { <span class=format!("status status-{}", status.as_str())>{status.label(lang)}</span> }
    })
}
