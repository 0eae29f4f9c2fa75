//! A member's own pages: the private RSVP page (`/rsvp/:token`), to view,
//! change or cancel an answer, and "My RSVPs" for this device.
//!
//! Like the answer form, every action is a plain form post that a server
//! function replaces when JavaScript runs.

use super::event_list::FeedLinks;
use super::rsvp_form::RsvpFields;
use super::use_lang;
use crate::api::{load_my_rsvp, load_my_rsvps, pending_form_state, CancelRsvp, ChangeRsvp};
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::rsvp::{
    Answer, MyRsvp, MyRsvpEntry, MyRsvps, PlaceNote, RsvpForm, RsvpFormState, RsvpOutcome,
    RsvpState,
};
use crate::tr;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
/// Puts text on the clipboard; only in the browser, where the copy button
/// exists at all.
fn copy_to_clipboard(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().navigator().clipboard().write_text(text);
        true
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        false
    }
}

fn state_message(lang: Lang, rsvp: &MyRsvp) -> &'static str {
    match (rsvp.state, Answer::parse(&rsvp.form.answer)) {
        (RsvpState::Cancelled, _) => tr!(lang, state_cancelled),
        (RsvpState::Waitlisted, _) => tr!(lang, state_waitlisted),
        (RsvpState::Pending, _) => tr!(lang, state_pending),
        (RsvpState::Confirmed, Some(Answer::Going)) => tr!(lang, state_confirmed),
        (RsvpState::Confirmed, _) => tr!(lang, state_recorded),
    }
}

/// `/rsvp/:token`: the member's own answer, to view, change or cancel.
#[component]
pub fn MyRsvpPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let change = ServerAction::<ChangeRsvp>::new();
    let cancel = ServerAction::<CancelRsvp>::new();
    let rsvp = Resource::new(
        move || (token(), change.version().get(), cancel.version().get()),
        move |(token, _, _)| load_my_rsvp(token, lang.tag().to_string()),
    );
    let pending = OnceResource::new(pending_form_state());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = change.value().get() {
            errors.set(match outcome {
                RsvpOutcome::Invalid(found) => found,
                _ => Vec::new(),
            });
        }
    });
    view! {
        <Title text=tr!(lang, your_rsvp_title) />
        <Meta name="robots" content="noindex, nofollow" />
        <h1>{tr!(lang, your_rsvp_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let state: RsvpFormState = pending.await.unwrap_or_default();
                if !state.errors.is_empty() {
                    errors.set(state.errors.clone());
                }
                match rsvp.await {
                    Ok(Some(mine)) => view! { <MyRsvpView mine token=token() change cancel errors form_override=state.form /> }.into_any(),
                    Ok(None) => {
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(axum::http::StatusCode::NOT_FOUND);
                        }
                        view! { <p role="alert">{tr!(lang, rsvp_not_found)}</p> }.into_any()
                    }
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyRsvpView(
    mine: MyRsvp,
    token: String,
    change: ServerAction<ChangeRsvp>,
    cancel: ServerAction<CancelRsvp>,
    errors: RwSignal<Vec<FieldError>>,
    /// The form as last submitted without JavaScript, when it had errors.
    form_override: RsvpForm,
) -> impl IntoView {
    let lang = use_lang();
    let link = crate::paths::private(&token);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let copied = RwSignal::new(false);
    let private_link = StoredValue::new(mine.private_link.clone());
    let copy = move |_| {
        if copy_to_clipboard(&private_link.get_value()) {
            copied.set(true);
        }
    };
    let form = if form_override == RsvpForm::default() {
        mine.form.clone()
    } else {
        form_override
    };
    let cancelled = mine.state == RsvpState::Cancelled;
    let state_text = state_message(lang, &mine);
    view! {
        <p class="lead">
            <A href=crate::paths::event(&mine.event_slug)>{mine.event_title}</A>
            <br />
            {mine.when_label}
            {mine.place.clone().map(|place| view! { <br /><span class="place" dir="auto">{place}</span> })}
            {mine.place_note.clone().map(|note| {
                let text = match note {
                    PlaceNote::AfterApproval => tr!(lang, place_after_approval).to_string(),
                    PlaceNote::From(when) => tr!(lang, place_revealed_from, when),
                };
                view! { <br /><span class="hint place-note">{text}</span> }
            })}
        </p>
        <p class=format!("rsvp-state state-{}", mine.state.as_str()) role="status">{state_text}</p>
        {(!cancelled).then(|| view! {
            <p class="door-code">{tr!(lang, door_code)}": " <strong>{mine.short_code.clone()}</strong></p>
        })}
        <section class="notice keep-link">
            <p>{tr!(lang, keep_link)}</p>
            <label for="private-link">{tr!(lang, private_link_label)}</label>
            <input id="private-link" type="text" readonly value=mine.private_link.clone() dir="ltr" />
            <Show when=move || hydrated.get()>
                <button type="button" on:click=copy>
                    {move || if copied.get() { tr!(lang, copied) } else { tr!(lang, copy_link) }}
                </button>
            </Show>
        </section>
        {(mine.accepting && !cancelled).then(|| {
            let token_for_change = token.clone();
            view! {
                <section aria-labelledby="change-heading">
                    <h2 id="change-heading">{tr!(lang, change_answer)}</h2>
                    <Show when=move || !errors.read().is_empty()>
                        <p class="form-error" role="alert">{tr!(lang, form_has_errors)}</p>
                    </Show>
                    <form method="post" action=link.clone() class="rsvp-form" on:submit=move |ev| {
                        if let Ok(args) = ChangeRsvp::from_event(&ev) {
                            ev.prevent_default();
                            change.dispatch(args);
                        }
                    }>
                        <input type="hidden" name="token" value=token_for_change />
                        <RsvpFields form=form.clone() errors=errors.into() />
                        <button type="submit">{tr!(lang, save_changes)}</button>
                    </form>
                </section>
            }
        })}
        {(!cancelled).then(|| view! {
            <form method="post" action=crate::paths::private_cancel(&token) class="cancel-form" on:submit=move |ev| {
                if let Ok(args) = CancelRsvp::from_event(&ev) {
                    ev.prevent_default();
                    cancel.dispatch(args);
                }
            }>
                <input type="hidden" name="token" value=token.clone() />
                <button type="submit" class="danger">{tr!(lang, cancel_rsvp)}</button>
            </form>
        })}
    }
}

fn entry_state(lang: Lang, entry: &MyRsvpEntry) -> &'static str {
    entry
        .state
        .short_label(lang)
        .unwrap_or_else(|| entry.answer.label(lang))
}

/// The device's personal feed: its address to subscribe to or copy, and a
/// way to revoke it when it has leaked.
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
            <form method="post" action=crate::paths::RENEW_FEED>
                <button type="submit" class="danger">{tr!(lang, my_feed_renew)}</button>
            </form>
        </section>
    }
}

/// `/my`: the answers sent from this device, found by its member cookie.
#[component]
pub fn MyRsvpsPage() -> impl IntoView {
    let lang = use_lang();
    let entries = OnceResource::new(load_my_rsvps(lang.tag().to_string()));
    view! {
        <Title text=tr!(lang, nav_my_rsvps) />
        <Meta name="robots" content="noindex, nofollow" />
        <h1>{tr!(lang, nav_my_rsvps)}</h1>
        <p>{tr!(lang, my_rsvps_intro)}</p>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(mine) if mine.entries.is_empty() => view! { <p class="empty">{tr!(lang, my_rsvps_empty)}</p> }.into_any(),
                    Ok(MyRsvps { entries: list, feed_url }) => view! {
                        <ul class="events">
                            {list.into_iter().map(|entry| {
                                let state = entry_state(lang, &entry);
                                view! {
                                    <li class="event-card my-rsvp">
                                        <h2 dir="auto"><A href=crate::paths::event(&entry.event_slug)>{entry.event_title}</A></h2>
                                        <p class="when">{entry.when_label}</p>
                                        <p class=format!("state-{}", entry.state.as_str())>{state}</p>
                                        <form method="post" action=crate::paths::reopen(entry.id)>
                                            <button type="submit">{tr!(lang, open_rsvp)}</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {feed_url.map(|url| view! { <MyFeed url=url /> })}
                    }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
