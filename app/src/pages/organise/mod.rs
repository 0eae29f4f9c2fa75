//! Organiser screens, a module each: sign-in, the dashboard, an event's
//! answers, the door, the event editor, accounts, the audit log and the
//! settings; here, what they share. Every form is a plain POST that works
//! without JavaScript; with it, check-in answers without a reload.

mod accounts;
mod answers;
mod audit;
mod dashboard;
mod door;
mod editor;
mod login;
mod settings;

pub use accounts::AccountsScreen;
pub use answers::RsvpsPage;
pub use audit::AuditScreen;
pub use dashboard::DashboardPage;
pub use door::CheckInScreen;
pub use editor::{CancelEventPage, EventEditor};
pub use login::LoginPage;
pub use settings::SettingsScreen;

use super::messages::{problem_message, seats_text};
use super::use_lang;
use super::Unlisted;
use crate::accounts::AccountInfo;
use crate::accounts::Role;
use crate::api::{
    load_account, load_accounts, load_audit_log, load_check_in, load_dashboard, load_event_form,
    load_rsvp_list, load_settings, returned_form, AppError,
};
use crate::domain::{EventKind, EventStatus};
use crate::i18n::Lang;
use crate::organise::{CheckInPage, CheckInResult, EventFormData, LoginFailure, ManagedEvent};
use crate::paths;
use crate::rsvp::{answer_with_state, RsvpState};
use crate::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// What a refused server function means for the reader.
#[component]
fn Refused(error: AppError) -> impl IntoView {
    let lang = use_lang();
    match error {
        AppError::NotSignedIn => view! {
            <p class="notice" role="alert">{tr!(lang, sign_in_needed)}</p>
            <p><a href=paths::LOGIN>{tr!(lang, sign_in)}</a></p>
        }
        .into_any(),
        AppError::Forbidden => {
            view! { <p class="notice" role="alert">{tr!(lang, not_allowed)}</p> }.into_any()
        }
        AppError::NotFound => view! { <super::NotFound /> }.into_any(),
        _ => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
    }
}

/// An organiser screen's head: unlisted, described by the site's promise.
#[component]
fn Private(title: String) -> impl IntoView {
    let lang = use_lang();
    view! { <Unlisted title description=tr!(lang, footer_privacy).to_string() /> }
}

/// The organiser's own navigation, atop every organiser screen: their
/// events, a new one, the admin's screens, who is signed in and the way out.
#[component]
fn OrganiserNav() -> impl IntoView {
    let lang = use_lang();
    let account = OnceResource::new(load_account());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                account.await.ok().flatten().map(|account| view! {
                    <nav class="organiser-nav" aria-label=tr!(lang, nav_organise)>
                        <A href=paths::ORGANISE exact=true>{tr!(lang, dashboard_title)}</A>
                        <A href=paths::NEW_EVENT>{tr!(lang, new_event)}</A>
                        {account.is_admin().then(|| view! {
                            <A href=paths::ACCOUNTS>{tr!(lang, accounts_title)}</A>
                            <A href=paths::SETTINGS>{tr!(lang, settings_title)}</A>
                            <A href=paths::AUDIT>{tr!(lang, audit_title)}</A>
                        })}
                    </nav>
                    <SignedIn account />
                })
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

fn slug_param() -> impl Fn() -> String + Copy {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}

/// One labelled input of the editor, with its error below it.
#[component]
fn Field(
    form: EventFormData,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
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
