//! Demo events, modelled on a diaspora society's year, dated relative to
//! the day they are loaded so that some are always upcoming and some past.

use crate::db::rsvps::{self, NewRsvp};
use crate::db::{events, DbResult};
use crate::domain::{EventDraft, EventKind, EventStatus, EventText};
use crate::i18n::Lang;
use crate::rsvp::{Answer, RsvpInput};
use crate::sealing::{AnswerKey, Personal};
use crate::secrets;
use crate::services::keys;
use crate::services::Site;
use chrono::{Days, NaiveDate};

fn text(title: &str, summary: &str, description: &str) -> EventText {
    EventText {
        title: title.into(),
        summary: summary.into(),
        description: description.into(),
        ..Default::default()
    }
}

struct Demo {
    slug: &'static str,
    kind: EventKind,
    /// Days from today; negative for past events.
    day: i64,
    /// Days the event lasts beyond its first (0 for a one-day event).
    extra_days: u64,
    all_day: bool,
    sensitive: bool,
    public_title: &'static str,
    start: &'static str,
    end: &'static str,
    zone: &'static str,
    venue: (&'static str, &'static str, &'static str),
    online_url: &'static str,
    capacity: Option<i64>,
    status: EventStatus,
    texts: Vec<(Lang, EventText)>,
}

impl Demo {
    fn draft(self, today: NaiveDate) -> EventDraft {
        let date = if self.day >= 0 {
            today + Days::new(self.day as u64)
        } else {
            today - Days::new(self.day.unsigned_abs())
        };
        let end_date = date + Days::new(self.extra_days);
        EventDraft {
            slug: self.slug.into(),
            kind: self.kind,
            status: self.status,
            start_local: format!("{date}T{}", self.start),
            end_local: format!("{end_date}T{}", self.end),
            time_zone: self.zone.into(),
            all_day: self.all_day,
            sensitive: self.sensitive,
            public_title: self.public_title.into(),
            venue_name: self.venue.0.into(),
            venue_address: self.venue.1.into(),
            city: self.venue.2.into(),
            online_url: self.online_url.into(),
            capacity: self.capacity,
            original_lang: self.texts[0].0,
            texts: self.texts,
        }
    }
}

const TORONTO: &str = "America/Toronto";

fn demos() -> Vec<Demo> {
    let base = |slug, kind, day, start, end, venue| Demo {
        slug,
        kind,
        day,
        extra_days: 0,
        all_day: false,
        sensitive: false,
        public_title: "",
        start,
        end,
        zone: TORONTO,
        venue,
        online_url: "",
        capacity: None,
        status: EventStatus::Scheduled,
        texts: Vec::new(),
    };
    vec![
        Demo {
            texts: vec![
                (Lang::En, EventText {
                    safety: "Wear a mask if you do not want to be photographed. Marshals in yellow vests can help you leave at any time.".into(),
                    what_to_bring: "Water, a sign in English or French, warm clothes.".into(),
                    ..text("Rally for the disappeared", "Stand with families whose relatives have vanished into the camps.", "We gather in front of the consulate to read the names of people who have disappeared.\n\nFamilies who wish to speak can contact the organisers beforehand.")
                }),
                (Lang::Fr, text("Rassemblement pour les disparus", "Soyons aux côtés des familles dont les proches ont disparu dans les camps.", "Nous nous rassemblons devant le consulat pour lire les noms des personnes disparues.")),
                (Lang::UgArab, text("يوقىتىلغانلار ئۈچۈن نامايىش", "لاگېرلاردا يوقاپ كەتكەن تۇغقانلىرىمىزنىڭ ئائىلىلىرى بىلەن بىللە تۇرايلى.", "كونسۇلخانا ئالدىغا يىغىلىپ، يوقىتىلغان كىشىلەرنىڭ ئىسىملىرىنى ئوقۇيمىز.")),
            ],
            ..base("rally-for-the-disappeared", EventKind::Demonstration, 5, "12:00", "14:00", ("In front of the consulate", "St. George Street", "Toronto"))
        },
        Demo {
            capacity: Some(180),
            texts: vec![
                (Lang::En, EventText {
                    accessibility: "Wheelchair accessible; English and French subtitles.".into(),
                    ..text("Screening: “The Silent Steppe” + Q&A", "A documentary about a family torn apart, followed by a conversation with the director.", "Part of the human-rights film festival. The screening is followed by a 30-minute Q&A.")
                }),
                (Lang::Fr, text("Projection : « La steppe silencieuse » + discussion", "Un documentaire sur une famille déchirée, suivi d'une discussion avec la réalisatrice.", "Dans le cadre du festival du film sur les droits de la personne.")),
            ],
            ..base("screening-the-silent-steppe", EventKind::Screening, 9, "19:00", "21:30", ("Bloor Street cinema", "506 Bloor St W", "Toronto"))
        },
        Demo {
            capacity: Some(120),
            texts: vec![
                (Lang::En, text("Iftar reception on Parliament Hill", "Break the fast with members of Parliament and the community.", "Halal dinner served after sunset. Registration required: seats are limited.")),
                (Lang::Fr, text("Réception d'iftar sur la colline du Parlement", "Rompons le jeûne avec des parlementaires et la communauté.", "Repas halal servi après le coucher du soleil.")),
                (Lang::UgLatn, text("Parlamént téghida iptar ziyapiti", "Parlamént ezaliri we jamaet bilen bille iptar qilayli.", "Kün olturghandin kéyin halal tamaq bérilidu.")),
            ],
            ..base("iftar-parliament-hill", EventKind::Iftar, 12, "17:30", "20:30", ("Sir John A. Macdonald Building", "144 Wellington St", "Ottawa"))
        },
        Demo {
            online_url: "https://meet.example.org/securite-numerique",
            capacity: Some(40),
            texts: vec![
                (Lang::Fr, EventText {
                    what_to_bring: "Votre téléphone et votre ordinateur portable.".into(),
                    ..text("Séminaire : sécurité numérique pour les familles", "Protéger ses comptes, ses messages et ses proches face à la surveillance.", "Atelier pratique : messageries chiffrées, mots de passe, vérification en deux étapes, et ce qu'il faut faire si un proche est contacté.")
                }),
                (Lang::En, text("Seminar: digital security for families", "Protect your accounts, your messages and your relatives from surveillance.", "Hands-on workshop: encrypted messaging, passwords, two-step verification, and what to do if a relative is contacted.")),
            ],
            ..base("seminar-digital-security", EventKind::Seminar, 3, "18:30", "20:30", ("Salle communautaire", "3680 rue Jeanne-Mance", "Montréal"))
        },
        Demo {
            capacity: Some(300),
            texts: vec![
                (Lang::UgArab, text("نورۇز بايرىمى", "باھار بايرىمىنى ناخشا-ئۇسسۇل ۋە ئائىلە بىلەن بىللە كۈتۈۋالايلى.", "مەشرەپ، ناخشا-ئۇسسۇل ۋە بالىلار ئۈچۈن ئويۇنلار بار. ھەممەيلەن قارشى ئېلىنىدۇ.")),
                (Lang::UgLatn, text("Noruz bayrimi", "Bahar bayrimini naxsha-ussul we aile bilen bille kütüwalayli.", "Meshrep, naxsha-ussul we balilar üchün oyunlar bar.")),
                (Lang::En, text("Navruz celebration", "Welcome spring with music, dance and family.", "Meshrep, music and dance, and games for children. Everyone is welcome.")),
            ],
            ..base("navruz-celebration", EventKind::Celebration, 20, "18:00", "23:00", ("Community hall", "2 Carlton St", "Toronto"))
        },
        Demo {
            capacity: Some(60),
            // Who attends an election of the board is itself sensitive.
            sensitive: true,
            public_title: "Réunion des membres",
            texts: vec![
                (Lang::Fr, text("Assemblée générale et élection du conseil", "Les membres élisent le nouveau conseil d'administration.", "Ordre du jour : rapport annuel, budget, élection. Seuls les membres en règle peuvent voter.")),
                (Lang::En, text("General meeting and board election", "Members elect the new board of directors.", "Agenda: annual report, budget, election. Only members in good standing may vote.")),
            ],
            // Its address is public too: it says nothing.
            ..base("members-meeting", EventKind::Meeting, 15, "14:00", "17:00", ("Centre communautaire", "5000 avenue du Parc", "Montréal"))
        },
        Demo {
            zone: "America/New_York",
            capacity: Some(500),
            texts: vec![
                (Lang::En, text("Conference on transnational repression", "Researchers, lawmakers and survivors on how states reach across borders.", "A day of panels in Washington. Travel support is available for members.")),
                (Lang::Fr, text("Conférence sur la répression transnationale", "Chercheurs, élus et survivants sur la façon dont les États agissent au-delà des frontières.", "Une journée de tables rondes à Washington.")),
            ],
            ..base("conference-transnational-repression", EventKind::Conference, 30, "09:00", "17:00", ("Press club", "529 14th St NW", "Washington"))
        },
        Demo {
            zone: "Europe/Istanbul",
            extra_days: 1,
            texts: vec![
                (Lang::UgLatn, text("Xelqara Uyghur qurultiyi", "Diyasporadiki teshkilatlarning ikki künlük yighini.", "Doklatlar, munazire we teshkilatlar arisidiki hemkarliq.")),
                (Lang::UgArab, text("خەلقئارا ئۇيغۇر قۇرۇلتىيى", "دىياسپورادىكى تەشكىلاتلارنىڭ ئىككى كۈنلۈك يىغىنى.", "دوكلاتلار، مۇنازىرە ۋە تەشكىلاتلار ئارىسىدىكى ھەمكارلىق.")),
                (Lang::En, text("International Uyghur congress", "A two-day gathering of diaspora organisations.", "Reports, debate and cooperation between organisations.")),
            ],
            ..base("congress-ankara", EventKind::Conference, 45, "10:00", "18:00", ("Congress centre", "Söğütözü", "Ankara"))
        },
        Demo {
            capacity: Some(250),
            texts: vec![
                (Lang::En, text("Eid celebration", "Food, music and games after Eid prayers.", "Bring the whole family.")),
                (Lang::UgArab, text("ھېيت بايرىمى", "ھېيت نامىزىدىن كېيىن تاماق، ناخشا ۋە ئويۇنلار.", "پۈتۈن ئائىلىڭىز بىلەن كېلىڭ.")),
            ],
            ..base("eid-celebration", EventKind::Celebration, 60, "13:00", "18:00", ("Community centre", "100 Constellation Dr", "Ottawa"))
        },
        Demo {
            // Far enough ahead that the schedule crosses a daylight-saving
            // change whenever the demo is loaded.
            capacity: Some(200),
            texts: vec![
                (Lang::En, text("Annual general assembly", "Reports of the year, the budget, and the members' questions.", "Members only: bring your membership card.")),
                (Lang::Fr, text("Assemblée générale annuelle", "Rapports de l'année, budget et questions des membres.", "Réservé aux membres : apportez votre carte.")),
                (Lang::UgLatn, text("Yilliq omumiy yighin", "Yilliq doklatlar, büdjét we ezalarning soalliri.", "Peqet ezalar üchün: eza kartingizni élip kéling.")),
            ],
            ..base("annual-general-assembly", EventKind::Meeting, 200, "13:00", "17:00", ("Community hall", "2 Carlton St", "Toronto"))
        },
        Demo {
            extra_days: 2,
            all_day: true,
            texts: vec![
                (Lang::En, text("Book and craft fair", "Uyghur books, embroidery and dolls from local makers.", "Open both days; entry is free.")),
                (Lang::UgArab, text("كىتاب ۋە قول ھۈنەر يەرمەنكىسى", "ئۇيغۇرچە كىتابلار، كەشتە ۋە قونچاقلار.", "ئىككى كۈن ئوچۇق؛ كىرىش ھەقسىز.")),
            ],
            ..base("book-and-craft-fair", EventKind::Celebration, 25, "00:00", "00:00", ("Community hall", "2 Carlton St", "Toronto"))
        },
        Demo {
            status: EventStatus::Postponed,
            texts: vec![(Lang::En, text("Letter-writing evening", "Write to parliamentarians about detained relatives. New date to be announced.", "Templates and stamps provided."))],
            ..base("letter-writing-evening", EventKind::Meeting, 7, "18:00", "20:00", ("Public library, meeting room B", "789 Yonge St", "Toronto"))
        },
        Demo {
            status: EventStatus::Cancelled,
            texts: vec![(Lang::Fr, text("Pique-nique d'été", "Annulé en raison de la météo.", "Nous vous tiendrons au courant."))],
            ..base("pique-nique", EventKind::Other, 10, "12:00", "16:00", ("Parc du Mont-Royal", "", "Montréal"))
        },
        Demo {
            texts: vec![
                (Lang::En, text("Vigil on the anniversary of the Ürümchi fire", "Candles and a moment of silence for the victims.", "We remember those who died and those who protested.")),
                (Lang::UgArab, text("ئۈرۈمچى يانغىنى خاتىرە پائالىيىتى", "قۇربانلار ئۈچۈن شام يېقىپ سۈكۈت قىلىمىز.", "ۋاپات بولغانلارنى ۋە نارازىلىق بىلدۈرگەنلەرنى ئەسلەيمىز.")),
            ],
            ..base("vigil-urumqi-fire", EventKind::Demonstration, -4, "18:00", "19:30", ("Nathan Phillips Square", "100 Queen St W", "Toronto"))
        },
        Demo {
            capacity: Some(30),
            texts: vec![(Lang::En, text("Seminar: safe travel and phones at the border", "What border agents can search, and how to prepare.", "A lawyer explains your rights when crossing borders."))],
            ..base("seminar-border-phones", EventKind::Seminar, -18, "19:00", "21:00", ("Library auditorium", "1 Chamberlain Ave", "Ottawa"))
        },
        Demo {
            texts: vec![
                (Lang::En, text("Screening: “Stolen Children”", "A documentary on children separated from their parents.", "Followed by a discussion.")),
                (Lang::Fr, text("Projection : « Enfants volés »", "Un documentaire sur des enfants séparés de leurs parents.", "Suivi d'une discussion.")),
            ],
            ..base("screening-stolen-children", EventKind::Screening, -40, "19:00", "21:00", ("Cinéma du Parc", "3575 avenue du Parc", "Montréal"))
        },
    ]
}

pub fn drafts(today: NaiveDate) -> Vec<EventDraft> {
    demos().into_iter().map(|d| d.draft(today)).collect()
}

/// Loads the demo events when no event is stored yet, dated from today in
/// `zone` (the instance's); returns how many.
pub async fn load_if_empty(site: &Site, now: i64, zone: chrono_tz::Tz) -> DbResult<usize> {
    let db = &site.db;
    if events::count(db).await? > 0 {
        return Ok(0);
    }
    let today = chrono::DateTime::from_timestamp(now, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive();
    let mut loaded = 0;
    for draft in drafts(today) {
        let slug = draft.slug.clone();
        match draft.validate() {
            Ok(valid) => {
                let id = events::insert(db, &valid, None, now).await?;
                loaded += 1;
                if let Some(&(_, going, waitlisted)) =
                    DEMO_ATTENDANCE.iter().find(|(s, _, _)| *s == slug)
                {
                    fill(site, id, going + waitlisted, now).await?;
                }
            }
            Err(errors) => tracing::warn!(%slug, ?errors, "demo event skipped"),
        }
    }
    Ok(loaded)
}

/// Events that start with answers, so that a full event, its waitlist and a
/// nearly full one can be seen: (slug, seats taken, waitlisted).
pub const DEMO_ATTENDANCE: &[(&str, i64, i64)] = &[
    ("screening-the-silent-steppe", 180, 6),
    ("iftar-parliament-hill", 117, 0),
    ("seminar-digital-security", 36, 0),
];

/// Adds `answers` anonymous "going" answers; past the capacity they wait.
async fn fill(site: &Site, event_id: i64, answers: i64, now: i64) -> DbResult<()> {
    for n in 1..=answers {
        let input = RsvpInput {
            answer: Answer::Going,
            guests: 0,
            name: format!("Demo member {n}"),
            contact: String::new(),
            note: String::new(),
            email: String::new(),
        };
        // Sealed like any answer (to the organisation's key, which exists
        // before the demo loads).
        let (token, device) = (secrets::new_token(), secrets::new_token());
        let personal = Personal {
            name: input.name.clone(),
            contact: String::new(),
            note: String::new(),
        };
        let sealed = keys::seal_answer(
            site,
            AnswerKey::generate(),
            &personal,
            &token,
            Some(&device),
            now,
        )
        .await?;
        let new = NewRsvp {
            token_hash: secrets::token_hash(&token),
            member_hash: secrets::token_hash(&device),
            input,
            sealed,
            lang: site.settings().default_lang,
            mail: None,
            now,
        };
        rsvps::create(&site.db, rsvps::EventKey::Id(event_id), new).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_event_is_valid_on_any_day_of_the_year() {
        let mut day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        for _ in 0..366 {
            for draft in drafts(day) {
                let slug = draft.slug.clone();
                assert!(
                    draft.validate().is_ok(),
                    "{slug} invalid when loaded on {day}"
                );
            }
            day = day + Days::new(1);
        }
    }
}
