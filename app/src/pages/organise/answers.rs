//! An event's answers, for its organisers: counts per state, a filter and
//! a search (plain links and a GET form, so with JavaScript off too), and
//! one compact row per answer, a hundred to a page.

use super::*;
use crate::notices::Audience;
use crate::organise::{AnswerQuery, RsvpList, RsvpListEntry, ANSWER_FILTERS};
use crate::pages::pager::Pager;
use leptos_router::hooks::use_query_map;

fn filter_label(lang: Lang, filter: &str) -> &'static str {
    match filter {
        "going" => tr!(lang, answer_going),
        "waitlisted" => tr!(lang, short_waitlisted),
        "pending" => tr!(lang, short_pending),
        "maybe" => tr!(lang, answer_maybe),
        "not_going" => tr!(lang, answer_not_going),
        "cancelled" => tr!(lang, status_cancelled),
        _ => tr!(lang, filter_all),
    }
}

/// The list's address for a filter, a search and a page (the first page
/// needs no number).
fn filter_href(slug: &str, filter: Option<&str>, search: &str, page: usize) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(filter) = filter {
        query.append_pair("state", filter);
    }
    if !search.is_empty() {
        query.append_pair("q", search);
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        paths::rsvps(slug)
    } else {
        format!("{}?{query}", paths::rsvps(slug))
    }
}

/// `/organise/events/:slug/rsvps`: who answered, with what, and the
/// approvals waiting; a page at a time.
#[component]
pub fn RsvpsPage() -> impl IntoView {
    let lang = use_lang();
    let slug = slug_param();
    let params = use_query_map();
    let query = move || {
        let params = params.read();
        AnswerQuery::from_params(
            params.get_str("state"),
            params.get_str("q"),
            params.get_str("page"),
        )
    };
    // How many the message just sent reached (the form's redirect says).
    let sent = move || {
        params
            .read()
            .get_str("sent")
            .and_then(|n| n.parse::<i64>().ok())
    };
    let list = Resource::new(
        move || (slug(), query()),
        move |(slug, query)| load_rsvp_list(slug, lang.tag().to_string(), query),
    );
    view! {
        <Private title=tr!(lang, answers).to_string() />
        <OrganiserNav />
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(list) => {
                        let slug = list.slug.clone();
                        let AnswerQuery { filter: chosen, search, .. } = query();
                        let page = list.page;
                        let total = list.total();
                        let chips = std::iter::once((None, total))
                            .chain(ANSWER_FILTERS.iter().zip(&list.counts).map(|((f, ..), n)| (Some(*f), *n)))
                            .map(|(filter, count)| {
                                let label = format!("{} ({count})", filter_label(lang, filter.unwrap_or_default()));
                                let current = filter == chosen.as_deref();
                                view! {
                                    <li><a href=filter_href(&slug, filter, &search, 1) aria-current=current.then_some("true")>{label}</a></li>
                                }
                            })
                            .collect_view();
                        let empty = list.matching == 0 && total > 0;
                        let previous = (page > 1).then(|| filter_href(&slug, chosen.as_deref(), &search, page - 1));
                        let next = list.has_more().then(|| filter_href(&slug, chosen.as_deref(), &search, page + 1));
                        view! {
                            <h1 dir="auto">{list.title.clone()}</h1>
                            <p class="when">{list.when_label.clone()}</p>
                            <p class="counts">{seats_text(lang, list.seats, list.capacity)}</p>
                            <p class="card-actions">
                                <a class="button" href=paths::rsvps_csv(&slug) download>{tr!(lang, export_csv)}</a>
                                <A href=paths::check_in(&slug) attr:class="button">{tr!(lang, check_in_title)}</A>
                            </p>
                            <Announce list=list.clone() sent=sent() />
                            <h2>{tr!(lang, answers)}</h2>
                            {list.any_sealed.then(|| view! {
                                <p class="notice" role="status">{tr!(lang, names_sealed_notice)}</p>
                            })}
                            {(total == 0).then(|| view! { <p class="empty">{tr!(lang, no_answers_yet)}</p> })}
                            {(total > 0).then(|| view! {
                                <nav aria-label=tr!(lang, filter_answers)>
                                    <ul class="chips">{chips}</ul>
                                </nav>
                                <form method="get" action=paths::rsvps(&slug) class="search" role="search">
                                    {chosen.clone().map(|f| view! { <input type="hidden" name="state" value=f /> })}
                                    <label for="answer-search">{tr!(lang, search_answers)}</label>
                                    <input id="answer-search" name="q" type="search" value=search.clone() dir="auto" />
                                    <button type="submit">{tr!(lang, search)}</button>
                                </form>
                            })}
                            {empty.then(|| view! {
                                <p class="empty">{tr!(lang, no_matching_answers)}</p>
                                <p><a class="button" href=paths::rsvps(&slug)>{tr!(lang, clear_filters)}</a></p>
                            })}
                            <ul class="answer-rows">
                                {list.entries.into_iter().map(|entry| view! { <AnswerRow entry slug=slug.clone() /> }).collect_view()}
                            </ul>
                            <Pager previous next />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// One answer in a compact row: who, what, the code; contact and note
/// folded; approve or decline when it waits.
#[component]
fn AnswerRow(entry: RsvpListEntry, slug: String) -> impl IntoView {
    let lang = use_lang();
    let answer = answer_with_state(lang, entry.answer, entry.state);
    let party = if entry.guests > 0 {
        format!("{answer} + {}", entry.guests)
    } else {
        answer
    };
    let pending = entry.state == RsvpState::Pending;
    let details = !entry.contact.is_empty() || !entry.note.is_empty();
    view! {
        <li class=format!("answer-row state-{}", entry.state.as_str())>
            <p class="who">
                {if entry.sealed {
                    view! { <strong class="sealed">"🔒 "{tr!(lang, name_sealed)}</strong> }.into_any()
                } else {
                    view! { <strong dir="auto">{entry.display_name.clone()}</strong> }.into_any()
                }}
                {entry.checked_in.then(|| view! { <span class="checked-in">"✓ "{tr!(lang, checked_in_mark)}</span> })}
            </p>
            <p class="what">
                <span>{party}</span>
                {(!entry.short_code.is_empty()).then(|| view! { <code dir="ltr">{entry.short_code.clone()}</code> })}
            </p>
            {details.then(|| view! {
                <details>
                    <summary>{tr!(lang, answer_details)}</summary>
                    <dl class="facts">
                        {(!entry.contact.is_empty()).then(|| view! { <dt>{tr!(lang, col_contact)}</dt><dd dir="auto">{entry.contact.clone()}</dd> })}
                        {(!entry.note.is_empty()).then(|| view! { <dt>{tr!(lang, col_note)}</dt><dd dir="auto">{entry.note.clone()}</dd> })}
                    </dl>
                </details>
            })}
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
}

/// The form for a message to those who answered, and the messages sent:
/// each with its audience and how many it reached, never who.
#[component]
fn Announce(list: RsvpList, sent: Option<i64>) -> impl IntoView {
    let lang = use_lang();
    let returned = list.returned.clone();
    let value = |name: &str| {
        returned
            .values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let error = |name: &str| {
        returned
            .errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| problem_message(lang, e.problem))
    };
    let message_error = error("message");
    let audience_error = error("audience");
    let audience_invalid = audience_error.is_some().then_some("true");
    let chosen_audience = value("audience");
    let chosen_lang = Some(value("lang"))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| lang.tag().to_string());
    let sent_line = sent.map(
        |count| view! { <p class="notice" role="status">{tr!(lang, announced_count, count)}</p> },
    );
    view! {
        <section id="announce" aria-labelledby="announce-heading">
            <h2 id="announce-heading">{tr!(lang, announce_heading)}</h2>
            {sent_line}
            <p class="hint">{tr!(lang, announce_help)}</p>
            {list.sensitive.then(|| view! { <p class="hint">{tr!(lang, announce_sensitive_help)}</p> })}
            <form method="post" action=paths::announce(&list.slug) class="rsvp-form" novalidate>
                <label for="announce-message">{tr!(lang, announce_message_label)}</label>
                <textarea id="announce-message" name="message" rows="4" maxlength=crate::notices::limits::ANNOUNCEMENT
                    dir="auto" required aria-invalid=message_error.is_some().then_some("true")
                    aria-describedby="announce-message-hint announce-message-error">{crate::pages::textarea_text(&value("message"))}</textarea>
                <p class="hint" id="announce-message-hint">{tr!(lang, announce_message_hint, max = crate::notices::limits::ANNOUNCEMENT)}</p>
                {message_error.map(|e| view! { <p class="field-error" id="announce-message-error">{e}</p> })}
                <fieldset aria-invalid=audience_invalid>
                    <legend>{tr!(lang, announce_audience_label)}</legend>
                    {Audience::ALL.into_iter().map(|audience| {
                        let checked = if chosen_audience.is_empty() { audience == Audience::Everyone } else { chosen_audience == audience.as_str() };
                        view! {
                            <label class="choice">
                                <input type="radio" name="audience" value=audience.as_str() checked=checked />
                                <span>{audience.label(lang)}</span>
                            </label>
                        }
                    }).collect_view()}
                    {audience_error.map(|e| view! { <p class="field-error">{e}</p> })}
                </fieldset>
                {(list.languages.len() > 1).then(|| view! {
                    <label for="announce-lang">{tr!(lang, announce_lang_label)}</label>
                    <select id="announce-lang" name="lang">
                        {list.languages.iter().map(|l| view! {
                            <option value=l.tag() selected=chosen_lang == l.tag()>{l.native_name()}</option>
                        }).collect_view()}
                    </select>
                })}
                {(list.languages.len() <= 1).then(|| view! { <input type="hidden" name="lang" value=chosen_lang.clone() /> })}
                <button type="submit">{tr!(lang, announce_send)}</button>
            </form>
            {(!list.announcements.is_empty()).then(|| view! {
                <h3>{tr!(lang, announcements_sent_heading)}</h3>
                <ul class="sent-announcements">
                    {list.announcements.into_iter().map(|sent| view! {
                        <li class="update">
                            <p>{sent.at_label}" · "{sent.audience.label(lang)}" · "{tr!(lang, announced_count, count = sent.recipients)}</p>
                            <div class="announcement" lang=sent.lang.tag() dir=sent.lang.dir() inner_html=sent.body_html />
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
