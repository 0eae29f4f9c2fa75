//! The events the benchmark measures against.

use crate::Sizes;
use app::db::events;
use app::db::Database;
use app::domain::{EventDraft, EventKind, EventText};
use app::i18n::Lang;
use chrono::{Days, NaiveDate};

pub(crate) fn draft(
    slug: String,
    kind: EventKind,
    date: NaiveDate,
    title: String,
    capacity: Option<i64>,
) -> EventDraft {
    EventDraft {
        venue_name: "Community hall".into(),
        venue_address: "2 Carlton St".into(),
        city: "Toronto".into(),
        capacity,
        texts: vec![(
            Lang::En,
            EventText {
                title,
                summary: "A gathering of the community, with tea and conversation.".into(),
                description: "Everyone is welcome.".into(),
                ..Default::default()
            },
        )],
        ..EventDraft::titled(
            &slug,
            kind,
            (Lang::En, ""),
            &format!("{date}T18:00"),
            &format!("{date}T20:00"),
            "America/Toronto",
        )
    }
}

/// Stores the events: most of them meetings, `feed_events` conferences
/// (the feed that is measured), and the event the burst answers.
pub(crate) async fn seed(db: &Database, sizes: &Sizes) -> Result<(), Box<dyn std::error::Error>> {
    let now = app::services::now();
    let today = chrono::Utc::now().date_naive();
    for i in 0..sizes.events {
        let date = today + Days::new(1 + (i % 700) as u64);
        let (kind, title) = if i < sizes.feed_events {
            (EventKind::Conference, format!("Conference {i}"))
        } else {
            (EventKind::Meeting, format!("Meeting {i}"))
        };
        let event = draft(format!("event-{i}"), kind, date, title, None)
            .validate()
            .map_err(|e| format!("{e:?}"))?;
        events::insert(db, &event, None, now).await?;
    }
    let burst = draft(
        "bench-burst".into(),
        EventKind::Iftar,
        today + Days::new(30),
        "The burst".into(),
        Some(sizes.capacity),
    );
    events::insert(
        db,
        &burst.validate().map_err(|e| format!("{e:?}"))?,
        None,
        now,
    )
    .await?;
    Ok(())
}
