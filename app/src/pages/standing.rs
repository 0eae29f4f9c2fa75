//! Where an event stands, said first on every page that shows it: a
//! cancelled event, a postponed one whose date no longer holds, one moved
//! to a new date, one that has taken place.

use super::use_lang;
use crate::phase::EventPhase;
use crate::tr;
use leptos::prelude::*;

/// The line that leads an event's page or a member's answer; nothing for
/// an event that takes place as announced.
#[component]
pub fn EventStanding(phase: EventPhase, moved_from: Option<String>) -> impl IntoView {
    let lang = use_lang();
    phase.headline(lang).map(|headline| {
        let moved_from = moved_from.filter(|_| phase == EventPhase::Rescheduled);
        view! {
            <div class=format!("standing phase-{}", phase.as_str()) role="status">
                <p><strong>{headline}</strong></p>
                {moved_from.map(|when| view! {
                    <p>{tr!(lang, moved_from_label)}" "<s>{when}</s></p>
                })}
            </div>
        }
    })
}

/// An event's time, struck through when it no longer holds.
#[component]
pub fn EventTime(phase: EventPhase, label: String, iso: String) -> impl IntoView {
    let time = view! { <time datetime=iso>{label}</time> };
    if phase == EventPhase::Postponed {
        view! { <s>{time}</s> }.into_any()
    } else {
        time.into_any()
    }
}

/// A short word on a card for an event that does not go ahead as planned.
#[component]
pub fn PhaseBadge(phase: EventPhase) -> impl IntoView {
    let lang = use_lang();
    let word = match phase {
        EventPhase::Upcoming | EventPhase::Past => None,
        EventPhase::Rescheduled => Some(tr!(lang, badge_rescheduled)),
        EventPhase::Postponed => Some(tr!(lang, status_postponed)),
        EventPhase::Cancelled => Some(tr!(lang, status_cancelled)),
    };
    word.map(|word| view! { <span class=format!("status phase-{}", phase.as_str())>{word}</span> })
}
