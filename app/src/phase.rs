//! Where an event stands for someone deciding whether to go. Every page
//! that shows an event or an answer leads with it, so that no one goes to
//! an event that no longer takes place, or on a date that no longer holds.

use crate::i18n::Lang;
use crate::tr;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventPhase {
    /// Takes place as first announced.
    Upcoming,
    /// Takes place, but not when first announced: its start was moved.
    Rescheduled,
    /// Will take place later: the date shown no longer holds.
    Postponed,
    /// Will not take place.
    Cancelled,
    /// Has taken place.
    Past,
}

impl EventPhase {
    /// Whether the date shown is one to go on (and to put in a calendar).
    pub fn date_holds(self) -> bool {
        matches!(self, EventPhase::Upcoming | EventPhase::Rescheduled)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventPhase::Upcoming => "upcoming",
            EventPhase::Rescheduled => "rescheduled",
            EventPhase::Postponed => "postponed",
            EventPhase::Cancelled => "cancelled",
            EventPhase::Past => "past",
        }
    }

    /// One line that leads the page: `None` when there is nothing to say.
    pub fn headline(self, lang: Lang) -> Option<&'static str> {
        match self {
            EventPhase::Upcoming => None,
            EventPhase::Rescheduled => Some(tr!(lang, phase_rescheduled)),
            EventPhase::Postponed => Some(tr!(lang, phase_postponed)),
            EventPhase::Cancelled => Some(tr!(lang, phase_cancelled)),
            EventPhase::Past => Some(tr!(lang, phase_past)),
        }
    }
}
