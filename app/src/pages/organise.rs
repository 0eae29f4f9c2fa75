//! Organiser screens: sign-in, the dashboard, an event's answers, and the
//! check-in screen for the door. Every form is a plain POST that works
//! without JavaScript; with it, check-in answers without a reload.

use super::use_lang;
use crate::accounts::AccountInfo;
use crate::api::{
    load_account, load_check_in, load_dashboard, load_rsvp_list, returned_form, CheckInCode,
};
use crate::i18n::{t, Lang, Msg};
use crate::organise::{
    CheckInPage, CheckInResult, LoginFailure, ManagedEvent, RsvpListEntry, LOGIN_PATH, LOGOUT_PATH,
    ORGANISE,
};
use crate::rsvp::{Answer, RsvpState};
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

pub fn rsvps_path(slug: &str) -> String {
    format!("{ORGANISE}/events/{slug}/rsvps")
}
pub fn check_in_path(slug: &str) -> String {
    format!("{ORGANISE}/events/{slug}/check-in")
}
pub fn decide_path(slug: &str, id: i64, approve: bool) -> String {
    let verb = if approve { "approve" } else { "decline" };
    format!("{ORGANISE}/events/{slug}/rsvps/{id}/{verb}")
}

/// What a refused server function means for the reader.
#[component]
fn Refused(error: ServerFnError) -> impl IntoView {
    let lang = use_lang();
    let text = error.to_string();
    if text.contains("not signed in") {
        view! {
            <p class="notice" role="alert">{t(lang, Msg::SignInNeeded)}</p>
            <p><a href=LOGIN_PATH>{t(lang, Msg::SignIn)}</a></p>
        }
        .into_any()
    } else if text.contains("forbidden") {
        view! { <p class="notice" role="alert">{t(lang, Msg::NotAllowed)}</p> }.into_any()
    } else if text.contains("not found") {
        view! { <super::NotFound /> }.into_any()
    } else {
        view! { <p role="alert">{t(lang, Msg::ServerError)}</p> }.into_any()
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
        <Private title=t(lang, Msg::SignInTitle).to_string() />
        <h1>{t(lang, Msg::SignInTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                if let Ok(Some(account)) = account.await {
                    return view! { <SignedIn account /> }.into_any();
                }
                let returned = returned.await.unwrap_or_default();
                let failure = returned.login_failure.map(|f| match f {
                    LoginFailure::Refused => t(lang, Msg::LoginRefused),
                    LoginFailure::TooMany => t(lang, Msg::LoginTooMany),
                });
                let username = returned.value("username").unwrap_or_default().to_string();
                view! {
                    {failure.map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
                    <form method="post" action=LOGIN_PATH class="rsvp-form">
                        <label for="username">{t(lang, Msg::UsernameLabel)}</label>
                        <input id="username" name="username" autocomplete="username" autocapitalize="none" required value=username dir="ltr" />
                        <label for="password">{t(lang, Msg::PasswordLabel)}</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required />
                        <button type="submit">{t(lang, Msg::SignIn)}</button>
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
            <p>{t(lang, Msg::SignedInAs).replace("{name}", &account.display_name)}</p>
            <form method="post" action=LOGOUT_PATH>
                <button type="submit">{t(lang, Msg::SignOut)}</button>
            </form>
        </div>
    }
}

fn status_line(lang: Lang, event: &ManagedEvent) -> String {
    let going = match event.capacity {
        Some(capacity) => t(lang, Msg::PlacesTakenOf)
            .replace("{going}", &event.going.to_string())
            .replace("{capacity}", &capacity.to_string()),
        None => t(lang, Msg::PeopleGoing).replace("{going}", &event.going.to_string()),
    };
    let mut parts = vec![going];
    if event.waitlisted > 0 {
        parts.push(t(lang, Msg::OnWaitlist).replace("{n}", &event.waitlisted.to_string()));
    }
    if event.pending > 0 {
        parts.push(t(lang, Msg::PendingCount).replace("{n}", &event.pending.to_string()));
    }
    parts.join(" · ")
}

/// `/organise`: the events this account manages.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let dashboard = OnceResource::new(load_dashboard(lang.tag().to_string()));
    view! {
        <Private title=t(lang, Msg::DashboardTitle).to_string() />
        <h1>{t(lang, Msg::DashboardTitle)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(dashboard) => view! {
                        <SignedIn account=dashboard.account.clone() />
                        {dashboard.events.is_empty().then(|| view! { <p class="empty">{t(lang, Msg::DashboardEmpty)}</p> })}
                        <ul class="events">
                            {dashboard.events.into_iter().map(|event| {
                                let status = status_line(lang, &event);
                                view! {
                                    <li class="event-card" class:past=event.is_past>
                                        <p class="meta">
                                            <span class=format!("kind kind-{}", event.kind.as_str())>{t(lang, event.kind.label())}</span>
                                            <super::event_list::StatusBadge status=event.status lang />
                                        </p>
                                        <h2 dir="auto"><A href=format!("/events/{}", event.slug)>{event.title.clone()}</A></h2>
                                        <p class="when">{event.when_label.clone()}</p>
                                        <p class="counts">{status}</p>
                                        <p class="actions">
                                            <A href=rsvps_path(&event.slug)>{t(lang, Msg::Answers)}</A>
                                            " · "
                                            <A href=check_in_path(&event.slug)>{t(lang, Msg::CheckInTitle)}</A>
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

fn answer_label(lang: Lang, entry: &RsvpListEntry) -> String {
    let answer = match entry.answer {
        Answer::Going => Msg::AnswerGoing,
        Answer::Maybe => Msg::AnswerMaybe,
        Answer::NotGoing => Msg::AnswerNotGoing,
    };
    let state = match entry.state {
        RsvpState::Confirmed => None,
        RsvpState::Waitlisted => Some(Msg::ShortWaitlisted),
        RsvpState::Pending => Some(Msg::ShortPending),
        RsvpState::Cancelled => Some(Msg::StatusCancelled),
    };
    match state {
        Some(state) => format!("{} ({})", t(lang, answer), t(lang, state)),
        None => t(lang, answer).to_string(),
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
        <Private title=t(lang, Msg::Answers).to_string() />
        <Suspense fallback=move || view! { <p class="loading">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(list) => {
                        let slug = list.slug.clone();
                        view! {
                            <h1 dir="auto">{list.title.clone()}</h1>
                            <p class="when">{list.when_label.clone()}</p>
                            <p class="actions">
                                <a href=format!("{}.csv", rsvps_path(&slug)) download>{t(lang, Msg::ExportCsv)}</a>
                                " · "
                                <A href=check_in_path(&slug)>{t(lang, Msg::CheckInTitle)}</A>
                            </p>
                            <h2>{t(lang, Msg::Answers)}</h2>
                            {list.entries.is_empty().then(|| view! { <p class="empty">{t(lang, Msg::NoAnswersYet)}</p> })}
                            <ul class="answers-list">
                                {list.entries.into_iter().map(|entry| {
                                    let answer = answer_label(lang, &entry);
                                    let pending = entry.state == RsvpState::Pending;
                                    view! {
                                        <li class=format!("event-card state-{}", entry.state.as_str())>
                                            <h3 dir="auto">{entry.display_name.clone()}</h3>
                                            <dl class="facts">
                                                <dt>{t(lang, Msg::ColAnswer)}</dt><dd>{answer}</dd>
                                                <dt>{t(lang, Msg::ColGuests)}</dt><dd>{entry.guests}</dd>
                                                <dt>{t(lang, Msg::ColCode)}</dt><dd dir="ltr">{entry.short_code.clone()}</dd>
                                                {(!entry.contact.is_empty()).then(|| view! { <dt>{t(lang, Msg::ColContact)}</dt><dd dir="auto">{entry.contact.clone()}</dd> })}
                                                {(!entry.note.is_empty()).then(|| view! { <dt>{t(lang, Msg::ColNote)}</dt><dd dir="auto">{entry.note.clone()}</dd> })}
                                            </dl>
                                            {entry.checked_in.then(|| view! { <p class="checked-in">{t(lang, Msg::CheckedInMark)}</p> })}
                                            {pending.then(|| view! {
                                                <div class="decide">
                                                    <form method="post" action=decide_path(&slug, entry.id, true)>
                                                        <button type="submit">{t(lang, Msg::Approve)}</button>
                                                    </form>
                                                    <form method="post" action=decide_path(&slug, entry.id, false)>
                                                        <button type="submit" class="danger">{t(lang, Msg::Decline)}</button>
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
    let person = |msg: Msg, name: &str, people: i64| {
        t(lang, msg)
            .replace("{name}", name)
            .replace("{people}", &people.to_string())
    };
    match result {
        CheckInResult::CheckedIn { name, people } => {
            (person(Msg::CheckedInNow, name, *people), "ok")
        }
        CheckInResult::AlreadyIn { name, people } => {
            (person(Msg::AlreadyCheckedIn, name, *people), "warn")
        }
        CheckInResult::NotConfirmed { name, .. } => {
            (person(Msg::NotConfirmedCode, name, 0), "warn")
        }
        CheckInResult::NoSuchCode => (t(lang, Msg::NoSuchCode).to_string(), "warn"),
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
        <Private title=t(lang, Msg::CheckInTitle).to_string() />
        <Suspense fallback=move || view! { <p class="loading">{t(lang, Msg::Loading)}</p> }>
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
                    <h1>{t(lang, Msg::CheckInTitle)}</h1>
                    <p dir="auto"><strong>{shown.get_untracked().title}</strong></p>
                    <p class="when">{shown.get_untracked().when_label}</p>
                    <p class="headcount" role="status">
                        {move || {
                            let count = shown.get().headcount;
                            t(lang, Msg::Headcount)
                                .replace("{arrived}", &count.arrived.to_string())
                                .replace("{expected}", &count.expected.to_string())
                        }}
                    </p>
                    {move || shown.get().result.map(|result| {
                        let (text, tone) = result_text(lang, &result);
                        view! { <p class=format!("check-in-result {tone}") role="alert">{text}</p> }
                    })}
                    <form
                        method="post"
                        action=check_in_path(&slug)
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
                        <label for="code">{t(lang, Msg::ColCode)}</label>
                        <input id="code" name="code" required autocomplete="off" autocapitalize="characters" inputmode="text" dir="ltr" />
                        <button type="submit" disabled=move || check.pending().get()>{t(lang, Msg::CheckInButton)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
