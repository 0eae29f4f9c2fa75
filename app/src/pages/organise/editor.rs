//! The event editor.

use super::*;

/// The editor's form of the event in the address (empty for a new one).
fn event_form(lang: Lang) -> Resource<Result<EventFormData, crate::error::AppError>> {
    let params = use_params_map();
    let slug = move || params.read().get("slug");
    Resource::new(slug, move |slug| {
        load_event_form(slug, lang.tag().to_string())
    })
}

/// `/organise/events/new` and `/organise/events/:slug/edit`.
#[component]
pub fn EventEditor() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let form = event_form(lang);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let form = match form.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(form) => form,
                };
                let heading = match &form.slug {
                    Some(_) => form.value(&format!("title.{}", form.value("original_lang"))).to_string(),
                    None => tr!(lang, new_event).to_string(),
                };
                let action = form.slug.as_deref().map_or_else(|| paths::NEW_EVENT.to_string(), paths::edit);
                let original = form.value("original_lang").to_string();
                // The original language's texts first and open; the others
                // folded, unless something in them needs fixing.
                let (first, others): (Vec<Lang>, Vec<Lang>) =
                    form.languages.iter().copied().partition(|l| l.tag() == original);
                let text_block = |text_lang: Lang| {
                    let tag = text_lang.tag();
                    let description = format!("description.{tag}");
                    let description_id = format!("field-description-{tag}");
                    let error = form.error(&description).map(|e| problem_message(lang, e.problem));
                    view! {
                        <fieldset lang=tag dir=text_lang.dir()>
                            <legend><bdi>{tr!(lang, text_in, language = text_lang.native_name())}</bdi></legend>
                            <Field form=form.clone() name=format!("title.{tag}") label=tr!(lang, title_label) />
                            <Field form=form.clone() name=format!("summary.{tag}") label=tr!(lang, summary_label) />
                            <label for=description_id.clone()>{tr!(lang, description_label)}</label>
                            <textarea id=description_id name=description.clone() rows="6" dir="auto">{crate::pages::textarea_text(form.value(&description))}</textarea>
                            {error.map(|e| view! { <p class="field-error">{e}</p> })}
                        </fieldset>
                    }
                };
                let errors = Signal::stored(form.errors.clone());
                view! {
                    <Private title=heading.clone() />
                    <OrganiserNav />
                    <h1 dir="auto">{heading}</h1>
                    {saved().then(|| view! { <p class="notice" role="status">{tr!(lang, saved)}</p> })}
                    <crate::pages::ErrorSummary errors prefix="field" />
                    {form.slug.clone().map(|slug| view! { <EventActions slug status=form.status /> })}
                    <form method="post" action=action class="rsvp-form event-form" novalidate>
                        {form.slug.is_some().then(|| view! {
                            <input type="hidden" name="version" value=form.value("version").to_string() />
                        })}
                        // Essentials first: what, when, where.
                        {first.into_iter().map(text_block).collect_view()}
                        <label for="field-kind">{tr!(lang, filter_kind)}</label>
                        <select id="field-kind" name="kind">
                            {EventKind::ALL.iter().map(|kind| view! {
                                <option value=kind.as_str() selected=form.value("kind") == kind.as_str()>{kind.label(lang)}</option>
                            }).collect_view()}
                        </select>
                        <Field form=form.clone() name="start" label=tr!(lang, start_label) kind="datetime-local" required=true />
                        <Field form=form.clone() name="end" label=tr!(lang, end_label) kind="datetime-local" required=true />
                        <Check form=form.clone() name="all_day" label=tr!(lang, all_day) />
                        <Field form=form.clone() name="time_zone" label=tr!(lang, zone_label) list="zones" required=true />
                        <datalist id="zones">
                            {chrono_tz::TZ_VARIANTS.iter().map(|z| view! { <option value=z.name()></option> }).collect_view()}
                        </datalist>
                        {[("venue_name", tr!(lang, venue_label)), ("venue_address", tr!(lang, address_label)), ("city", tr!(lang, filter_city))]
                            .into_iter()
                            .map(|(name, label)| view! { <Field form=form.clone() name label /> })
                            .collect_view()}
                        <Field form=form.clone() name="online_url" label=tr!(lang, online_label) kind="url" />
                        <Field form=form.clone() name="capacity" label=tr!(lang, capacity_label) kind="number" />
                        {others.into_iter().map(|text_lang| {
                            let open = form.errors.iter().any(|e| e.field.ends_with(&format!(".{}", text_lang.tag())));
                            view! {
                                <details class="other-language" open=open>
                                    <summary>{tr!(lang, text_in, language = text_lang.native_name())}</summary>
                                    {text_block(text_lang)}
                                </details>
                            }
                        }).collect_view()}
                        <details class="more-settings" open=!form.errors.is_empty()>
                            <summary>{tr!(lang, more_settings)}</summary>
                            <label for="field-original_lang">{tr!(lang, original_language)}</label>
                            <select id="field-original_lang" name="original_lang">
                                {form.languages.iter().map(|l| view! {
                                    <option value=l.tag() selected=form.value("original_lang") == l.tag()>{l.native_name()}</option>
                                }).collect_view()}
                            </select>
                            // A sensitive event's address can change: it must be
                            // able to say nothing. Any other keeps its address,
                            // which links already shared point to.
                            {(form.slug.is_none() || form.checked("sensitive")).then(|| view! {
                                <Field form=form.clone() name="slug" label=tr!(lang, slug_label) />
                                <p class="hint">{tr!(lang, slug_hint)}</p>
                            })}
                            <Check form=form.clone() name="sensitive" label=tr!(lang, sensitive_label) />
                            <p class="hint">{tr!(lang, sensitive_hint)}</p>
                            <Field form=form.clone() name="public_title" label=tr!(lang, public_title_label) />
                            <Field form=form.clone() name="reveal_hours" label=tr!(lang, reveal_hours_label) kind="number" />
                            <Check form=form.clone() name="rsvp_open" label=tr!(lang, rsvp_open_label) />
                            <Check form=form.clone() name="approval_required" label=tr!(lang, approval_label) />
                            <Check form=form.clone() name="hide_counts" label=tr!(lang, hide_counts_label) />
                            <Field form=form.clone() name="count_threshold" label=tr!(lang, count_threshold_label) kind="number" />
                            <Field form=form.clone() name="deadline" label=tr!(lang, deadline_label) kind="datetime-local" />
                            <Field form=form.clone() name="reminder_hours" label=tr!(lang, reminder_hours_label) kind="number" />
                            <p class="hint">{tr!(lang, reminder_hours_hint)}</p>
                        </details>
                        // Always within reach of a thumb, however long the form.
                        <div class="save-bar">
                            <button type="submit">{tr!(lang, save_event)}</button>
                        </div>
                    </form>
                    {form.slug.clone().map(|slug| view! { <PosterSection slug form=form.clone() /> })}
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// A stored event's poster: the image (made anew on the server, so
/// nothing but its pixels is kept) and what it shows in each language.
/// A form of its own: it sends a file, and works without JavaScript.
#[component]
fn PosterSection(slug: String, form: EventFormData) -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("poster").is_some();
    let error = form
        .error("poster")
        .map(|e| problem_message(lang, e.problem));
    let has_poster = form.poster.is_some();
    view! {
        <section id="poster" class="poster-form" aria-labelledby="poster-heading">
            <h2 id="poster-heading">{tr!(lang, poster_heading)}</h2>
            {saved().then(|| view! { <p class="notice" role="status">{tr!(lang, poster_saved)}</p> })}
            {form.poster.clone().map(|poster| view! {
                <crate::pages::poster::PosterPicture poster sizes="20rem" class="poster current" />
            })}
            <form method="post" action=paths::poster_upload(&slug) enctype="multipart/form-data" class="rsvp-form" novalidate>
                <label for="field-poster">{if has_poster { tr!(lang, poster_replace) } else { tr!(lang, poster_choose) }}</label>
                <input
                    id="field-poster"
                    name="poster"
                    type="file"
                    accept="image/jpeg,image/png,image/webp"
                    aria-invalid=error.is_some().then_some("true")
                    aria-describedby="field-poster-hint"
                />
                {error.map(|e| view! { <p class="field-error" id="field-poster-error">{e}</p> })}
                <p class="hint" id="field-poster-hint">{tr!(lang, poster_hint, max_mb = crate::domain::POSTER_MAX_BYTES / (1024 * 1024))}</p>
                {form.languages.iter().map(|alt_lang| view! {
                    <Field
                        form=form.clone()
                        name=format!("alt.{}", alt_lang.tag())
                        label=tr!(lang, poster_alt_in, language = alt_lang.native_name())
                    />
                }).collect_view()}
                <p class="hint">{tr!(lang, poster_alt_hint)}</p>
                <button type="submit">{tr!(lang, poster_save)}</button>
            </form>
            {has_poster.then(|| view! {
                <form method="post" action=paths::poster_remove(&slug)>
                    <button type="submit" class="danger">{tr!(lang, poster_remove)}</button>
                </form>
            })}
        </section>
    }
}

/// What else can be done with a stored event: its answers, the door, a
/// copy, and postponing, cancelling or scheduling it again.
#[component]
fn EventActions(slug: String, status: Option<EventStatus>) -> impl IntoView {
    let lang = use_lang();
    let status_form = |target: EventStatus, label: &'static str, danger: bool| {
        view! {
            <form method="post" action=paths::status(&slug)>
                <input type="hidden" name="status" value=target.as_str() />
                <button type="submit" class:danger=danger>{label}</button>
            </form>
        }
    };
    // Cancelling tells everyone who answered not to come: a step of its own.
    let cancel = view! {
        <a class="button danger" href=paths::status(&slug)>{tr!(lang, cancel_event)}</a>
    };
    let changes = match status.unwrap_or(EventStatus::Scheduled) {
        EventStatus::Scheduled => view! {
            {status_form(EventStatus::Postponed, tr!(lang, postpone_event), false)}
            {cancel}
        }
        .into_any(),
        EventStatus::Postponed => view! {
            {status_form(EventStatus::Scheduled, tr!(lang, restore_event), false)}
            {cancel}
        }
        .into_any(),
        EventStatus::Cancelled => {
            status_form(EventStatus::Scheduled, tr!(lang, restore_event), false).into_any()
        }
    };
    let (public, answers, door, copy) = (
        paths::event(&slug),
        paths::rsvps(&slug),
        paths::check_in(&slug),
        paths::duplicate(&slug),
    );
    view! {
        <p class="actions">
            <A href=public>{slug}</A>
            " · "
            <A href=answers>{tr!(lang, answers)}</A>
            " · "
            <A href=door>{tr!(lang, check_in_title)}</A>
        </p>
        <div class="event-actions">
            {status.map(|s| view! { <crate::pages::event_list::StatusBadge status=s lang /> })}
            {changes}
            <form method="post" action=copy>
                <button type="submit">{tr!(lang, duplicate_event)}</button>
            </form>
        </div>
    }
}

/// `/organise/events/:slug/status`: the step before an event is cancelled.
/// The page changes nothing; its form does.
#[component]
pub fn CancelEventPage() -> impl IntoView {
    let lang = use_lang();
    let form = event_form(lang);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let form = match form.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(form) => form,
                };
                let Some(slug) = form.slug.clone() else {
                    return view! { <crate::pages::NotFound /> }.into_any();
                };
                let title = form.value(&format!("title.{}", form.value("original_lang"))).to_string();
                view! {
                    <Private title=tr!(lang, cancel_event).to_string() />
                    <OrganiserNav />
                    <h1>{tr!(lang, cancel_event_question)}</h1>
                    <p class="lead" dir="auto">{title}</p>
                    <p>{tr!(lang, cancel_event_note)}</p>
                    <form method="post" action=paths::status(&slug) class="confirm">
                        <input type="hidden" name="status" value=EventStatus::Cancelled.as_str() />
                        <button type="submit" class="danger">{tr!(lang, cancel_event_yes)}</button>
                        <a class="button" href=paths::edit(&slug)>{tr!(lang, keep_event)}</a>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
