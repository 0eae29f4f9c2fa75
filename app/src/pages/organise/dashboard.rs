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

/// `/organise`: the events this account manages.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let dashboard = OnceResource::new(load_dashboard(lang.tag().to_string()));
    view! {
        <Private title=tr!(lang, dashboard_title).to_string() />
        <h1>{tr!(lang, dashboard_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(dashboard) => view! {
                        <SignedIn account=dashboard.account.clone() />
                        <p class="actions">
                            <A href=paths::NEW_EVENT>{tr!(lang, new_event)}</A>
                            {dashboard.account.is_admin().then(|| view! {
                                " · "<A href=paths::ACCOUNTS>{tr!(lang, accounts_title)}</A>
                                " · "<A href=paths::AUDIT>{tr!(lang, audit_title)}</A>
                                " · "<A href=paths::SETTINGS>{tr!(lang, settings_title)}</A>
                            })}
                        </p>
                        {dashboard.events.is_empty().then(|| view! { <p class="empty">{tr!(lang, dashboard_empty)}</p> })}
                        <ul class="events">
                            {dashboard.events.into_iter().map(|event| {
                                let status = status_line(lang, &event);
                                view! {
                                    <li class="event-card" class:past=event.is_past>
                                        <p class="meta">
                                            <span class=format!("kind kind-{}", event.kind.as_str())>{event.kind.label(lang)}</span>
                                            <crate::pages::event_list::StatusBadge status=event.status lang />
                                        </p>
                                        <h2 dir="auto"><A href=paths::event(&event.slug)>{event.title.clone()}</A></h2>
                                        <p class="when">{event.when_label.clone()}</p>
                                        <p class="counts">{status}</p>
                                        <p class="hint">{match &event.data_deleted_on {
                                            Some(day) => tr!(lang, data_deleted_on, date = day.clone()),
                                            None => tr!(lang, data_deleted).to_string(),
                                        }}</p>
                                        <p class="actions">
                                            <A href=paths::edit(&event.slug)>{tr!(lang, edit_event)}</A>
                                            " · "
                                            <A href=paths::rsvps(&event.slug)>{tr!(lang, answers)}</A>
                                            " · "
                                            <A href=paths::check_in(&event.slug)>{tr!(lang, check_in_title)}</A>
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
