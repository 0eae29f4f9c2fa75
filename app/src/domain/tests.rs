use super::*;

fn draft() -> EventDraft {
    EventDraft {
        venue_name: "Community hall".into(),
        venue_address: "1 Main St".into(),
        city: "Toronto".into(),
        capacity: Some(200),
        ..EventDraft::titled(
            "navruz-2027",
            EventKind::Celebration,
            (Lang::En, "Navruz"),
            "2027-03-21T18:00",
            "2027-03-21T22:00",
            "America/Toronto",
        )
    }
}

fn problems(d: EventDraft) -> Vec<(String, Problem)> {
    d.validate()
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect()
}

#[test]
fn a_good_draft_validates_with_its_instants() {
    let v = draft().validate().unwrap();
    // 18:00 in Toronto in March (EDT, UTC-4) is 22:00 UTC.
    assert_eq!(v.starts_at, 1_805_666_400);
    assert_eq!(v.ends_at - v.starts_at, 4 * 3600);
}

#[test]
fn end_before_start_is_refused() {
    let mut d = draft();
    d.end_local = "2027-03-21T17:59".into();
    assert_eq!(problems(d), vec![("end".into(), Problem::EndBeforeStart)]);
}

#[test]
fn unknown_zone_is_refused() {
    let mut d = draft();
    d.time_zone = "Mars/Olympus_Mons".into();
    assert_eq!(
        problems(d),
        vec![("time_zone".into(), Problem::UnknownTimeZone)]
    );
}

#[test]
fn a_local_time_in_the_spring_forward_gap_is_refused() {
    let mut d = draft();
    // Clocks in Toronto jump from 02:00 to 03:00 on 14 March 2027.
    d.start_local = "2027-03-14T02:30".into();
    d.end_local = "2027-03-14T05:00".into();
    assert_eq!(
        problems(d),
        vec![("start".into(), Problem::NonexistentLocalTime)]
    );
}

#[test]
fn malformed_times_are_refused() {
    let mut d = draft();
    d.start_local = "tomorrow".into();
    d.end_local = "2027-02-30T10:00".into();
    assert_eq!(
        problems(d),
        vec![
            ("start".into(), Problem::InvalidDateTime),
            ("end".into(), Problem::InvalidDateTime)
        ]
    );
}

#[test]
fn text_limits_and_bidi_controls_are_enforced() {
    let mut d = draft();
    d.texts[0].1.title = "x".repeat(limits::TITLE + 1);
    d.texts[0].1.summary = "evil\u{202E}txt.exe".into();
    d.city = String::new();
    let p = problems(d);
    assert!(p.contains(&("title.en".into(), Problem::TooLong { max: limits::TITLE })));
    assert!(p.contains(&("summary.en".into(), Problem::ControlCharacters)));
}

#[test]
fn uyghur_arabic_text_is_accepted() {
    let mut d = draft();
    d.original_lang = Lang::UgArab;
    d.texts = vec![(
        Lang::UgArab,
        EventText {
            title: "نورۇز بايرىمى".into(),
            ..Default::default()
        },
    )];
    assert!(d.validate().is_ok());
}

#[test]
fn slugs_are_url_safe() {
    for bad in ["", "Has Caps", "-lead", "trail-", "a/b", "émoji"] {
        let mut d = draft();
        d.slug = bad.into();
        assert!(d.validate().is_err(), "{bad:?} accepted");
    }
}

#[test]
fn missing_original_text_and_bad_capacity_are_refused() {
    let mut d = draft();
    d.original_lang = Lang::Fr;
    d.capacity = Some(0);
    let p = problems(d);
    assert!(p.contains(&("title".into(), Problem::MissingOriginalText)));
    assert!(p.contains(&(
        "capacity".into(),
        Problem::NotBetween {
            min: 1,
            max: limits::CAPACITY
        }
    )));
}

#[test]
fn page_numbers_from_urls() {
    assert_eq!(EventFilter::parse_page(Some("3")), 3);
    for bad in [
        None,
        Some(""),
        Some("0"),
        Some("-1"),
        Some("x"),
        Some("99999999999"),
        Some("10001"),
    ] {
        assert_eq!(EventFilter::parse_page(bad), 1, "{bad:?}");
    }
}

#[test]
fn kinds_and_statuses_round_trip() {
    for k in EventKind::ALL {
        assert_eq!(EventKind::parse(k.as_str()), Some(*k));
    }
    for s in EventStatus::ALL {
        assert_eq!(EventStatus::parse(s.as_str()), Some(*s));
    }
    assert_eq!(EventKind::parse("rave"), None);
}

#[test]
fn all_day_events_run_midnight_to_midnight() {
    let mut d = draft();
    d.all_day = true;
    d.start_local = "2027-03-21T00:00".into();
    d.end_local = "2027-03-22T00:00".into();
    let valid = d.clone().validate().unwrap();
    assert_eq!(valid.ends_at - valid.starts_at, 86_400);
    d.start_local = "2027-03-21T10:00".into();
    assert_eq!(
        problems(d),
        vec![("start".into(), Problem::InvalidDateTime)]
    );
    // Santiago skipped midnight on 12 August 2018: the day starts at 01:00.
    let mut chile = draft();
    chile.all_day = true;
    chile.time_zone = "America/Santiago".into();
    chile.start_local = "2018-08-12T00:00".into();
    chile.end_local = "2018-08-13T00:00".into();
    assert!(chile.validate().is_ok());
}

#[test]
fn an_address_is_made_from_a_title() {
    assert_eq!(
        slug_from("Iftar at Parliament Hill"),
        "iftar-at-parliament-hill"
    );
    assert_eq!(
        slug_from("Vigil: Ürümchi fire, 2022!"),
        "vigil-urumchi-fire-2022"
    );
    assert_eq!(slug_from("Pique-nique d'été"), "pique-nique-d-ete");
    assert_eq!(slug_from("ئۈرۈمچى يانغىنى"), "event");
    assert_eq!(slug_from("  --  "), "event");
    let long = slug_from(&"word ".repeat(40));
    assert!(
        long.len() <= limits::SLUG - 3 && !long.ends_with('-'),
        "{long}"
    );
    let draft = EventDraft {
        slug: slug_from("Navruz 2027"),
        ..draft()
    };
    assert!(draft.validate().is_ok());
}
