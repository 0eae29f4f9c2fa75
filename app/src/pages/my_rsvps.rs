//! A member's own pages: the private RSVP page (`/rsvp/:token`), to view,
//! change or cancel an answer, and "My RSVPs" for this device.
//!
//! Like the answer form, every action is a plain form post. The one part
//! that runs in the browser is the button that copies the private link.

use super::event_list::FeedLinks;
use super::islands::CopyLinkButton;
use super::rsvp_form::RsvpFields;
use super::standing::{EventStanding, EventTime, PhaseBadge};
use super::use_lang;
use super::ErrorSummary;
use super::Unlisted;
use crate::api::{load_my_rsvp, load_my_rsvps, pending_form_state};
use crate::domain::FieldError;
use crate::notices::NoticeView;
use crate::phase::EventPhase;
use crate::rsvp::{
    standing, Answer, MyRsvp, MyRsvpEntry, MyRsvps, PlaceNote, RsvpForm, RsvpFormState, RsvpState,
};
use crate::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/rsvp/:token`: the member's own answer, to view, change or cancel.
#[component]
pub fn MyRsvpPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let rsvp = Resource::new(token, move |token| {
        load_my_rsvp(token, lang.tag().to_string())
    });
    let pending = OnceResource::new(pending_form_state());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    view! {
        <Unlisted title=tr!(lang, your_rsvp_title).to_string() description=tr!(lang, keep_link).to_string() />
        <h1>{tr!(lang, your_rsvp_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let state: RsvpFormState = pending.await.unwrap_or_default();
                if !state.errors.is_empty() {
                    errors.set(state.errors.clone());
                }
                match rsvp.await {
                    Ok(Some(mine)) => view! { <MyRsvpView mine token=token() errors form_override=state.form /> }.into_any(),
                    Ok(None) => view! { <RsvpNotFound /> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A private link that opens nothing (mistyped, replaced or purged): 404.
#[component]
fn RsvpNotFound() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    crate::api::server::set_status(axum::http::StatusCode::NOT_FOUND);
    view! { <p role="alert">{tr!(lang, rsvp_not_found)}</p> }
}

/// A confirmed seat, as a ticket: who it is for, when, where (when the
/// member may know), the code for the door, and the calendar file.
#[component]
fn Ticket(mine: MyRsvp, code: String) -> impl IntoView {
    let lang = use_lang();
    let guests = mine.form.guests.parse::<i64>().unwrap_or(0);
    let party = if guests == 0 {
        tr!(lang, ticket_just_you).to_string()
    } else {
        tr!(lang, ticket_you_and_guests, count = guests)
    };
    view! {
        <section class="ticket" aria-labelledby="ticket-heading">
            <h2 id="ticket-heading">{party}</h2>
            <p class="when">
                {mine.when_label}
                {mine.zone_label.map(|z| view! { <span class="zone">{z}</span> })}
            </p>
            <Place mine_place=mine.place mine_note=mine.place_note />
            <p class="door-code">{tr!(lang, door_code)}": "<strong dir="ltr">{code}</strong></p>
            <p>
                <a class="calendar-link" href=crate::paths::event_ics(&mine.event_slug) rel="external nofollow" download>
                    {tr!(lang, add_to_calendar)}
                </a>
            </p>
        </section>
    }
}

/// Where the event is, or why the member cannot see it yet.
#[component]
fn Place(mine_place: Option<String>, mine_note: Option<PlaceNote>) -> impl IntoView {
    let lang = use_lang();
    view! {
        {mine_place.map(|place| view! { <p class="place" dir="auto">{place}</p> })}
        {mine_note.map(|note| {
            let text = match note {
                PlaceNote::AfterApproval => tr!(lang, place_after_approval).to_string(),
                PlaceNote::From(when) => tr!(lang, place_revealed_from, when),
            };
            view! { <p class="hint place-note">{text}</p> }
        })}
    }
}

/// What the member was told about the event, newest first: changes,
/// decisions, reminders, and the organisers' messages in their own words.
#[component]
fn Updates(notices: Vec<NoticeView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="updates" aria-labelledby="updates-heading">
            <h2 id="updates-heading">{tr!(lang, notices_heading)}</h2>
            <ol>
                {notices.into_iter().map(|notice| {
                    let announcement = (!notice.body_html.is_empty()).then(|| view! {
                        <div class="announcement" lang=notice.body_lang.tag() dir=notice.body_lang.dir() inner_html=notice.body_html />
                    });
                    view! {
                        <li class="update">
                            <p><time datetime=notice.at_iso>{notice.at_label}</time>" "{notice.text}</p>
                            {announcement}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn MyRsvpView(
    mine: MyRsvp,
    token: String,
    errors: RwSignal<Vec<FieldError>>,
    /// The form as last submitted without JavaScript, when it had errors.
    form_override: RsvpForm,
) -> impl IntoView {
    let lang = use_lang();
    let link = crate::paths::private(&token);
    let cancelled = mine.state == RsvpState::Cancelled;
    let form = if form_override != RsvpForm::default() {
        form_override
    } else if cancelled {
        // Answering again starts from a blank choice, not the old answer.
        RsvpForm {
            answer: String::new(),
            ..mine.form.clone()
        }
    } else {
        mine.form.clone()
    };
    let guests = mine.form.guests.parse::<i64>().unwrap_or(0);
    let standing_text = standing(
        lang,
        mine.phase,
        mine.answer,
        mine.state,
        guests,
        mine.waitlist_position,
    );
    // Answers change only while the event takes them, on a date that holds.
    let changeable = mine.accepting && mine.phase.date_holds();
    let phase = mine.phase;
    let ticket = mine
        .door_code
        .clone()
        .map(|code| view! { <Ticket mine=mine.clone() code /> });
    let facts = ticket.is_none().then(|| {
        let mine = mine.clone();
        view! {
            <p class="when">
                <EventTime phase label=mine.when_label iso=String::new() />
                {mine.zone_label.map(|z| view! { <span class="zone">{z}</span> })}
            </p>
            {phase.date_holds().then(|| view! { <Place mine_place=mine.place mine_note=mine.place_note /> })}
        }
    });
    view! {
        <p class="lead event-link">
            <A href=crate::paths::event(&mine.event_slug)>{mine.event_title.clone()}</A>
        </p>
        <EventStanding phase moved_from=mine.moved_from.clone() />
        {(!mine.notices.is_empty()).then(|| view! { <Updates notices=mine.notices.clone() /> })}
        <p class=format!("rsvp-state state-{}", mine.state.as_str()) role="status">{standing_text}</p>
        {ticket}
        {facts}
        {mine.poster.clone().map(|poster| view! {
            <super::poster::PosterPicture poster sizes="(max-width: 40rem) 100vw, 40rem" lazy=true class="poster" />
        })}
        {changeable.then(|| {
            let details_sealed = mine.details_sealed;
            let token_for_change = token.clone();
            let heading = if cancelled { tr!(lang, answer_again) } else { tr!(lang, change_answer) };
            view! {
                <section aria-labelledby="change-heading">
                    <h2 id="change-heading">{heading}</h2>
                    {details_sealed.then(|| view! { <p class="notice">{tr!(lang, details_sealed_note)}</p> })}
                    <ErrorSummary errors=errors.into() prefix="rsvp" />
                    <form method="post" action=link.clone() class="rsvp-form" novalidate>
                        <input type="hidden" name="token" value=token_for_change />
                        <RsvpFields form=form.clone() errors=errors.into() mail_offered=mine.mail_offered />
                        <button type="submit">{tr!(lang, save_changes)}</button>
                    </form>
                </section>
            }
        })}
        {(!cancelled && !matches!(phase, EventPhase::Past | EventPhase::Cancelled)).then(|| view! {
            <p class="cancel-link">
                <a class="button danger" href=crate::paths::private_cancel(&token)>{tr!(lang, cancel_rsvp)}</a>
            </p>
        })}
        <section class="notice keep-link">
            <p>{tr!(lang, keep_link)}</p>
            <label for="private-link">{tr!(lang, private_link_label)}</label>
            <input id="private-link" type="text" readonly value=mine.private_link.clone() dir="ltr" />
            <CopyLinkButton
                link=mine.private_link.clone()
                copy_label=tr!(lang, copy_link).to_string()
                copied_label=tr!(lang, copied).to_string()
            />
        </section>
    }
}

/// `/rsvp/:token/cancel`: the step before an answer is cancelled. The page
/// itself changes nothing; its form does.
#[component]
pub fn CancelRsvpPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let rsvp = Resource::new(token, move |token| {
        load_my_rsvp(token, lang.tag().to_string())
    });
    view! {
        <Unlisted title=tr!(lang, cancel_rsvp).to_string() description=tr!(lang, keep_link).to_string() />
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match rsvp.await {
                    Ok(Some(mine)) => {
                        let token = token();
                        let seat_goes_on = mine.state == RsvpState::Confirmed && mine.answer == Answer::Going;
                        view! {
                            <h1>{tr!(lang, cancel_rsvp_question)}</h1>
                            <p class="lead" dir="auto">{mine.event_title}</p>
                            <p>{if seat_goes_on { tr!(lang, cancel_rsvp_seat) } else { tr!(lang, cancel_rsvp_note) }}</p>
                            <form method="post" action=crate::paths::private_cancel(&token) class="confirm">
                                <input type="hidden" name="token" value=token.clone() />
                                <button type="submit" class="danger">{tr!(lang, cancel_rsvp_yes)}</button>
                                <a class="button" href=crate::paths::private(&token)>{tr!(lang, keep_my_answer)}</a>
                            </form>
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <RsvpNotFound /> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One of this device's answers in "My RSVPs", its event's state first.
#[component]
fn MyEntry(entry: MyRsvpEntry) -> impl IntoView {
    let lang = use_lang();
    let state = standing(
        lang,
        entry.phase,
        entry.answer,
        entry.state,
        entry.guests,
        entry.waitlist_position,
    );
    let headline = entry.phase.headline(lang);
    view! {
        <li class="event-card my-rsvp">
            <p class="meta"><PhaseBadge phase=entry.phase /></p>
            <h2 dir="auto"><A href=crate::paths::event(&entry.event_slug)>{entry.event_title}</A></h2>
            <p class="when"><EventTime phase=entry.phase label=entry.when_label iso=String::new() /></p>
            {headline.map(|h| view! { <p class=format!("standing phase-{}", entry.phase.as_str())>{h}</p> })}
            <p class=format!("rsvp-state state-{}", entry.state.as_str())>{state}</p>
            <form method="post" action=crate::paths::reopen(entry.id)>
                <button type="submit">{tr!(lang, open_rsvp)}</button>
            </form>
        </li>
    }
}

/// The device's personal feed: its address to subscribe to or copy, and a
/// way to replace it when it has leaked (after a confirmation step).
#[component]
fn MyFeed(url: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="my-feed" class="subscribe" aria-labelledby="my-feed-heading">
            <h2 id="my-feed-heading">{tr!(lang, my_feed_heading)}</h2>
            <p>{tr!(lang, my_feed_help)}</p>
            <label for="my-feed-url">{tr!(lang, subscribe_link)}</label>
            <input id="my-feed-url" type="text" readonly value=url.clone() dir="ltr" />
            <FeedLinks https=url google=false />
            <p><a class="button danger" href=crate::paths::RENEW_FEED>{tr!(lang, my_feed_renew)}</a></p>
        </section>
    }
}

/// `/my/feed/renew`: the step before the personal feed's address stops.
#[component]
pub fn RenewFeedPage() -> impl IntoView {
    let lang = use_lang();
    // A member's page, as every other: kept by no cache.
    #[cfg(feature = "ssr")]
    crate::api::server::no_store();
    view! {
        <Unlisted title=tr!(lang, my_feed_renew).to_string() description=tr!(lang, my_feed_renew_note).to_string() />
        <h1>{tr!(lang, my_feed_renew_question)}</h1>
        <p>{tr!(lang, my_feed_renew_note)}</p>
        <form method="post" action=crate::paths::RENEW_FEED class="confirm">
            <button type="submit" class="danger">{tr!(lang, my_feed_renew_yes)}</button>
            <a class="button" href=format!("{}#my-feed", crate::paths::MY_RSVPS)>{tr!(lang, keep_my_feed)}</a>
        </form>
    }
}

/// `/my`: the answers sent from this device, found by its member cookie.
#[component]
pub fn MyRsvpsPage() -> impl IntoView {
    let lang = use_lang();
    let entries = OnceResource::new(load_my_rsvps(lang.tag().to_string()));
    view! {
        <Unlisted title=tr!(lang, nav_my_rsvps).to_string() description=tr!(lang, my_rsvps_intro).to_string() />
        <h1>{tr!(lang, nav_my_rsvps)}</h1>
        <p>{tr!(lang, my_rsvps_intro)}</p>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(mine) if mine.entries.is_empty() => view! {
                        <p class="empty">{tr!(lang, my_rsvps_empty)}</p>
                        <p><A href=crate::paths::HOME attr:class="back-link">{tr!(lang, see_upcoming)}</A></p>
                    }.into_any(),
                    Ok(MyRsvps { entries: list, feed_url }) => view! {
                        <ul class="events">
                            {list.into_iter().map(|entry| view! { <MyEntry entry /> }).collect_view()}
                        </ul>
                        {feed_url.map(|url| view! { <MyFeed url=url /> })}
                    }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/mail/stop/:token`: the link in every email. The page asks; its form
/// (or a mail client's one click, which posts the same) stops the emails
/// and deletes the address.
#[component]
pub fn StopMailPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let stopped = move || query.read().get("stopped").is_some();
    let known = Resource::new(token, crate::api::load_mail_stop);
    view! {
        <Unlisted title=tr!(lang, mail_stop_title).to_string() description=tr!(lang, mail_stop_help).to_string() />
        <h1>{tr!(lang, mail_stop_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match known.await {
                    _ if stopped() => view! { <p class="notice" role="status">{tr!(lang, mail_stopped)}</p> }.into_any(),
                    Ok(true) => view! {
                        <p>{tr!(lang, mail_stop_help)}</p>
                        <form method="post" action=crate::paths::mail_stop(&token()) class="confirm">
                            <input type="hidden" name="confirm" value="1" />
                            <button type="submit" class="danger">{tr!(lang, mail_stop_yes)}</button>
                        </form>
                    }.into_any(),
                    Ok(false) => view! { <p role="status">{tr!(lang, mail_stop_unknown)}</p> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
