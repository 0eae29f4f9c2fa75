//! The RSVP form on an event page: counts, the answer fields, and what a
//! member sees after answering.
//!
//! Every form is a plain `<form method="post">` to a server route, so it
//! works without JavaScript; with JavaScript, the same fields go to a server
//! function and the page changes without reloading.
use super::messages::{problem_message, seats_text};

use super::use_lang;
use crate::api::{pending_form_state, SubmitRsvp};
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::rsvp::{limits, Answer, RsvpForm, RsvpFormState, RsvpOutcome, RsvpPanel};
use crate::tr;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Public attendance: counts only, and nothing when the organisers hide them.
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

/// The answer fields, shared by the new-answer and the change forms.
#[component]
pub(super) fn RsvpFields(form: RsvpForm, errors: Signal<Vec<FieldError>>) -> impl IntoView {
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
    let answer = Answer::parse(&form.answer).unwrap_or(Answer::Going);
    let guests = if form.guests.is_empty() {
        "0".to_string()
    } else {
        form.guests
    };
    view! {
        <fieldset class="answers" aria-invalid=move || invalid("answer")>
            <legend>{tr!(lang, answer_label)}</legend>
            {Answer::ALL
                .into_iter()
                .map(|value| view! {
                    <label class="choice">
                        <input type="radio" name="answer" value=value.as_str() checked=value == answer required />
                        <span>{value.label(lang)}</span>
                    </label>
                })
                .collect_view()}
            {message("answer")}
        </fieldset>
        <label for="rsvp-guests">{tr!(lang, guests_label)}</label>
        <input id="rsvp-guests" name="guests" type="number" inputmode="numeric" min="0" max=limits::MAX_GUESTS
            value=guests aria-invalid=move || invalid("guests") aria-describedby="rsvp-guests-error" />
        {message("guests")}
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
    }
    .into_any()
}

/// The RSVP block of an event page: public counts and the answer form.
#[component]
pub fn RsvpSection(slug: String, panel: RsvpPanel) -> impl IntoView {
    let lang = use_lang();
    let pending = OnceResource::new(pending_form_state());
    let submit = ServerAction::<SubmitRsvp>::new();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let closed = RwSignal::new(!panel.accepting);
    let throttled = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(RsvpOutcome::Saved { token })) => {
            navigate(&crate::paths::private(&token), Default::default())
        }
        Some(Ok(RsvpOutcome::Invalid(found))) => errors.set(found),
        Some(Ok(RsvpOutcome::Closed)) => closed.set(true),
        Some(Ok(RsvpOutcome::TooMany)) => throttled.set(true),
        _ => {}
    });
    let full = panel
        .counts
        .zip(panel.capacity)
        .is_some_and(|(c, cap)| c.going >= cap);
    let counts = counts_text(lang, &panel);
    let action = crate::paths::event_rsvp(&slug);
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
                                {full.then(|| view! { <p class="notice">{tr!(lang, event_full)}</p> })}
                                {panel.approval_required.then(|| view! { <p class="hint">{tr!(lang, approval_note)}</p> })}
                                <Show when=move || !errors.read().is_empty()>
                                    <p class="form-error" role="alert">{tr!(lang, form_has_errors)}</p>
                                </Show>
                                <Show when=move || throttled.get()>
                                    <p class="form-error" role="alert">{tr!(lang, too_many_answers)}</p>
                                </Show>
                                <form
                                    method="post"
                                    action=action.clone()
                                    class="rsvp-form"
                                    on:submit=move |ev| {
                                        if let Ok(args) = SubmitRsvp::from_event(&ev) {
                                            ev.prevent_default();
                                            submit.dispatch(args);
                                        }
                                    }
                                >
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <RsvpFields form=state.form.clone() errors=errors.into() />
                                    <p class="hint privacy">{tr!(lang, rsvp_privacy)}</p>
                                    <button type="submit" disabled=move || submit.pending().get()>
                                        {tr!(lang, send_answer)}
                                    </button>
                                </form>
                            </Show>
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
