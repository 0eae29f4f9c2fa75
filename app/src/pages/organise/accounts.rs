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
