//! Organiser and admin accounts, for admins.

use super::*;

/// `/organise/accounts`: organisers and admins; create, disable, reset.
#[component]
pub fn AccountsScreen() -> impl IntoView {
    let lang = use_lang();
    let page = OnceResource::new(load_accounts());
    view! {
        <Private title=tr!(lang, accounts_title).to_string() />
        <OrganiserNav />
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
                                    {if entry.holds_key {
                                        view! { <p class="key-state">"🔑 "{tr!(lang, holds_key)}</p> }.into_any()
                                    } else {
                                        view! { <p class="key-state">{tr!(lang, holds_no_key)}</p> }.into_any()
                                    }}
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
                    <OrganisationKey form=form.clone() unlocked=page.key_unlocked recovery_exists=page.has_recovery_key />
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

/// The organisation's key: a new recovery key (shown once, right after it
/// is made), and replacing the key; both confirmed with the admin's
/// password, in one form.
#[component]
fn OrganisationKey(form: EventFormData, unlocked: bool, recovery_exists: bool) -> impl IntoView {
    let lang = use_lang();
    let recovery = Some(form.value("recovery_key").to_string()).filter(|k| !k.is_empty());
    let rotated = form.value("rotated") == "1";
    view! {
        <section aria-labelledby="key-heading" class="organisation-key">
            <h2 id="key-heading">{tr!(lang, organisation_key_title)}</h2>
            <p class="hint">{tr!(lang, organisation_key_hint)}</p>
            {rotated.then(|| view! { <p class="notice" role="status">{tr!(lang, key_rotated)}</p> })}
            {recovery.clone().map(|key| view! {
                <div class="recovery-key" role="status">
                    <p>{tr!(lang, recovery_key_shown)}</p>
                    <p><code dir="ltr">{key}</code></p>
                </div>
            })}
            {(!recovery_exists && recovery.is_none()).then(|| view! {
                <p class="form-error" role="alert">{tr!(lang, no_recovery_key_notice)}</p>
            })}
            {if unlocked {
                view! {
                    <form method="post" action=paths::KEY_RECOVERY class="rsvp-form">
                        <Field form=form.clone() name="confirm_password" label=tr!(lang, confirm_password) kind="password" required=true />
                        <button type="submit">{tr!(lang, new_recovery_key)}</button>
                        <p class="hint">{tr!(lang, rotate_key_hint)}</p>
                        <button type="submit" class="danger" formaction=paths::KEY_ROTATE>{tr!(lang, rotate_key)}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="notice">{tr!(lang, key_not_held)}</p> }.into_any()
            }}
        </section>
    }
}
