//! `/organise/login`.

use super::*;

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
