//! Organiser screens: sign-in, the dashboard, an event's answers, and the
//! check-in screen for the door. Every form is a plain POST that works
//! without JavaScript; with it, check-in answers without a reload.

use super::rsvp::problem_message;
use super::use_lang;
use crate::accounts::AccountInfo;
use crate::accounts::Role;
use crate::api::{
    load_account, load_accounts, load_audit_log, load_check_in, load_dashboard, load_event_form,
    load_rsvp_list, load_settings, returned_form, CheckInCode,
};
use crate::domain::{EventKind, EventStatus};
use crate::i18n::{t, Lang, Msg};
use crate::organise::{
    CheckInPage, CheckInResult, EventFormData, LoginFailure, ManagedEvent, RsvpListEntry,
    ACCOUNTS_PATH, AUDIT_PATH, LOGIN_PATH, LOGOUT_PATH, NEW_EVENT_PATH, ORGANISE, SETTINGS_PATH,
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
                let username = crate::organise::field(&returned.values, "username").to_string();
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
                        <p class="actions">
                            <A href=NEW_EVENT_PATH>{t(lang, Msg::NewEvent)}</A>
                            {dashboard.account.is_admin().then(|| view! {
                                " · "<A href=ACCOUNTS_PATH>{t(lang, Msg::AccountsTitle)}</A>
                                " · "<A href=AUDIT_PATH>{t(lang, Msg::AuditTitle)}</A>
                                " · "<A href=SETTINGS_PATH>{t(lang, Msg::SettingsTitle)}</A>
                            })}
                        </p>
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
                                        <p class="hint">{match &event.data_deleted_on {
                                            Some(day) => t(lang, Msg::DataDeletedOn).replace("{date}", day),
                                            None => t(lang, Msg::DataDeleted).to_string(),
                                        }}</p>
                                        <p class="actions">
                                            <A href=edit_path(&event.slug)>{t(lang, Msg::EditEvent)}</A>
                                            " · "
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

pub fn edit_path(slug: &str) -> String {
    format!("{ORGANISE}/events/{slug}/edit")
}

/// One labelled input of the editor, with its error below it.
#[component]
fn Field(
    form: EventFormData,
    name: String,
    label: String,
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
fn Check(form: EventFormData, name: &'static str, label: Msg) -> impl IntoView {
    let lang = use_lang();
    let id = format!("field-{name}");
    let input_id = id.clone();
    view! {
        <label class="choice" for=id>
            <input id=input_id type="checkbox" name=name checked=form.checked(name) />
            {t(lang, label)}
        </label>
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
        <Suspense fallback=move || view! { <p class="loading">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let form = match form.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(form) => form,
                };
                let heading = match &form.slug {
                    Some(_) => form.value(&format!("title.{}", form.value("original_lang"))).to_string(),
                    None => t(lang, Msg::NewEvent).to_string(),
                };
                let action = form.slug.as_deref().map_or_else(|| NEW_EVENT_PATH.to_string(), edit_path);
                let field = |name: &str, label: Msg| (form.clone(), name.to_string(), t(lang, label).to_string());
                let has_errors = !form.errors.is_empty();
                view! {
                    <Private title=heading.clone() />
                    <h1 dir="auto">{heading}</h1>
                    {saved().then(|| view! { <p class="notice" role="status">{t(lang, Msg::Saved)}</p> })}
                    {has_errors.then(|| view! { <p class="form-error" role="alert">{t(lang, Msg::FormHasErrors)}</p> })}
                    {form.slug.clone().map(|slug| view! { <EventActions slug status=form.status /> })}
                    <form method="post" action=action class="rsvp-form event-form">
                        {form.slug.is_none().then(|| {
                            let (form, name, label) = field("slug", Msg::SlugLabel);
                            view! { <Field form name label required=true /> }
                        })}
                        <label for="field-kind">{t(lang, Msg::FilterKind)}</label>
                        <select id="field-kind" name="kind">
                            {EventKind::ALL.iter().map(|kind| view! {
                                <option value=kind.as_str() selected=form.value("kind") == kind.as_str()>{t(lang, kind.label())}</option>
                            }).collect_view()}
                        </select>
                        <label for="field-original_lang">{t(lang, Msg::OriginalLanguage)}</label>
                        <select id="field-original_lang" name="original_lang">
                            {form.languages.iter().map(|l| view! {
                                <option value=l.tag() selected=form.value("original_lang") == l.tag()>{l.native_name()}</option>
                            }).collect_view()}
                        </select>
                        {form.languages.iter().map(|text_lang| {
                            let tag = text_lang.tag();
                            let legend = t(lang, Msg::TextIn).replace("{language}", text_lang.native_name());
                            let description = format!("description.{tag}");
                            let description_id = format!("field-description-{tag}");
                            let (f1, n1, l1) = field(&format!("title.{tag}"), Msg::TitleLabel);
                            let (f2, n2, l2) = field(&format!("summary.{tag}"), Msg::SummaryLabel);
                            let error = form.error(&description).map(|e| problem_message(lang, e.problem));
                            view! {
                                <fieldset lang=tag dir=text_lang.dir()>
                                    <legend>{legend}</legend>
                                    <Field form=f1 name=n1 label=l1 />
                                    <Field form=f2 name=n2 label=l2 />
                                    <label for=description_id.clone()>{t(lang, Msg::DescriptionLabel)}</label>
                                    <textarea id=description_id name=description.clone() rows="6" dir="auto">{super::textarea_text(form.value(&description))}</textarea>
                                    {error.map(|e| view! { <p class="field-error">{e}</p> })}
                                </fieldset>
                            }
                        }).collect_view()}
                        {
                            let (f, n, l) = field("start", Msg::StartLabel);
                            view! { <Field form=f name=n label=l kind="datetime-local" required=true /> }
                        }
                        {
                            let (f, n, l) = field("end", Msg::EndLabel);
                            view! { <Field form=f name=n label=l kind="datetime-local" required=true /> }
                        }
                        <Check form=form.clone() name="all_day" label=Msg::AllDay />
                        {
                            let (f, n, l) = field("time_zone", Msg::ZoneLabel);
                            view! { <Field form=f name=n label=l list="zones" required=true /> }
                        }
                        <datalist id="zones">
                            {chrono_tz::TZ_VARIANTS.iter().map(|z| view! { <option value=z.name()></option> }).collect_view()}
                        </datalist>
                        {[("venue_name", Msg::VenueLabel), ("venue_address", Msg::AddressLabel), ("city", Msg::FilterCity)]
                            .into_iter()
                            .map(|(name, label)| {
                                let (f, n, l) = field(name, label);
                                view! { <Field form=f name=n label=l /> }
                            })
                            .collect_view()}
                        {
                            let (f, n, l) = field("online_url", Msg::OnlineLabel);
                            view! { <Field form=f name=n label=l kind="url" /> }
                        }
                        {
                            let (f, n, l) = field("capacity", Msg::CapacityLabel);
                            view! { <Field form=f name=n label=l kind="number" /> }
                        }
                        <Check form=form.clone() name="sensitive" label=Msg::SensitiveLabel />
                        {
                            let (f, n, l) = field("public_title", Msg::PublicTitleLabel);
                            view! { <Field form=f name=n label=l /> }
                        }
                        <Check form=form.clone() name="rsvp_open" label=Msg::RsvpOpenLabel />
                        <Check form=form.clone() name="approval_required" label=Msg::ApprovalLabel />
                        <Check form=form.clone() name="hide_counts" label=Msg::HideCountsLabel />
                        {
                            let (f, n, l) = field("deadline", Msg::DeadlineLabel);
                            view! { <Field form=f name=n label=l kind="datetime-local" /> }
                        }
                        <button type="submit">{t(lang, Msg::SaveEvent)}</button>
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
    let status_form = |target: EventStatus, label: Msg, danger: bool| {
        view! {
            <form method="post" action=format!("{ORGANISE}/events/{slug}/status")>
                <input type="hidden" name="status" value=target.as_str() />
                <button type="submit" class:danger=danger>{t(lang, label)}</button>
            </form>
        }
    };
    let changes = match status.unwrap_or(EventStatus::Scheduled) {
        EventStatus::Scheduled => view! {
            {status_form(EventStatus::Postponed, Msg::PostponeEvent, false)}
            {status_form(EventStatus::Cancelled, Msg::CancelEvent, true)}
        }
        .into_any(),
        EventStatus::Postponed => view! {
            {status_form(EventStatus::Scheduled, Msg::RestoreEvent, false)}
            {status_form(EventStatus::Cancelled, Msg::CancelEvent, true)}
        }
        .into_any(),
        EventStatus::Cancelled => {
            status_form(EventStatus::Scheduled, Msg::RestoreEvent, false).into_any()
        }
    };
    let (public, answers, door, copy) = (
        format!("/events/{slug}"),
        rsvps_path(&slug),
        check_in_path(&slug),
        format!("{ORGANISE}/events/{slug}/duplicate"),
    );
    view! {
        <p class="actions">
            <A href=public>{slug}</A>
            " · "
            <A href=answers>{t(lang, Msg::Answers)}</A>
            " · "
            <A href=door>{t(lang, Msg::CheckInTitle)}</A>
        </p>
        <div class="event-actions">
            {status.map(|s| view! { <super::event_list::StatusBadge status=s lang /> })}
            {changes}
            <form method="post" action=copy>
                <button type="submit">{t(lang, Msg::DuplicateEvent)}</button>
            </form>
        </div>
    }
}

pub fn account_path(id: i64, verb: &str) -> String {
    format!("{ACCOUNTS_PATH}/{id}/{verb}")
}

/// `/organise/accounts`: organisers and admins; create, disable, reset.
#[component]
pub fn AccountsScreen() -> impl IntoView {
    let lang = use_lang();
    let page = OnceResource::new(load_accounts());
    view! {
        <Private title=t(lang, Msg::AccountsTitle).to_string() />
        <h1>{t(lang, Msg::AccountsTitle)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{t(lang, Msg::Loading)}</p> }>
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
                let field = |name: &str, label: Msg| (form.clone(), name.to_string(), t(lang, label).to_string());
                let role = form.value("role").to_string();
                let me = page.me.id;
                view! {
                    <ul class="events">
                        {page.accounts.into_iter().map(|entry| {
                            let a = entry.account;
                            let role = match a.role {
                                Role::Admin => t(lang, Msg::RoleAdmin),
                                Role::Organiser => t(lang, Msg::RoleOrganiser),
                            };
                            let password_id = format!("password-{}", a.id);
                            view! {
                                <li class="event-card">
                                    <h2 dir="auto">{a.display_name.clone()}</h2>
                                    <p dir="ltr">{a.username.clone()}" · "{role}</p>
                                    {entry.disabled.then(|| view! { <p class="status status-cancelled">{t(lang, Msg::DisabledMark)}</p> })}
                                    {(a.id != me).then(|| {
                                        let (verb, label) = if entry.disabled { ("enable", Msg::EnableAccount) } else { ("disable", Msg::DisableAccount) };
                                        view! {
                                            <form method="post" action=account_path(a.id, verb)>
                                                <button type="submit" class:danger=!entry.disabled>{t(lang, label)}</button>
                                            </form>
                                        }
                                    })}
                                    <form method="post" action=account_path(a.id, "password") class="rsvp-form">
                                        <label for=password_id.clone()>{t(lang, Msg::ResetPassword)}</label>
                                        <input id=password_id name="password" type="password" autocomplete="new-password" minlength="12" required />
                                        <button type="submit">{t(lang, Msg::ResetPassword)}</button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h2>{t(lang, Msg::CreateAccount)}</h2>
                    {(!form.errors.is_empty()).then(|| view! { <p class="form-error" role="alert">{t(lang, Msg::FormHasErrors)}</p> })}
                    <form method="post" action=ACCOUNTS_PATH class="rsvp-form">
                        {
                            let (f, n, l) = field("username", Msg::UsernameLabel);
                            view! { <Field form=f name=n label=l required=true /> }
                        }
                        {
                            let (f, n, l) = field("display_name", Msg::DisplayNameLabel);
                            view! { <Field form=f name=n label=l /> }
                        }
                        {
                            let (f, n, l) = field("password", Msg::PasswordLabel);
                            view! { <Field form=f name=n label=l kind="password" required=true /> }
                        }
                        <label for="field-role">{t(lang, Msg::RoleLabel)}</label>
                        <select id="field-role" name="role">
                            <option value="organiser" selected=role != "admin">{t(lang, Msg::RoleOrganiser)}</option>
                            <option value="admin" selected=role == "admin">{t(lang, Msg::RoleAdmin)}</option>
                        </select>
                        <button type="submit">{t(lang, Msg::CreateAccount)}</button>
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
        <Private title=t(lang, Msg::AuditTitle).to_string() />
        <h1>{t(lang, Msg::AuditTitle)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{t(lang, Msg::Loading)}</p> }>
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
        <Private title=t(lang, Msg::SettingsTitle).to_string() />
        <h1>{t(lang, Msg::SettingsTitle)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let form = match form.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(form) => form,
                };
                let field = |name: &str, label: Msg| (form.clone(), name.to_string(), t(lang, label).to_string());
                let chosen: Vec<String> = form
                    .values
                    .iter()
                    .filter(|(k, _)| k == "languages")
                    .map(|(_, v)| v.clone())
                    .collect();
                let languages_error = form.error("languages").map(|e| problem_message(lang, e.problem));
                view! {
                    {saved().then(|| view! { <p class="notice" role="status">{t(lang, Msg::Saved)}</p> })}
                    {(!form.errors.is_empty()).then(|| view! { <p class="form-error" role="alert">{t(lang, Msg::FormHasErrors)}</p> })}
                    <form method="post" action=SETTINGS_PATH class="rsvp-form">
                        {
                            let (f, n, l) = field("instance_name", Msg::InstanceNameLabel);
                            view! { <Field form=f name=n label=l required=true /> }
                        }
                        {
                            let (f, n, l) = field("time_zone", Msg::ZoneLabel);
                            view! { <Field form=f name=n label=l list="zones" required=true /> }
                        }
                        <datalist id="zones">
                            {chrono_tz::TZ_VARIANTS.iter().map(|z| view! { <option value=z.name()></option> }).collect_view()}
                        </datalist>
                        <fieldset class="answers">
                            <legend>{t(lang, Msg::LanguagesLabel)}</legend>
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
                        <label for="field-default_lang">{t(lang, Msg::LanguageLabel)}</label>
                        <select id="field-default_lang" name="default_lang">
                            {form.languages.iter().map(|l| view! {
                                <option value=l.tag() selected=form.value("default_lang") == l.tag()>{l.native_name()}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit">{t(lang, Msg::SaveEvent)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
