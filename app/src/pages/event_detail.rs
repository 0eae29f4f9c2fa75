//! One event's public page.

use super::event_list::Subscribe;
use super::islands::{CopyLinkButton, ShareButton};
use super::poster::PosterPicture;
use super::rsvp_form::RsvpSection;
use super::standing::{EventStanding, EventTime, PhaseBadge};
use super::{use_lang, NotFound};
use crate::api::load_event;
use crate::domain::EventDetail;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The event of the address's `slug`, shown by `show` with the address the
/// reader came to; a 404 page for no such event.
#[component]
fn LoadedEvent(show: fn(EventDetail, String) -> AnyView) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let detail = Resource::new(slug, move |slug| load_event(slug, lang.tag().to_string()));
    let info = super::use_site_info();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(Some(event)) => {
                        let base_url = info.await.map(|i| i.base_url).unwrap_or_default();
                        show(event, base_url)
                    }
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EventPage() -> impl IntoView {
    view! {
        <LoadedEvent show=|event, base_url| view! {
            <LinkPreview event=event.clone() base_url=base_url.clone() />
            <Event event=event.clone() />
            <Share event base_url=base_url.clone() />
            // The whole schedule, for those who want the next ones too.
            <Subscribe base_url kind=None city=None />
        }.into_any() />
    }
}

/// What chat apps (WhatsApp, Telegram, Signal, Mastodon) show for a link
/// to the event: a card in the reader's language, with the title, the
/// local date and time, the city and the summary, and the page's one
/// address. A sensitive event's card says its public title alone.
#[component]
fn LinkPreview(event: EventDetail, base_url: String) -> impl IntoView {
    let url = format!("{base_url}{}", crate::paths::event(&event.slug));
    let title = event.text.title.clone();
    let summary = (!event.place_hidden).then(|| {
        let line: Vec<&str> = [event.when_label.as_str(), event.city.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let line = line.join(" · ");
        let text = if event.text.summary.is_empty() {
            line
        } else {
            format!("{line} — {}", event.text.summary)
        };
        text.chars().take(200).collect::<String>()
    });
    // JPEG: every chat app reads it. None for a sensitive event.
    let image = event
        .poster
        .as_ref()
        .filter(|_| !event.place_hidden)
        .and_then(|poster| {
            let file = poster.file_near(crate::domain::PosterFormat::Jpeg, 960)?;
            Some((
                format!("{base_url}{}", file.url),
                file.width,
                file.height,
                poster.alt.clone(),
            ))
        });
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    let lang = use_lang();
    view! {
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content=super::site_name() />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:url" content=url />
        <Meta property="og:locale" content=lang.tag().replace('-', "_") />
        <Meta name="twitter:card" content=card />
        {image.map(|(url, width, height, alt)| view! {
            <Meta property="og:image" content=url.clone() />
            <Meta property="og:image:type" content="image/jpeg" />
            <Meta property="og:image:width" content=width.to_string() />
            <Meta property="og:image:height" content=height.to_string() />
            <Meta property="og:image:alt" content=alt.clone() />
            <Meta name="twitter:image" content=url />
            <Meta name="twitter:image:alt" content=alt />
        })}
        <Meta name="twitter:title" content=title />
        {summary.map(|summary| view! {
            <Meta property="og:description" content=summary.clone() />
            <Meta name="twitter:description" content=summary />
        })}
    }
}

/// Text for a `mailto:` or share link's query (spaces as `%20`, which every
/// mail app reads; `+` is not a space there).
fn query_text(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Ways to pass the event on where members already talk: plain links
/// (nothing loads from those sites unless one is followed), an email, and
/// the QR code of its address for a flyer or a phone held up to another.
#[component]
fn Share(event: EventDetail, base_url: String) -> impl IntoView {
    let lang = use_lang();
    let url = format!("{base_url}{}", crate::paths::event(&event.slug));
    let text = format!("{} — {}", event.text.title, event.when_label);
    let whatsapp = format!(
        "https://wa.me/?text={}",
        query_text(&format!("{text} {url}"))
    );
    let telegram = format!(
        "https://t.me/share/url?url={}&text={}",
        query_text(&url),
        query_text(&text)
    );
    let email = format!(
        "mailto:?subject={}&body={}",
        query_text(&event.text.title),
        query_text(&format!("{text}\n{url}"))
    );
    view! {
        <section class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{tr!(lang, share_heading)}</h2>
            <ShareButton title=event.text.title.clone() url=url.clone() label=tr!(lang, share_button).to_string() />
            <ul>
                <li><a href=whatsapp rel="noopener noreferrer nofollow external">"WhatsApp"</a></li>
                <li><a href=telegram rel="noopener noreferrer nofollow external">"Telegram"</a></li>
                <li><a href=email>{tr!(lang, share_by_email)}</a></li>
                <li><a href=crate::paths::event_qr(&event.slug)>{tr!(lang, share_qr)}</a></li>
                <li><a href=crate::paths::flyer(&event.slug)>{tr!(lang, print_flyer)}</a></li>
            </ul>
            <label for="share-url">{tr!(lang, share_address)}</label>
            <input id="share-url" type="text" readonly value=url.clone() dir="ltr" />
            <CopyLinkButton link=url copy_label=tr!(lang, copy_link).to_string() copied_label=tr!(lang, copied).to_string() />
            <p class="hint">{tr!(lang, share_hint)}</p>
        </section>
    }
}

/// `/events/:slug/flyer`: the event on one printed page, in the reader's
/// language (`?lang=`): its title, when in its own zone, where (unless it
/// is sensitive: the public page's redaction holds), its summary and the QR
/// code of its address. The print style drops the site's header and
/// footer; the printer's paper (A4 or Letter) decides the size.
#[component]
pub fn FlyerPage() -> impl IntoView {
    view! { <LoadedEvent show=flyer /> }
}

fn flyer(event: EventDetail, base_url: String) -> AnyView {
    let lang = use_lang();
    let url = format!("{base_url}{}", crate::paths::event(&event.slug));
    let place: Vec<String> = [event.venue_name, event.venue_address, event.city]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let text_lang = event.text_lang;
    view! {
        <Title text=format!("{} · {}", tr!(lang, flyer_title), event.text.title) />
        <Meta name="robots" content="noindex" />
        <article class="flyer">
            <div lang=text_lang.tag() dir=text_lang.dir()>
                <h1>{event.text.title.clone()}</h1>
                {(!event.text.summary.is_empty()).then(|| view! { <p class="lead">{event.text.summary.clone()}</p> })}
            </div>
            <p class="when">
                {event.when_label.clone()}
                {event.zone_label.clone().map(|z| view! { <span class="zone">{z}</span> })}
            </p>
            {(!place.is_empty()).then(|| view! { <p class="place" dir="auto">{place.join(", ")}</p> })}
            {event.poster.map(|poster| view! { <PosterPicture poster sizes="12cm" class="poster" /> })}
            <figure>
                <img src=crate::paths::event_qr(&event.slug) width="256" height="256" alt=url.clone() />
                <figcaption>{tr!(lang, flyer_scan)}<br /><span dir="ltr">{url.clone()}</span></figcaption>
            </figure>
        </article>
        <p class="no-print"><A href=crate::paths::event(&event.slug) attr:class="back-link">{event.text.title.clone()}</A></p>
    }
    .into_any()
}

/// Text written by organisers: paragraphs separated by blank lines.
fn paragraphs(text: &str) -> impl IntoView {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view()
}

#[component]
fn Event(event: EventDetail) -> impl IntoView {
    let lang = use_lang();
    let text = event.text;
    let text_lang = event.text_lang;
    // Safety first: it may decide whether and how someone comes.
    let notes = [
        (tr!(lang, safety), text.safety),
        (tr!(lang, accessibility), text.accessibility),
        (tr!(lang, what_to_bring), text.what_to_bring),
    ];
    let place: Vec<String> = [event.venue_name, event.venue_address, event.city]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let phase = event.phase;
    // Only a date that holds goes into a calendar, and only while to come.
    let calendar = phase.date_holds();
    let description = if text.summary.is_empty() {
        format!("{} · {}", text.title, event.when_label)
    } else {
        text.summary.clone()
    };
    view! {
        <Title text=text.title.clone() />
        <Meta name="description" content=description />
        <article class="event" class:past=event.is_past>
            <p class="meta">
                <span class=format!("kind kind-{}", event.kind.as_str())>{event.kind.label(lang)}</span>
                <PhaseBadge phase />
            </p>
            {(text_lang != lang).then(|| view! { <p class="notice">{tr!(lang, not_translated)}</p> })}
            <div lang=text_lang.tag() dir=text_lang.dir()>
                <h1>{text.title}</h1>
                {(!text.summary.is_empty()).then(|| view! { <p class="lead">{text.summary}</p> })}
            </div>
            <EventStanding phase moved_from=event.moved_from />
            <dl class="facts">
                <dt>{tr!(lang, when_heading)}</dt>
                <dd>
                    <EventTime phase label=event.when_label iso=event.start_iso />
                    {event.zone_label.map(|z| view! { <span class="zone">{z}</span> })}
                    {calendar.then(|| view! {
                        <br />
                        <a class="calendar-link" href=crate::paths::event_ics(&event.slug) rel="external nofollow" download>
                            {tr!(lang, add_to_calendar)}
                        </a>
                    })}
                </dd>
                {(!place.is_empty() || event.place_hidden).then(|| view! {
                    <dt>{tr!(lang, where_heading)}</dt>
                    <dd dir="auto">
                        {place.join(", ")}
                        {event.place_hidden.then(|| view! { <p class="hint place-hidden">{tr!(lang, place_for_confirmed)}</p> })}
                    </dd>
                })}
                {(!event.online_url.is_empty()).then(|| view! {
                    <dt>{tr!(lang, online)}</dt>
                    <dd><a href=event.online_url.clone() rel="noopener noreferrer nofollow">{event.online_url.clone()}</a></dd>
                })}
            </dl>
            {event.poster.map(|poster| view! {
                <PosterPicture poster sizes="(max-width: 40rem) 100vw, 40rem" lazy=true class="poster" />
            })}
            {(!event.description_html.is_empty()).then(|| view! {
                <section lang=text_lang.tag() dir=text_lang.dir()>
                    <h2>{tr!(lang, about)}</h2>
                    <div class="description" inner_html=event.description_html.clone()></div>
                </section>
            })}
            {notes.into_iter().filter(|(_, body)| !body.is_empty()).map(|(heading, body)| view! {
                <section class="note" lang=text_lang.tag() dir=text_lang.dir()>
                    <h2>{heading}</h2>
                    {paragraphs(&body)}
                </section>
            }).collect_view()}
            {calendar.then(|| view! { <RsvpSection slug=event.slug.clone() panel=event.rsvp.clone() /> })}
            <p><A href=if event.is_past { crate::paths::PAST } else { crate::paths::HOME } attr:class="back-link">{tr!(lang, back_to_events)}</A></p>
        </article>
    }
}
