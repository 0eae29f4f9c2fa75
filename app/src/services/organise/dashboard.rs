//! The organiser's dashboard: the events an account manages, with their counts.

use super::*;

/// The events an account manages (all of them for an admin): upcoming
/// soonest first, then past ones, latest first.
pub async fn dashboard(
    site: &Site,
    account: &AccountInfo,
    lang: Lang,
    now: i64,
) -> Result<Dashboard, OrganiseError> {
    let query = ListQuery {
        organised_by: (!account.is_admin()).then_some(account.id),
        limit: 500,
        ..Default::default()
    };
    let counts = rsvps::dashboard_counts(&site.db, query.organised_by).await?;
    let mut events = Vec::new();
    for period in [Period::Upcoming, Period::Past] {
        for event in events::list(&site.db, period, lang, now, &query).await? {
            let (going, waitlisted, pending) = counts.get(&event.id).copied().unwrap_or_default();
            let deletion = event.ends_at + site.settings().retention_days * 86_400;
            let data_deleted_on = (deletion > now).then(|| {
                let zone = crate::time::parse_zone(&event.time_zone).unwrap_or(chrono_tz::UTC);
                let day = chrono::DateTime::from_timestamp(deletion, 0)
                    .unwrap_or_default()
                    .with_timezone(&zone)
                    .date_naive();
                crate::time::format_date(lang, day)
            });
            events.push(ManagedEvent {
                data_deleted_on,
                when_label: when_label(lang, &event),
                is_past: period == Period::Past,
                pending,
                going,
                waitlisted,
                capacity: event.capacity,
                kind: event.kind,
                status: event.status,
                title: event.text.title,
                slug: event.slug,
            });
        }
    }
    Ok(Dashboard {
        account: account.clone(),
        events,
    })
}
