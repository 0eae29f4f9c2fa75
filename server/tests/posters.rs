//! Posters: a phone's photo goes in, and what comes out (served, stored)
//! holds its pixels, turned as the phone showed them, and nothing else:
//! checked by searching bytes and by an independent reader (Python's
//! Pillow). Refusals say why, next to the field, and store nothing. A
//! sensitive event's poster reaches only those who may see its place.

mod common;

use app::accounts::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{apps, Answer, TestApp};
use std::path::Path;
use std::process::Command;

const ORIGIN: &str = "http://127.0.0.1:3000";
const PUBLIC: &str = "iftar-parliament-hill";
const SENSITIVE: &str = "members-meeting";

fn photo_tool(args: &[&str]) -> String {
    let output = Command::new("/usr/bin/python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/photo.py"))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", common::said(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// The test photo (see photo.py): every kind of hidden detail, marked.
fn phone_photo(dir: &Path) -> Vec<u8> {
    let path = dir.join("photo.jpg");
    photo_tool(&["make", path.to_str().unwrap()]);
    std::fs::read(path).unwrap()
}

/// A plain green PNG of the given size, made by Pillow.
fn plain_png(dir: &Path, width: u32, height: u32) -> Vec<u8> {
    let path = dir.join(format!("plain-{width}x{height}.png"));
    let made = Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import sys; from PIL import Image; \
             Image.new('RGB', (int(sys.argv[2]), int(sys.argv[3])), (9, 99, 9)).save(sys.argv[1])",
            path.to_str().unwrap(),
            &width.to_string(),
            &height.to_string(),
        ])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", common::said(&made));
    std::fs::read(path).unwrap()
}

fn markers() -> Vec<String> {
    serde_json::from_str(&photo_tool(&["markers"])).unwrap()
}

/// What Pillow reads in each file.
fn read_with_pillow(paths: &[std::path::PathBuf]) -> Vec<serde_json::Value> {
    let mut args = vec!["read"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    serde_json::from_str(&photo_tool(&args)).unwrap()
}

/// A multipart form body: text fields, then the file (if any) as `poster`.
fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> (String, Vec<u8>) {
    let boundary = "----yighin-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (filename, bytes) = match file {
        Some(bytes) => ("IMG_0451.jpg", bytes),
        None => ("", &[][..]),
    };
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"poster\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &TestApp,
    cookie: &str,
    slug: &str,
    fields: &[(&str, &str)],
    file: Option<&[u8]>,
) -> Answer {
    let (content_type, body) = multipart(fields, file);
    let request = Request::post(format!("/organise/events/{slug}/poster"))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// The poster files a page links to under `prefix`, in order, once each.
fn poster_links(page: &str, prefix: &str) -> Vec<String> {
    let mut links = Vec::new();
    for piece in page.split(prefix).skip(1) {
        let name: String = piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let link = format!("{prefix}{name}");
        if !links.contains(&link) {
            links.push(link);
        }
    }
    links
}

async fn get_bytes(
    app: &TestApp,
    uri: &str,
    cookie: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send_raw(request.body(Body::empty()).unwrap()).await
}

/// Every poster file's bytes the database holds.
async fn stored_files(app: &TestApp) -> Vec<Vec<u8>> {
    use sqlx::Row;
    sqlx::query("SELECT bytes FROM poster_files")
        .fetch_all(&app.site.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<Vec<u8>, _>("bytes").unwrap())
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn admin(app: &TestApp) -> String {
    app.account("root", Role::Admin).await;
    app.sign_in("root").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_photo_loses_every_hidden_detail_and_stands_as_the_phone_showed_it() {
    for app in apps().await {
        a_phone_photo_loses_every_hidden_detail_on(app).await;
    }
}

async fn a_phone_photo_loses_every_hidden_detail_on(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let photo = phone_photo(dir.path());
    let root = admin(&app).await;
    let saved = upload(
        &app,
        &root,
        PUBLIC,
        &[("alt.en", "Families breaking the fast on the Hill")],
        Some(&photo),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.headers[header::LOCATION],
        format!("/organise/events/{PUBLIC}/edit?poster=1#poster")
    );

    // The event page: both formats in two widths (the turned photo is 800
    // wide: 240 and 480 only), its size set, its description as alt.
    let page = app.get(&format!("/events/{PUBLIC}")).await.body;
    let links = poster_links(&page, "/posters/");
    assert_eq!(links.len(), 4, "{links:?}");
    assert!(page.contains("alt=\"Families breaking the fast on the Hill\""));
    assert!(page.contains("width=\"480\" height=\"720\""), "{page}");
    assert!(page.contains("type=\"image/webp\""));
    assert!(page.contains("loading=\"lazy\""));

    let event = app::db::events::by_slug(&app.site.db, PUBLIC, app::i18n::Lang::En)
        .await
        .unwrap()
        .unwrap();
    let secret = app.site.device_secret().await.unwrap();
    let mut paths = Vec::new();
    for link in &links {
        let (status, headers, bytes) = get_bytes(&app, link, None).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let name = link.trim_start_matches("/posters/");
        let format = if name.ends_with(".webp") {
            app::domain::PosterFormat::Webp
        } else {
            app::domain::PosterFormat::Jpeg
        };
        // Named by a hash of its bytes, keyed by the instance and event.
        assert_eq!(
            name,
            app::services::posters::file_name(&secret, event.id, format, &bytes)
        );
        assert_eq!(headers[header::CONTENT_TYPE], format.mime());
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        paths.push(path);
    }

    // Read by Pillow: no EXIF, no XMP, ICC, comment, IPTC or any segment
    // but JFIF's; turned (portrait, the red corner top right).
    for (read, path) in read_with_pillow(&paths).iter().zip(&paths) {
        assert_eq!(read["exif"], 0, "{path:?}: {read}");
        assert_eq!(read["info"], serde_json::json!([]), "{path:?}: {read}");
        assert_eq!(read["markers"], serde_json::json!([]), "{path:?}: {read}");
        let applist = read["applist"].as_array().unwrap();
        assert!(applist.iter().all(|m| m == "APP0"), "{path:?}: {read}");
        let size = read["size"].as_array().unwrap();
        assert!(size[0].as_u64() < size[1].as_u64(), "portrait: {read}");
        let [r, _, b] = [0, 1, 2].map(|i| read["top_right"][i].as_u64().unwrap());
        assert!(r > 180 && b < 80, "red top right: {read}");
        let [r, _, b] = [0, 1, 2].map(|i| read["top_left"][i].as_u64().unwrap());
        assert!(r < 80 && b > 150, "blue top left: {read}");
    }

    // Not a byte of any marker in what is stored: the files, and for
    // SQLite the database file and its log as a copy would hold them.
    let markers = markers();
    let stored = stored_files(&app).await;
    assert_eq!(stored.len(), 4);
    let mut haystacks = stored;
    if let Some(file) = app.database_file() {
        for path in [file.clone(), file.with_extension("db-wal")] {
            if let Ok(bytes) = std::fs::read(&path) {
                haystacks.push(bytes);
            }
        }
    }
    for haystack in &haystacks {
        for marker in &markers {
            assert!(!contains(haystack, marker.as_bytes()), "{marker} kept");
        }
        assert!(!contains(haystack, b"Exif\0\0"), "an EXIF block kept");
        assert!(!contains(haystack, b"ICC_PROFILE"), "an ICC profile kept");
    }

    // The link preview carries the JPEG, absolute, with its size and words.
    assert!(page.contains("property=\"og:image\" content=\"http://127.0.0.1:3000/posters/"));
    assert!(page.contains("name=\"twitter:card\" content=\"summary_large_image\""));
    assert!(page
        .contains("property=\"og:image:alt\" content=\"Families breaking the fast on the Hill\""));

    // The list shows the small width only, with no words of its own.
    let list = app.get("/").await.body;
    let thumbs = poster_links(&list, "/posters/");
    assert_eq!(thumbs.len(), 4, "{thumbs:?}");
    assert!(list.contains("sizes=\"5.5rem\""));

    // The data saver: one form, and no poster on any page after it.
    let chosen = app
        .post_with(
            "/images",
            "images=off&back=/events/x",
            &[(header::ORIGIN, ORIGIN)],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert_eq!(chosen.headers[header::LOCATION], "/events/x");
    let saver = chosen.cookie();
    assert_eq!(saver, "images=off");
    for uri in ["/".to_string(), format!("/events/{PUBLIC}")] {
        let page = app.get_with(&uri, header::COOKIE, &saver).await.body;
        assert!(!page.contains("<picture"), "{uri}");
        assert!(page.contains("Show posters again"));
    }
    // The preview card still shows it: a chat app sends no cookie.
    let again = app.get(&format!("/events/{PUBLIC}")).await.body;
    assert!(again.contains("<picture"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_say_why_and_keep_the_poster_there_was() {
    for app in apps().await {
        refused_uploads_say_why_on(app).await;
    }
}

async fn refused_uploads_say_why_on(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let root = admin(&app).await;
    // Descriptions alone, before there is a poster: the image is missing.
    let alone = upload(&app, &root, PUBLIC, &[("alt.en", "Words")], None).await;
    assert_eq!(alone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        alone.body.contains("id=\"field-poster-error\""),
        "{}",
        alone.body
    );

    let photo = phone_photo(dir.path());
    let first = upload(&app, &root, PUBLIC, &[("alt.en", "First")], Some(&photo)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let before = poster_links(
        &app.get(&format!("/events/{PUBLIC}")).await.body,
        "/posters/",
    );

    let bomb_path = dir.path().join("bomb.png");
    photo_tool(&["bomb", bomb_path.to_str().unwrap()]);
    let bomb = std::fs::read(&bomb_path).unwrap();
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);
    let mut huge = photo.clone();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let mut truncated = photo.clone();
    truncated.truncate(photo.len() / 3);
    let long = plain_png(dir.path(), 300, 1500);
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("long", long, "more than 4 times"),
        ("bomb", bomb, "more than 40 megapixels"),
        ("heic", heic, "iPhone HEIC photo"),
        (
            "fake",
            b"<html>not an image</html>".to_vec(),
            "not a JPEG, PNG or WebP image",
        ),
        ("truncated", truncated, "not a JPEG, PNG or WebP image"),
        ("huge", huge, "larger than 10 MB"),
    ];
    for (case, bytes, message) in cases {
        let refused = upload(&app, &root, PUBLIC, &[("alt.en", "Second")], Some(&bytes)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        let error = refused
            .body
            .split("id=\"field-poster-error\"")
            .nth(1)
            .and_then(|rest| rest.split_once('>'))
            .map(|(_, message)| message)
            .unwrap_or_else(|| panic!("{case}: no message next to the field: {}", refused.body));
        assert!(error.contains(message), "{case}: {error}");
        // The descriptions come back as typed; the stored poster stays.
        assert!(refused.body.contains("value=\"Second\""), "{case}");
        let after = poster_links(
            &app.get(&format!("/events/{PUBLIC}")).await.body,
            "/posters/",
        );
        assert_eq!(after, before, "{case}");
        assert_eq!(stored_files(&app).await.len(), 4, "{case}");
    }
    // Over the request limit: refused before it is read.
    let mut enormous = photo.clone();
    enormous.resize(33 * 1024 * 1024, 0);
    let refused = upload(&app, &root, PUBLIC, &[], Some(&enormous)).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Another event's organiser may not change this one's poster.
    app.account("olga", Role::Organiser).await;
    let olga = app.sign_in("olga").await;
    let forbidden = upload(&app, &olga, PUBLIC, &[], Some(&photo)).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sensitive_events_poster_reaches_only_those_who_may_see_its_place() {
    for app in apps().await {
        a_sensitive_events_poster_on(app).await;
    }
}

fn location(answer: &Answer) -> String {
    answer.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

async fn a_sensitive_events_poster_on(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let root = admin(&app).await;
    let saved = upload(
        &app,
        &root,
        SENSITIVE,
        &[("alt.en", "Hall B")],
        Some(&phone_photo(dir.path())),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // Its organisers see it in the editor, under their own address.
    let editor = app
        .get_with(
            &format!("/organise/events/{SENSITIVE}/edit"),
            header::COOKIE,
            &root,
        )
        .await
        .body;
    let prefix = format!("/organise/events/{SENSITIVE}/posters/");
    let organiser_links = poster_links(&editor, &prefix);
    assert_eq!(organiser_links.len(), 4, "{editor}");
    let (status, headers, _) = get_bytes(&app, &organiser_links[0], Some(&root)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .starts_with("private"));
    let (status, _, _) = get_bytes(&app, &organiser_links[0], None).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "signed out: to the sign-in page"
    );
    let name = organiser_links[0].trim_start_matches(&prefix).to_string();

    // The public: no poster, no preview image, no file under its name.
    let page = app.get(&format!("/events/{SENSITIVE}")).await.body;
    assert!(!page.contains("<picture"), "{page}");
    assert!(!page.contains("og:image"));
    assert!(!page.contains(&name[..32]));
    assert!(!app.get("/").await.body.contains(&name[..32]));
    let (status, _, _) = get_bytes(&app, &format!("/posters/{name}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A member waiting for approval: nothing either, even with the name.
    let going = app
        .post_form(
            &format!("/events/{SENSITIVE}/rsvp"),
            "answer=going&name=Ezaa",
        )
        .await;
    let private = location(&going);
    let page = app.get(&private).await.body;
    assert!(!page.contains("<picture"));
    let token = private.trim_start_matches("/rsvp/").to_string();
    let (status, _, _) = get_bytes(&app, &format!("{private}/posters/{name}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Approved: the poster, under the private link only.
    let stored = app::services::rsvp::find(&app.site, &token).await.unwrap();
    let approved = app
        .post_with(
            &format!("/organise/events/{SENSITIVE}/rsvps/{}/approve", stored.id),
            "",
            &[(header::COOKIE, &root), (header::ORIGIN, ORIGIN)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let page = app.get(&private).await.body;
    let private_links = poster_links(&page, &format!("{private}/posters/"));
    assert_eq!(private_links.len(), 4, "{page}");
    assert!(page.contains("alt=\"Hall B\""));
    let (status, headers, _) = get_bytes(&app, &private_links[0], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .starts_with("private"));
    // Another answer's link does not open it.
    let other = app
        .post_form(
            &format!("/events/{SENSITIVE}/rsvp"),
            "answer=going&name=Ezab",
        )
        .await;
    let (status, _, _) =
        get_bytes(&app, &format!("{}/posters/{name}", location(&other)), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get_bytes(&app, &format!("/posters/{name}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_keeps_the_poster_and_removing_or_replacing_one_takes_its_files() {
    for app in apps().await {
        copies_and_removals_on(app).await;
    }
}

async fn copies_and_removals_on(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let root = admin(&app).await;
    let photo = phone_photo(dir.path());
    upload(&app, &root, PUBLIC, &[("alt.en", "Original")], Some(&photo)).await;
    let copied = app
        .post_with(
            &format!("/organise/events/{PUBLIC}/duplicate"),
            "",
            &[(header::COOKIE, &root), (header::ORIGIN, ORIGIN)],
        )
        .await;
    let copy_editor = location(&copied);
    let copy = copy_editor
        .trim_start_matches("/organise/events/")
        .trim_end_matches("/edit")
        .to_string();
    let copy_page = app.get(&format!("/events/{copy}")).await.body;
    let copy_links = poster_links(&copy_page, "/posters/");
    assert_eq!(copy_links.len(), 4, "{copy_page}");
    assert!(copy_page.contains("alt=\"Original\""));
    // Files of its own: making one event sensitive hides its files alone.
    let original_links = poster_links(
        &app.get(&format!("/events/{PUBLIC}")).await.body,
        "/posters/",
    );
    assert!(copy_links.iter().all(|l| !original_links.contains(l)));
    for link in &copy_links {
        assert_eq!(
            get_bytes(&app, link, None).await.0,
            StatusCode::OK,
            "{link}"
        );
    }

    // Descriptions change without a new file.
    let described = upload(&app, &root, &copy, &[("alt.en", "The copy")], None).await;
    assert_eq!(described.status, StatusCode::SEE_OTHER);
    assert!(app
        .get(&format!("/events/{copy}"))
        .await
        .body
        .contains("alt=\"The copy\""));
    assert!(app
        .get(&format!("/events/{PUBLIC}"))
        .await
        .body
        .contains("alt=\"Original\""));

    // Replaced on the original (another picture): its old files go, the
    // copy keeps its own.
    let png = plain_png(dir.path(), 640, 320);
    let old = poster_links(
        &app.get(&format!("/events/{PUBLIC}")).await.body,
        "/posters/",
    );
    let replaced = upload(&app, &root, PUBLIC, &[], Some(&png)).await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER);
    let new = poster_links(
        &app.get(&format!("/events/{PUBLIC}")).await.body,
        "/posters/",
    );
    assert_eq!(new.len(), 4);
    assert!(new.iter().all(|n| !old.contains(n)));
    assert_eq!(stored_files(&app).await.len(), 8);
    for link in &old {
        assert_eq!(
            get_bytes(&app, link, None).await.0,
            StatusCode::NOT_FOUND,
            "{link}"
        );
    }

    // Removed from the copy: its files go.
    let removed = app
        .post_with(
            &format!("/organise/events/{copy}/poster/remove"),
            "",
            &[(header::COOKIE, &root), (header::ORIGIN, ORIGIN)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(!app
        .get(&format!("/events/{copy}"))
        .await
        .body
        .contains("<picture"));
    for link in &copy_links {
        assert_eq!(
            get_bytes(&app, link, None).await.0,
            StatusCode::NOT_FOUND,
            "{link}"
        );
    }
    assert_eq!(stored_files(&app).await.len(), 4);
}
