//! The RSVP form on an event page: counts, the answer fields, and what a
//! member sees after answering.
//!
//! Every form is a plain `<form method="post">` to a server route: the page
//! needs no script, and a member on a slow phone loads none for it.
use super::messages::{problem_message, seats_text};

use super::use_lang;
use super::ErrorSummary;
use crate::api::pending_form_state;
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::rsvp::{limits, Answer, RsvpForm, RsvpFormState, RsvpPanel};
use crate::tr;
use leptos::prelude::*;

/// Public attendance: counts only, and nothing when they are hidden.
fn counts_text(lang: Lang, panel: &RsvpPanel) -> Option<String> {
    let counts = panel.counts?;
    let going = seats_text(lang, counts.going, panel.capacity);
    Some(if counts.waitlisted > 0 {
        format!(
            "{going} · {}",
            tr!(lang, on_waitlist, n = counts.waitlisted)
        )
    } else {
        going
    })
}

/// The answer fields, shared by the new-answer and the change forms. No
/// answer is chosen for the member; until one is, the rest stays folded
/// (by CSS alone, so with JavaScript off too).
#[component]
pub(super) fn RsvpFields(
    form: RsvpForm,
    errors: Signal<Vec<FieldError>>,
    /// The instance sends email: an address for notices may be given.
    mail_offered: bool,
) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| {
        errors
            .read()
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_message(lang, e.problem))
    };
    let invalid = move |field: &'static str| error(field).is_some().then_some("true");
    let message = move |field: &'static str| {
        view! {
            <Show when=move || error(field).is_some()>
                <p class="field-error" id=format!("rsvp-{field}-error")>{move || error(field)}</p>
            </Show>
        }
    };
    let answer = Answer::parse(&form.answer);
    let guests = if form.guests.is_empty() {
        "0".to_string()
    } else {
        form.guests
    };
    view! {
        // The language the member's notices will be written in.
        <input type="hidden" name="lang" value=lang.tag() />
        <fieldset class="answers" aria-invalid=move || invalid("answer") aria-describedby="rsvp-answer-error">
            <legend>{tr!(lang, answer_label)}</legend>
            {Answer::ALL
                .into_iter()
                .map(|value| view! {
                    <label class="choice answer-choice">
                        <input type="radio" name="answer" id=format!("rsvp-answer-{}", value.as_str().replace('_', "-"))
                            value=value.as_str() checked=Some(value) == answer required />
                        <span>{value.label(lang)}</span>
                    </label>
                })
                .collect_view()}
            {message("answer")}
        </fieldset>
        <div class="rsvp-more">
            <div class="rsvp-guests">
                <label for="rsvp-guests">{tr!(lang, guests_label)}</label>
                <input id="rsvp-guests" name="guests" type="number" inputmode="numeric" min="0" max=limits::MAX_GUESTS
                    value=guests aria-invalid=move || invalid("guests") aria-describedby="rsvp-guests-hint rsvp-guests-error" />
                <p class="hint" id="rsvp-guests-hint">{tr!(lang, guests_hint, max = limits::MAX_GUESTS)}</p>
                {message("guests")}
            </div>
            <label for="rsvp-name">{tr!(lang, name_label)}</label>
            <input id="rsvp-name" name="name" type="text" autocomplete="nickname" maxlength=limits::NAME required
                dir="auto" value=form.name aria-invalid=move || invalid("name")
                aria-describedby="rsvp-name-hint rsvp-name-error" />
            <p class="hint" id="rsvp-name-hint">{tr!(lang, name_hint)}</p>
            {message("name")}
            <label for="rsvp-contact">{tr!(lang, contact_label)}</label>
            <input id="rsvp-contact" name="contact" type="text" autocomplete="off" maxlength=limits::CONTACT
                dir="auto" value=form.contact aria-invalid=move || invalid("contact")
                aria-describedby="rsvp-contact-hint rsvp-contact-error" />
            <p class="hint" id="rsvp-contact-hint">{tr!(lang, contact_hint)}</p>
            {message("contact")}
            <label for="rsvp-note">{tr!(lang, note_label)}</label>
            <textarea id="rsvp-note" name="note" rows="3" maxlength=limits::NOTE dir="auto"
                aria-invalid=move || invalid("note") aria-describedby="rsvp-note-error">{super::textarea_text(&form.note)}</textarea>
            {message("note")}
            {mail_offered.then(|| view! {
                <label for="rsvp-email">{tr!(lang, email_label)}</label>
                <input id="rsvp-email" name="email" type="email" autocomplete="email" maxlength=crate::validation::EMAIL_MAX
                    dir="ltr" value=form.email.clone() aria-invalid=move || invalid("email")
                    aria-describedby="rsvp-email-hint rsvp-email-error" />
                <p class="hint" id="rsvp-email-hint">{tr!(lang, email_hint)}</p>
                {message("email")}
            })}
        </div>
    }
    .into_any()
}

/// A submit button that says what it will do for the answer chosen: the
/// matching label is shown by CSS (`:has`), with or without JavaScript.
#[component]
fn AnswerButton(
    /// What "going" leads to: a seat, the waitlist, or an organiser's review.
    going: &'static str,
    /// The label before any answer is chosen.
    none: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <button type="submit" class="send">
            <span class="send-none">{none}</span>
            <span class="send-going">{going}</span>
            <span class="send-maybe">{tr!(lang, send_maybe)}</span>
            <span class="send-not-going">{tr!(lang, send_not_going)}</span>
        </button>
    }
}

/// When answers' names are deleted, said under the form.
fn retention_text(lang: Lang, days: i64) -> String {
    if days == 0 {
        tr!(lang, names_deleted_at_end).to_string()
    } else {
        tr!(lang, names_deleted_after, count = days)
    }
}

/// What a "going" answer leads to, said on the button.
fn going_label(lang: Lang, panel: &RsvpPanel) -> &'static str {
    if panel.approval_required {
        tr!(lang, send_ask_to_join)
    } else if panel.full {
        tr!(lang, send_join_waitlist)
    } else {
        tr!(lang, send_going)
    }
}

/// The RSVP block of an event page: public counts and the answer form.
#[component]
pub fn RsvpSection(slug: String, panel: RsvpPanel) -> impl IntoView {
    let lang = use_lang();
    let pending = OnceResource::new(pending_form_state());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let closed = RwSignal::new(!panel.accepting);
    let counts = counts_text(lang, &panel);
    let seats_left = panel.seats_left().filter(|left| *left > 0);
    let going = going_label(lang, &panel);
    let action = crate::paths::event_rsvp(&slug);
    let info = super::use_site_info();
    view! {
        <section class="rsvp" id="rsvp" aria-labelledby="rsvp-heading">
            <h2 id="rsvp-heading">{tr!(lang, rsvp_heading)}</h2>
            {counts.map(|c| view! { <p class="counts">{c}</p> })}
            <Suspense>
                {move || {
                    let slug = slug.clone();
                    let action = action.clone();
                    Suspend::new(async move {
                        let state: RsvpFormState = pending.await.unwrap_or_default();
                        let info = info.await.ok();
                        let retention = info.as_ref().map(|i| i.retention_days);
                        let mail_offered = info.is_some_and(|i| i.mail_offered);
                        if !state.errors.is_empty() {
                            errors.set(state.errors.clone());
                        }
                        if state.closed {
                            closed.set(true);
                        }
                        view! {
                            <Show
                                when=move || !closed.get()
                                fallback=move || view! { <p class="notice" role="status">{tr!(lang, rsvp_closed)}</p> }
                            >
                                {panel.full.then(|| view! { <p class="notice availability">{tr!(lang, event_full)}</p> })}
                                {seats_left.map(|n| view! {
                                    <p class="availability">{tr!(lang, places_left, count = n)}</p>
                                    <p class="hint">{tr!(lang, party_waitlist_hint)}</p>
                                })}
                                {panel.approval_required.then(|| view! { <p class="hint">{tr!(lang, approval_note)}</p> })}
                                <ErrorSummary errors=errors.into() prefix="rsvp" />
                                <form method="post" action=action.clone() class="rsvp-form" novalidate>
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <RsvpFields form=state.form.clone() errors=errors.into() mail_offered />
                                    <p class="hint privacy">{tr!(lang, rsvp_privacy)}</p>
                                    {retention.map(|days| view! {
                                        <p class="hint retention">{retention_text(lang, days)}</p>
                                    })}
                                    <AnswerButton going none=tr!(lang, send_answer) />
                                </form>
                            </Show>
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
