//! Check-in at the door.

use super::*;

/// What the door is told, and its tone: `ok` (let them in), `warn`
/// (already in: look twice) or `stop` (no seat, or no such code). Said in
/// words and a sign, not by colour alone.
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
            (tr!(lang, not_confirmed_code, name = name.clone()), "stop")
        }
        CheckInResult::NoSuchCode => (tr!(lang, no_such_code).to_string(), "stop"),
    }
}

/// `/organise/events/:slug/check-in`: a door code in, a name and a
/// headcount out, without scrolling a list of names.
#[component]
pub fn CheckInScreen() -> impl IntoView {
    let lang = use_lang();
    let slug = slug_param();
    let check = ServerAction::<CheckInCode>::new();
    // The box empties after each code, ready for the next person.
    let code_box = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if check.value().read().is_some() {
            if let Some(input) = code_box.get() {
                input.set_value("");
                let _ = input.focus();
            }
        }
    });
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
                    <OrganiserNav />
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
                        let sign = match tone { "ok" => "✓", "warn" => "!", _ => "✗" };
                        view! {
                            <p class=format!("check-in-result {tone}") role="alert">
                                <span class="sign" aria-hidden="true">{sign}</span>
                                {text}
                            </p>
                        }
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
                        <input id="code" name="code" required autocomplete="off" autocapitalize="characters" inputmode="text" dir="ltr" autofocus node_ref=code_box />
                        <button type="submit" disabled=move || check.pending().get()>{tr!(lang, check_in_button)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
