//! Sharing an event where members talk: the card a chat app shows for its
//! link (Open Graph and Twitter tags) in the reader's language, generic for
//! a sensitive event, and none on private or organiser pages.

mod common;

use axum::http::header;
use common::app;

/// The `content` of `<meta property|name="key">` in a page, if present.
fn meta(page: &str, key: &str) -> Option<String> {
    page.split("<meta ").skip(1).find_map(|tag| {
        let tag = tag.split('>').next()?;
        let named = tag.contains(&format!("property=\"{key}\""))
            || tag.contains(&format!("name=\"{key}\""));
        named.then(|| {
            tag.split("content=\"")
                .nth(1)?
                .split('"')
                .next()
                .map(str::to_string)
        })?
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_event_shows_a_card_and_a_sensitive_one_its_public_title_alone() {
    let app = app().await;
    let page = app.get("/events/iftar-parliament-hill?lang=fr").await.body;
    let title = meta(&page, "og:title").expect("a card");
    assert!(!title.is_empty());
    assert_eq!(
        meta(&page, "og:url").as_deref(),
        Some("http://127.0.0.1:3000/events/iftar-parliament-hill")
    );
    let canonical = page
        .split("<link")
        .find(|l| l.contains("rel=\"canonical\""))
        .expect("a canonical link");
    assert!(
        canonical.contains("href=\"http://127.0.0.1:3000/events/iftar-parliament-hill\""),
        "{canonical}"
    );
    let description = meta(&page, "og:description").unwrap();
    assert!(description.contains("Ottawa"), "{description}");
    // The local date and time, as a French reader writes them.
    let days = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    assert!(
        days.iter().any(|day| description.starts_with(day)),
        "{description}"
    );
    assert_eq!(meta(&page, "og:locale").as_deref(), Some("fr"));
    assert_eq!(meta(&page, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(meta(&page, "og:site_name").as_deref(), Some("Yighin"));
    // Shared without JavaScript: plain links carrying the address, and the
    // QR code of it.
    let encoded = "http%3A%2F%2F127.0.0.1%3A3000%2Fevents%2Fiftar-parliament-hill";
    assert!(
        page.contains(&format!("href=\"https://t.me/share/url?url={encoded}")),
        "Telegram"
    );
    assert!(page.contains("href=\"https://wa.me/?text="), "WhatsApp");
    assert!(page.contains("href=\"mailto:?subject="), "email");
    assert!(page.contains("href=\"/events/iftar-parliament-hill/qr.svg\""));

    // The members' meeting is sensitive: its card names nothing.
    let sensitive = app.get("/events/members-meeting").await.body;
    let title = meta(&sensitive, "og:title").unwrap();
    for secret in ["Centre", "Parc", "Montréal", "board"] {
        assert!(!title.contains(secret), "{title}");
    }
    assert_eq!(meta(&sensitive, "og:description"), None);
    assert_eq!(meta(&sensitive, "twitter:description"), None);
    assert_eq!(meta(&sensitive, "og:image"), None);

    // A member's private page and the organiser screens carry no card.
    let reply = app
        .post_form(
            "/events/iftar-parliament-hill/rsvp",
            "answer=maybe&name=Card",
        )
        .await;
    let private = reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let mine = app.get(&private).await.body;
    assert_eq!(meta(&mine, "og:title"), None);
    assert_eq!(meta(&mine, "og:url"), None);
    let login = app.get("/organise/login").await.body;
    assert_eq!(meta(&login, "og:title"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_atom_feed_lists_upcoming_events_and_reads_in_an_xml_parser() {
    let app = app().await;
    let reply = app.get("/events.atom?lang=ug-Arab").await;
    assert_eq!(reply.status, axum::http::StatusCode::OK);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    // Read by Python's XML parser, as an independent reader.
    let script = "import sys, xml.etree.ElementTree as ET\n\
        ns = {'a': 'http://www.w3.org/2005/Atom'}\n\
        root = ET.fromstring(sys.stdin.buffer.read())\n\
        for e in root.findall('a:entry', ns):\n\
        \x20   print(e.find('a:title', ns).text + '|' + e.find('a:link', ns).get('href') + '|' + (e.find('a:summary', ns).text or ''))\n";
    let mut python = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    python
        .stdin
        .take()
        .unwrap()
        .write_all(reply.body.as_bytes())
        .unwrap();
    let output = python.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", common::said(&output));
    let entries = String::from_utf8(output.stdout).unwrap();
    assert!(entries.lines().count() >= 5, "{entries}");
    assert!(entries.contains("http://127.0.0.1:3000/events/iftar-parliament-hill|"));
    // The sensitive meeting: its public face only.
    let meeting = entries
        .lines()
        .find(|line| line.contains("/events/members-meeting|"))
        .expect("listed, as the public list shows it");
    for secret in ["Centre", "Parc", "Montréal"] {
        assert!(!meeting.contains(secret), "{meeting}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_events_qr_code_decodes_to_its_address() {
    let app = app().await;
    let reply = app.get("/events/iftar-parliament-hill/qr.svg").await;
    assert_eq!(reply.status, axum::http::StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "image/svg+xml");
    // Drawn to pixels by librsvg and read by zbar: independent of the
    // code that made it.
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = (dir.path().join("qr.svg"), dir.path().join("qr.png"));
    std::fs::write(&svg, &reply.body).unwrap();
    let drawn = std::process::Command::new("rsvg-convert")
        .arg("-o")
        .arg(&png)
        .arg(&svg)
        .output()
        .expect("rsvg-convert (scripts/setup.sh installs librsvg2-bin)");
    assert!(drawn.status.success(), "{}", common::said(&drawn));
    let read = std::process::Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(&png)
        .output()
        .expect("zbarimg (scripts/setup.sh installs zbar-tools)");
    assert!(read.status.success(), "{}", common::said(&read));
    assert_eq!(
        String::from_utf8(read.stdout).unwrap().trim(),
        "http://127.0.0.1:3000/events/iftar-parliament-hill"
    );
    assert_eq!(
        app.get("/events/no-such-event/qr.svg").await.status,
        axum::http::StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flyer_says_when_where_and_carries_the_qr_code_unless_sensitive() {
    let app = app().await;
    let flyer = app.get("/events/iftar-parliament-hill/flyer?lang=fr").await;
    assert_eq!(flyer.status, axum::http::StatusCode::OK);
    assert!(flyer.body.contains("class=\"flyer\""));
    assert!(flyer.body.contains("Ottawa"), "the place");
    assert!(flyer
        .body
        .contains("src=\"/events/iftar-parliament-hill/qr.svg\""));
    assert!(flyer.body.contains("Scannez pour voir"));
    // A sensitive event's flyer is its public page's: no place.
    let sensitive = app.get("/events/members-meeting/flyer").await.body;
    for secret in ["Centre communautaire", "Parc", "Montréal"] {
        assert!(!sensitive.contains(secret), "{secret}");
    }
    assert_eq!(
        app.get("/events/no-such-event/flyer").await.status,
        axum::http::StatusCode::NOT_FOUND
    );
}
