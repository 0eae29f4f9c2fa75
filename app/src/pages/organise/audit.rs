//! The audit log, for admins.

use super::*;

/// `/organise/audit`: who did what, when.
#[component]
pub fn AuditScreen() -> impl IntoView {
    let lang = use_lang();
    let log = OnceResource::new(load_audit_log());
    let info = crate::pages::use_site_info();
    view! {
        <Private title=tr!(lang, audit_title).to_string() />
        <OrganiserNav />
        <h1>{tr!(lang, audit_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                // In the instance's zone, as every other time on the site.
                let zone = info
                    .await
                    .ok()
                    .and_then(|i| crate::time::parse_zone(&i.zone))
                    .unwrap_or(chrono_tz::UTC);
                match log.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(entries) => view! {
                        <ol class="audit-log" dir="ltr">
                            {entries.into_iter().map(|e| {
                                let at = chrono::DateTime::from_timestamp(e.at, 0)
                                    .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string())
                                    .unwrap_or_default();
                                view! { <li><time>{at}</time>" · "<strong>{e.actor}</strong>" "{e.action}" "<code>{e.subject}</code></li> }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
