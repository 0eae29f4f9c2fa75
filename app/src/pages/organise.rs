//! Organiser screens: sign-in, the dashboard, an event's answers, and the
//! check-in screen for the door. Every form is a plain POST that works
//! without JavaScript; with it, check-in answers without a reload.

use super::rsvp::{problem_message, seats_text};
use super::use_lang;
use crate::accounts::AccountInfo;
use crate::accounts::Role;
use crate::api::{
    load_account, load_accounts, load_audit_log, load_check_in, load_dashboard, load_event_form,
    load_rsvp_list, load_settings, returned_form, CheckInCode,
};
use crate::domain::{EventKind, EventStatus};
use crate::i18n::Lang;
use crate::organise::{CheckInPage, CheckInResult, EventFormData, LoginFailure, ManagedEvent};
use crate::paths;
use crate::rsvp::{answer_with_state, RsvpState};
use crate::tr;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// What a refused server function means for the reader.
#[component]
fn Refused(error: ServerFnError) -> impl IntoView {
    let lang = use_lang();
    let text = error.to_string();
    if text.contains("not signed in") {
        view! {
            <p class="notice" role="alert">{tr!(lang, sign_in_needed)}</p>
            <p><a href=paths::LOGIN>{tr!(lang, sign_in)}</a></p>
        }
        .into_any()
    } else if text.contains("forbidden") {
        view! { <p class="notice" role="alert">{tr!(lang, not_allowed)}</p> }.into_any()
    } else if text.contains("not found") {
        view! { <super::NotFound /> }.into_any()
    } else {
        view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any()
    }
}

/// Private screens: not for search engines.
#[component]
fn Private(title: String) -> impl IntoView {
    view! {
        <Title text=title />
        <Meta name="robots" content="noindex, nofollow" />
    }
}

/// `/organise/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let returned = OnceResource::new(returned_form());
    let account = OnceResource::new(load_account());
    view! {
        <Private title=tr!(lang, sign_in_title).to_string() />
        <h1>{tr!(lang, sign_in_title)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                if let Ok(Some(account)) = account.await {
                    return view! { <SignedIn account /> }.into_any();
                }
                let returned = returned.await.unwrap_or_default();
                let failure = returned.login_failure.map(|f| match f {
                    LoginFailure::Refused => tr!(lang, login_refused),
                    LoginFailure::TooMany => tr!(lang, login_too_many),
                });
                let username = crate::organise::field(&returned.values, "username").to_string();
                view! {
                    {failure.map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
                    <form method="post" action=paths::LOGIN class="rsvp-form">
                        <label for="username">{tr!(lang, username_label)}</label>
                        <input id="username" name="username" autocomplete="username" autocapitalize="none" required value=username dir="ltr" />
                        <label for="password">{tr!(lang, password_label)}</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required />
                        <button type="submit">{tr!(lang, sign_in)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// Who is signed in, and the way out.
#[component]
fn SignedIn(account: AccountInfo) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="signed-in">
            <p>{tr!(lang, signed_in_as, name = account.display_name.clone())}</p>
            <form method="post" action=paths::LOGOUT>
                <button type="submit">{tr!(lang, sign_out)}</button>
            </form>
        </div>
    }
}

fn status_line(lang: Lang, event: &ManagedEvent) -> String {
    let mut parts = vec![seats_text(lang, event.going, event.capacity)];
    if event.waitlisted > 0 {
        parts.push(tr!(lang, on_waitlist, n = event.waitlisted));
    }
    if event.pending > 0 {
        parts.push(tr!(lang, pending_count, n = event.pending));
    }
    parts.join(" · ")
}

/// `/organise`: the events this account manages.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let dashboard = OnceResource::new(load_dashboard(lang.tag().to_string()));
    view! {
        <Private title=tr!(lang, dashboard_title).to_string() />
        <h1>{tr!(lang, dashboard_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(dashboard) => view! {
                        <SignedIn account=dashboard.account.clone() />
                        <p class="actions">
                            <A href=paths::NEW_EVENT>{tr!(lang, new_event)}</A>
                            {dashboard.account.is_admin().then(|| view! {
                                " · "<A href=paths::ACCOUNTS>{tr!(lang, accounts_title)}</A>
                                " · "<A href=paths::AUDIT>{tr!(lang, audit_title)}</A>
                                " · "<A href=paths::SETTINGS>{tr!(lang, settings_title)}</A>
                            })}
                        </p>
                        {dashboard.events.is_empty().then(|| view! { <p class="empty">{tr!(lang, dashboard_empty)}</p> })}
                        <ul class="events">
                            {dashboard.events.into_iter().map(|event| {
                                let status = status_line(lang, &event);
                                view! {
                                    <li class="event-card" class:past=event.is_past>
                                        <p class="meta">
                                            <span class=format!("kind kind-{}", event.kind.as_str())>{event.kind.label(lang)}</span>
                                            <super::event_list::StatusBadge status=event.status lang />
                                        </p>
                                        <h2 dir="auto"><A href=paths::event(&event.slug)>{event.title.clone()}</A></h2>
                                        <p class="when">{event.when_label.clone()}</p>
                                        <p class="counts">{status}</p>
                                        <p class="hint">{match &event.data_deleted_on {
                                            Some(day) => tr!(lang, data_deleted_on, date = day.clone()),
                                            None => tr!(lang, data_deleted).to_string(),
                                        }}</p>
                                        <p class="actions">
                                            <A href=paths::edit(&event.slug)>{tr!(lang, edit_event)}</A>
                                            " · "
                                            <A href=paths::rsvps(&event.slug)>{tr!(lang, answers)}</A>
                                            " · "
                                            <A href=paths::check_in(&event.slug)>{tr!(lang, check_in_title)}</A>
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn slug_param() -> impl Fn() -> String + Copy {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}

/// `/organise/events/:slug/rsvps`: who answered, with what, and the
/// approvals waiting.
#[component]
pub fn RsvpsPage() -> impl IntoView {
    let lang = use_lang();
    let slug = slug_param();
    let list = Resource::new(slug, move |slug| {
        load_rsvp_list(slug, lang.tag().to_string())
    });
    view! {
        <Private title=tr!(lang, answers).to_string() />
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(list) => {
                        let slug = list.slug.clone();
                        view! {
                            <h1 dir="auto">{list.title.clone()}</h1>
                            <p class="when">{list.when_label.clone()}</p>
                            <p class="actions">
                                <a href=paths::rsvps_csv(&slug) download>{tr!(lang, export_csv)}</a>
                                " · "
                                <A href=paths::check_in(&slug)>{tr!(lang, check_in_title)}</A>
                            </p>
                            <h2>{tr!(lang, answers)}</h2>
                            {list.entries.is_empty().then(|| view! { <p class="empty">{tr!(lang, no_answers_yet)}</p> })}
                            <ul class="answers-list">
                                {list.entries.into_iter().map(|entry| {
                                    let answer = answer_with_state(lang, entry.answer, entry.state);
                                    let pending = entry.state == RsvpState::Pending;
                                    view! {
                                        <li class=format!("event-card state-{}", entry.state.as_str())>
                                            <h3 dir="auto">{entry.display_name.clone()}</h3>
                                            <dl class="facts">
                                                <dt>{tr!(lang, col_answer)}</dt><dd>{answer}</dd>
                                                <dt>{tr!(lang, col_guests)}</dt><dd>{entry.guests}</dd>
                                                <dt>{tr!(lang, col_code)}</dt><dd dir="ltr">{entry.short_code.clone()}</dd>
                                                {(!entry.contact.is_empty()).then(|| view! { <dt>{tr!(lang, col_contact)}</dt><dd dir="auto">{entry.contact.clone()}</dd> })}
                                                {(!entry.note.is_empty()).then(|| view! { <dt>{tr!(lang, col_note)}</dt><dd dir="auto">{entry.note.clone()}</dd> })}
                                            </dl>
                                            {entry.checked_in.then(|| view! { <p class="checked-in">{tr!(lang, checked_in_mark)}</p> })}
                                            {pending.then(|| view! {
                                                <div class="decide">
                                                    <form method="post" action=paths::decide(&slug, entry.id, true)>
                                                        <button type="submit">{tr!(lang, approve)}</button>
                                                    </form>
                                                    <form method="post" action=paths::decide(&slug, entry.id, false)>
                                                        <button type="submit" class="danger">{tr!(lang, decline)}</button>
                                                    </form>
                                                </div>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn result_text(lang: Lang, result: &CheckInResult) -> (String, &'static str) {
    match result {
        CheckInResult::CheckedIn { name, people } => (
            tr!(lang, checked_in_now, name = name.clone(), count = *people),
            "ok",
        ),
        CheckInResult::AlreadyIn { name, people } => (
            tr!(
                lang,
                already_checked_in,
                name = name.clone(),
                count = *people
            ),
            "warn",
        ),
        CheckInResult::NotConfirmed { name, .. } => {
            (tr!(lang, not_confirmed_code, name = name.clone()), "warn")
        }
        CheckInResult::NoSuchCode => (tr!(lang, no_such_code).to_string(), "warn"),
    }
}

/// `/organise/events/:slug/check-in`: a door code in, a name and a
/// headcount out, without scrolling a list of names.
#[component]
pub fn CheckInScreen() -> impl IntoView {
    let lang = use_lang();
    let slug = slug_param();
    let check = ServerAction::<CheckInCode>::new();
    let loaded = Resource::new(slug, move |slug| {
        load_check_in(slug, lang.tag().to_string())
    });
    view! {
        <Private title=tr!(lang, check_in_title).to_string() />
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let page: CheckInPage = match loaded.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(page) => page,
                };
                // The latest answer: from this page's own check-ins, else
                // from the form the server handled.
                let shown = Signal::derive(move || match check.value().get() {
                    Some(Ok(latest)) => latest,
                    _ => page.clone(),
                });
                let slug = shown.get_untracked().slug;
                view! {
                    <h1>{tr!(lang, check_in_title)}</h1>
                    <p dir="auto"><strong>{shown.get_untracked().title}</strong></p>
                    <p class="when">{shown.get_untracked().when_label}</p>
                    <p class="headcount" role="status">
                        {move || {
                            let count = shown.get().headcount;
                            tr!(lang, headcount, arrived = count.arrived, expected = count.expected)
                        }}
                    </p>
                    {move || shown.get().result.map(|result| {
                        let (text, tone) = result_text(lang, &result);
                        view! { <p class=format!("check-in-result {tone}") role="alert">{text}</p> }
                    })}
                    <form
                        method="post"
                        action=paths::check_in(&slug)
                        class="rsvp-form check-in"
                        on:submit=move |ev| {
                            if let Ok(args) = CheckInCode::from_event(&ev) {
                                ev.prevent_default();
                                check.dispatch(args);
                            }
                        }
                    >
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input type="hidden" name="lang" value=lang.tag() />
                        <label for="code">{tr!(lang, col_code)}</label>
                        <input id="code" name="code" required autocomplete="off" autocapitalize="characters" inputmode="text" dir="ltr" />
                        <button type="submit" disabled=move || check.pending().get()>{tr!(lang, check_in_button)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// One labelled input of the editor, with its error below it.
#[component]
fn Field(
    form: EventFormData,
    #[prop(into)] name: String,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("field-{}", name.replace('.', "-"));
    let error = form.error(&name).map(|e| problem_message(lang, e.problem));
    let error_id = format!("{id}-error");
    let value = form.value(&name).to_string();
    view! {
        <label for=id.clone()>{label}</label>
        <input
            id=id
            name=name
            type=kind
            value=value
            list=list
            required=required
            dir="auto"
            aria-invalid=error.is_some().then_some("true")
            aria-describedby=error.is_some().then(|| error_id.clone())
        />
        {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
    }
}

#[component]
fn Check(form: EventFormData, name: &'static str, label: &'static str) -> impl IntoView {
    let lang = use_lang();
    let id = format!("field-{name}");
    let input_id = id.clone();
    let error = form.error(name).map(|e| problem_message(lang, e.problem));
    let error_id = format!("{id}-error");
    view! {
        <label class="choice" for=id>
            <input
                id=input_id
                type="checkbox"
                name=name
                checked=form.checked(name)
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=error.is_some().then(|| error_id.clone())
            />
            {label}
        </label>
        {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
    }
}

/// `/organise/events/new` and `/organise/events/:slug/edit`.
#[component]
pub fn EventEditor() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug");
    let saved = move || query.read().get("saved").is_some();
    let form = Resource::new(slug, move |slug| {
        load_event_form(slug, lang.tag().to_string())
    });
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let form = match form.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(form) => form,
                };
                let heading = match &form.slug {
                    Some(_) => form.value(&format!("title.{}", form.value("original_lang"))).to_string(),
                    None => tr!(lang, new_event).to_string(),
                };
                let action = form.slug.as_deref().map_or_else(|| paths::NEW_EVENT.to_string(), paths::edit);
                let has_errors = !form.errors.is_empty();
                view! {
                    <Private title=heading.clone() />
                    <h1 dir="auto">{heading}</h1>
                    {saved().then(|| view! { <p class="notice" role="status">{tr!(lang, saved)}</p> })}
                    {has_errors.then(|| view! { <p class="form-error" role="alert">{tr!(lang, form_has_errors)}</p> })}
                    {form.slug.clone().map(|slug| view! { <EventActions slug status=form.status /> })}
                    {form.error("version").map(|e| view! { <p class="form-error" role="alert">{problem_message(lang, e.problem)}</p> })}
                    <form method="post" action=action class="rsvp-form event-form">
                        {form.slug.is_some().then(|| view! {
                            <input type="hidden" name="version" value=form.value("version").to_string() />
                        })}
                        // A sensitive event's address can change: it must be
                        // able to say nothing. Any other keeps its address,
                        // which links already shared point to.
                        {(form.slug.is_none() || form.checked("sensitive")).then(|| view! {
                            <Field form=form.clone() name="slug" label=tr!(lang, slug_label) required=true />
                        })}
                        <label for="field-kind">{tr!(lang, filter_kind)}</label>
                        <select id="field-kind" name="kind">
                            {EventKind::ALL.iter().map(|kind| view! {
                                <option value=kind.as_str() selected=form.value("kind") == kind.as_str()>{kind.label(lang)}</option>
                            }).collect_view()}
                        </select>
                        <label for="field-original_lang">{tr!(lang, original_language)}</label>
                        <select id="field-original_lang" name="original_lang">
                            {form.languages.iter().map(|l| view! {
                                <option value=l.tag() selected=form.value("original_lang") == l.tag()>{l.native_name()}</option>
                            }).collect_view()}
                        </select>
                        {form.languages.iter().map(|text_lang| {
                            let tag = text_lang.tag();
                            let legend = tr!(lang, text_in, language = text_lang.native_name());
                            let description = format!("description.{tag}");
                            let description_id = format!("field-description-{tag}");
                            let error = form.error(&description).map(|e| problem_message(lang, e.problem));
                            view! {
                                <fieldset lang=tag dir=text_lang.dir()>
                                    <legend>{legend}</legend>
                                    <Field form=form.clone() name=format!("title.{tag}") label=tr!(lang, title_label) />
                                    <Field form=form.clone() name=format!("summary.{tag}") label=tr!(lang, summary_label) />
                                    <label for=description_id.clone()>{tr!(lang, description_label)}</label>
                                    <textarea id=description_id name=description.clone() rows="6" dir="auto">{super::textarea_text(form.value(&description))}</textarea>
                                    {error.map(|e| view! { <p class="field-error">{e}</p> })}
                                </fieldset>
                            }
                        }).collect_view()}
                        <Field form=form.clone() name="start" label=tr!(lang, start_label) kind="datetime-local" required=true />
                        <Field form=form.clone() name="end" label=tr!(lang, end_label) kind="datetime-local" required=true />
                        <Check form=form.clone() name="all_day" label=tr!(lang, all_day) />
                        <Field form=form.clone() name="time_zone" label=tr!(lang, zone_label) list="zones" required=true />
                        <datalist id="zones">
                            {chrono_tz::TZ_VARIANTS.iter().map(|z| view! { <option value=z.name()></option> }).collect_view()}
                        </datalist>
                        {[("venue_name", tr!(lang, venue_label)), ("venue_address", tr!(lang, address_label)), ("city", tr!(lang, filter_city))]
                            .into_iter()
                            .map(|(name, label)| view! { <Field form=form.clone() name label /> })
                            .collect_view()}
                        <Field form=form.clone() name="online_url" label=tr!(lang, online_label) kind="url" />
                        <Field form=form.clone() name="capacity" label=tr!(lang, capacity_label) kind="number" />
                        <Check form=form.clone() name="sensitive" label=tr!(lang, sensitive_label) />
                        <p class="hint">{tr!(lang, sensitive_hint)}</p>
                        <Field form=form.clone() name="public_title" label=tr!(lang, public_title_label) />
                        <Field form=form.clone() name="reveal_hours" label=tr!(lang, reveal_hours_label) kind="number" />
                        <Check form=form.clone() name="rsvp_open" label=tr!(lang, rsvp_open_label) />
                        <Check form=form.clone() name="approval_required" label=tr!(lang, approval_label) />
                        <Check form=form.clone() name="hide_counts" label=tr!(lang, hide_counts_label) />
                        <Field form=form.clone() name="deadline" label=tr!(lang, deadline_label) kind="datetime-local" />
                        <button type="submit">{tr!(lang, save_event)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// What else can be done with a stored event: its answers, the door, a
/// copy, and postponing, cancelling or scheduling it again.
#[component]
fn EventActions(slug: String, status: Option<EventStatus>) -> impl IntoView {
    let lang = use_lang();
    let status_form = |target: EventStatus, label: &'static str, danger: bool| {
        view! {
            <form method="post" action=paths::status(&slug)>
                <input type="hidden" name="status" value=target.as_str() />
                <button type="submit" class:danger=danger>{label}</button>
            </form>
        }
    };
    let changes = match status.unwrap_or(EventStatus::Scheduled) {
        EventStatus::Scheduled => view! {
            {status_form(EventStatus::Postponed, tr!(lang, postpone_event), false)}
            {status_form(EventStatus::Cancelled, tr!(lang, cancel_event), true)}
        }
        .into_any(),
        EventStatus::Postponed => view! {
            {status_form(EventStatus::Scheduled, tr!(lang, restore_event), false)}
            {status_form(EventStatus::Cancelled, tr!(lang, cancel_event), true)}
        }
        .into_any(),
        EventStatus::Cancelled => {
            status_form(EventStatus::Scheduled, tr!(lang, restore_event), false).into_any()
        }
    };
    let (public, answers, door, copy) = (
        paths::event(&slug),
        paths::rsvps(&slug),
        paths::check_in(&slug),
        paths::duplicate(&slug),
    );
    view! {
        <p class="actions">
            <A href=public>{slug}</A>
            " · "
            <A href=answers>{tr!(lang, answers)}</A>
            " · "
            <A href=door>{tr!(lang, check_in_title)}</A>
        </p>
        <div class="event-actions">
            {status.map(|s| view! { <super::event_list::StatusBadge status=s lang /> })}
            {changes}
            <form method="post" action=copy>
                <button type="submit">{tr!(lang, duplicate_event)}</button>
            </form>
        </div>
    }
}

/// `/organise/accounts`: organisers and admins; create, disable, reset.
#[component]
pub fn AccountsScreen() -> impl IntoView {
    let lang = use_lang();
    let page = OnceResource::new(load_accounts());
    view! {
        <Private title=tr!(lang, accounts_title).to_string() />
        <h1>{tr!(lang, accounts_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let page = match page.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(page) => page,
                };
                let form = EventFormData {
                    values: page.returned.values.clone(),
                    errors: page.returned.errors.clone(),
                    ..Default::default()
                };
                let role = form.value("role").to_string();
                let me = page.me.id;
                view! {
                    <ul class="events">
                        {page.accounts.into_iter().map(|entry| {
                            let a = entry.account;
                            let role = match a.role {
                                Role::Admin => tr!(lang, role_admin),
                                Role::Organiser => tr!(lang, role_organiser),
                            };
                            let password_id = format!("password-{}", a.id);
                            view! {
                                <li class="event-card">
                                    <h2 dir="auto">{a.display_name.clone()}</h2>
                                    <p dir="ltr">{a.username.clone()}" · "{role}</p>
                                    {entry.disabled.then(|| view! { <p class="status status-cancelled">{tr!(lang, disabled_mark)}</p> })}
                                    {(a.id != me).then(|| {
                                        let (verb, label) = if entry.disabled { ("enable", tr!(lang, enable_account)) } else { ("disable", tr!(lang, disable_account)) };
                                        view! {
                                            <form method="post" action=paths::account(a.id, verb)>
                                                <button type="submit" class:danger=!entry.disabled>{label}</button>
                                            </form>
                                        }
                                    })}
                                    <form method="post" action=paths::account(a.id, "password") class="rsvp-form">
                                        <label for=password_id.clone()>{tr!(lang, reset_password)}</label>
                                        <input id=password_id name="password" type="password" autocomplete="new-password" minlength="12" required />
                                        <button type="submit">{tr!(lang, reset_password)}</button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h2>{tr!(lang, create_account)}</h2>
                    {(!form.errors.is_empty()).then(|| view! { <p class="form-error" role="alert">{tr!(lang, form_has_errors)}</p> })}
                    <form method="post" action=paths::ACCOUNTS class="rsvp-form">
                        <Field form=form.clone() name="username" label=tr!(lang, username_label) required=true />
                        <Field form=form.clone() name="display_name" label=tr!(lang, display_name_label) />
                        <Field form=form.clone() name="password" label=tr!(lang, password_label) kind="password" required=true />
                        <label for="field-role">{tr!(lang, role_label)}</label>
                        <select id="field-role" name="role">
                            <option value="organiser" selected=role != "admin">{tr!(lang, role_organiser)}</option>
                            <option value="admin" selected=role == "admin">{tr!(lang, role_admin)}</option>
                        </select>
                        <button type="submit">{tr!(lang, create_account)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// `/organise/audit`: who did what, when.
#[component]
pub fn AuditScreen() -> impl IntoView {
    let lang = use_lang();
    let log = OnceResource::new(load_audit_log());
    view! {
        <Private title=tr!(lang, audit_title).to_string() />
        <h1>{tr!(lang, audit_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(entries) => view! {
                        <ol class="audit-log" dir="ltr">
                            {entries.into_iter().map(|e| {
                                let at = chrono::DateTime::from_timestamp(e.at, 0)
                                    .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                                    .unwrap_or_default();
                                view! { <li><time>{at}</time>" · "<strong>{e.actor}</strong>" "{e.action}" "<code>{e.subject}</code></li> }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/organise/settings`: the organisation's name, zone and languages.
#[component]
pub fn SettingsScreen() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let form = OnceResource::new(load_settings());
    view! {
        <Private title=tr!(lang, settings_title).to_string() />
        <h1>{tr!(lang, settings_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let form = match form.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(form) => form,
                };
                let chosen: Vec<String> = form
                    .values
                    .iter()
                    .filter(|(k, _)| k == "languages")
                    .map(|(_, v)| v.clone())
                    .collect();
                let languages_error = form.error("languages").map(|e| problem_message(lang, e.problem));
                view! {
                    {saved().then(|| view! { <p class="notice" role="status">{tr!(lang, saved)}</p> })}
                    {(!form.errors.is_empty()).then(|| view! { <p class="form-error" role="alert">{tr!(lang, form_has_errors)}</p> })}
                    <form method="post" action=paths::SETTINGS class="rsvp-form">
                        <Field form=form.clone() name="instance_name" label=tr!(lang, instance_name_label) required=true />
                        <Field form=form.clone() name="time_zone" label=tr!(lang, zone_label) list="zones" required=true />
                        <datalist id="zones">
                            {chrono_tz::TZ_VARIANTS.iter().map(|z| view! { <option value=z.name()></option> }).collect_view()}
                        </datalist>
                        <fieldset class="answers">
                            <legend>{tr!(lang, languages_label)}</legend>
                            {form.languages.iter().map(|l| {
                                let id = format!("language-{}", l.tag());
                                let input_id = id.clone();
                                view! {
                                    <label class="choice" for=id lang=l.tag() dir=l.dir()>
                                        <input id=input_id type="checkbox" name="languages" value=l.tag() checked=chosen.iter().any(|c| c == l.tag()) />
                                        {l.native_name()}
                                    </label>
                                }
                            }).collect_view()}
                            {languages_error.map(|e| view! { <p class="field-error">{e}</p> })}
                        </fieldset>
                        <label for="field-default_lang">{tr!(lang, language_label)}</label>
                        <select id="field-default_lang" name="default_lang">
                            {form.languages.iter().map(|l| view! {
                                <option value=l.tag() selected=form.value("default_lang") == l.tag()>{l.native_name()}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit">{tr!(lang, save_event)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
