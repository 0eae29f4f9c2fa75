//! `/organise`: the dashboard.

use super::*;

fn status_line(lang: Lang, event: &ManagedEvent) -> String {
    let mut parts = vec![seats_text(lang, event.going, event.capacity)];
    if event.waitlisted > 0 {
        parts.push(tr!(lang, on_waitlist, n = event.waitlisted));
    }
    if event.pending > 0 {
        parts.push(tr!(lang, pending_count, n = event.pending));
    }
    parts.join(" · ")
}

/// `/organise`: the events this account manages, those to come first and
/// the past ones apart.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let dashboard = OnceResource::new(load_dashboard(lang.tag().to_string()));
    view! {
        <Private title=tr!(lang, dashboard_title).to_string() />
        <OrganiserNav />
        <h1>{tr!(lang, dashboard_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(dashboard) => {
                        let (past, upcoming): (Vec<_>, Vec<_>) =
                            dashboard.events.into_iter().partition(|event| event.is_past);
                        view! {
                            {upcoming.is_empty().then(|| view! { <p class="empty">{tr!(lang, dashboard_empty)}</p> })}
                            <ul class="events">
                                {upcoming.into_iter().map(|event| view! { <ManagedCard event /> }).collect_view()}
                            </ul>
                            {(!past.is_empty()).then(|| view! {
                                <h2 class="past-heading">{tr!(lang, past_title)}</h2>
                                <ul class="events">
                                    {past.into_iter().map(|event| view! { <ManagedCard event /> }).collect_view()}
                                </ul>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// One managed event: its state, seats, and the screens for it.
#[component]
fn ManagedCard(event: ManagedEvent) -> impl IntoView {
    let lang = use_lang();
    let status = status_line(lang, &event);
    view! {
        <li class="event-card" class:past=event.is_past>
            <p class="meta">
                <span class=format!("kind kind-{}", event.kind.as_str())>{event.kind.label(lang)}</span>
                <crate::pages::event_list::StatusBadge status=event.status lang />
            </p>
            <h3 dir="auto"><A href=paths::event(&event.slug)>{event.title.clone()}</A></h3>
            <p class="when">{event.when_label.clone()}</p>
            <p class="counts">{status}</p>
            <p class="hint">{match &event.data_deleted_on {
                Some(day) => tr!(lang, data_deleted_on, date = day.clone()),
                None => tr!(lang, data_deleted).to_string(),
            }}</p>
            <p class="card-actions">
                <A href=paths::edit(&event.slug) attr:class="button">{tr!(lang, edit_event)}</A>
                <A href=paths::rsvps(&event.slug) attr:class="button">{tr!(lang, answers)}</A>
                <A href=paths::check_in(&event.slug) attr:class="button">{tr!(lang, check_in_title)}</A>
            </p>
        </li>
    }
}
