//! One event's public page.

use super::event_list::Subscribe;
use super::rsvp_form::RsvpSection;
use super::standing::{EventStanding, EventTime, PhaseBadge};
use super::{use_lang, NotFound};
use crate::api::load_event;
use crate::domain::EventDetail;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EventPage() -> impl IntoView {
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
                        view! {
                            <Event event />
                            // The whole schedule, for those who want the next ones too.
                            <Subscribe base_url kind=None city=None />
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
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
