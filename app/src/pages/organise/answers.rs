//! An event's answers, for its organisers.

use super::*;

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
