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
/// headcount out, without scrolling a list of names. Each code is a form
/// post; the page comes back with the answer and an empty box, focused for
/// the next person.
#[component]
pub fn CheckInScreen() -> impl IntoView {
    let lang = use_lang();
    let slug = slug_param();
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
                let count = page.headcount;
                view! {
                    <OrganiserNav />
                    <h1>{tr!(lang, check_in_title)}</h1>
                    <p dir="auto"><strong>{page.title}</strong></p>
                    <p class="when">{page.when_label}</p>
                    <p class="headcount" role="status">
                        {tr!(lang, headcount, arrived = count.arrived, expected = count.expected)}
                    </p>
                    {page.result.map(|result| {
                        let (text, tone) = result_text(lang, &result);
                        let sign = match tone { "ok" => "✓", "warn" => "!", _ => "✗" };
                        view! {
                            <p class=format!("check-in-result {tone}") role="alert">
                                <span class="sign" aria-hidden="true">{sign}</span>
                                {text}
                            </p>
                        }
                    })}
                    <form method="post" action=paths::check_in(&page.slug) class="rsvp-form check-in">
                        <input type="hidden" name="slug" value=page.slug.clone() />
                        <input type="hidden" name="lang" value=lang.tag() />
                        <label for="code">{tr!(lang, col_code)}</label>
                        <input id="code" name="code" required autocomplete="off" autocapitalize="characters" inputmode="text" dir="ltr" autofocus />
                        <button type="submit">{tr!(lang, check_in_button)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
