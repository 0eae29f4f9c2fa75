//! The "About" page: who runs the instance in the admin's words, in the
//! reader's language where written, and what the site keeps, from its
//! settings; linked from every page's footer.

mod common;

use app::accounts::Role;
use axum::http::{header, StatusCode};
use common::{apps, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_about_page_says_who_runs_the_site_and_what_it_keeps() {
    for app in apps().await {
        the_about_page_says_who_runs_the_site_and_what_it_keeps_on(app).await;
    }
}

async fn the_about_page_says_who_runs_the_site_and_what_it_keeps_on(app: TestApp) {
    let home = app.get("/").await.body;
    assert!(home.contains("href=\"/about\""), "linked from the footer");
    let page = app.get("/about").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<title>About Yighin"), "{}", page.body);
    assert!(page.body.contains("have not written about themselves yet"));
    assert!(page.body.contains("deleted 30 days after the event"));
    assert!(page.body.contains("No IP address is kept"));

    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("instance_name", "Uyghur Society"),
            ("time_zone", "America/Toronto"),
            ("languages", "en"),
            ("languages", "fr"),
            ("default_lang", "en"),
            (
                "about.fr",
                "**Société** ouïghoure de Montréal.\r\n\r\nÉcrivez-nous : contact@example.org <script>alert(1)</script>",
            ),
            ("about.en", ""),
        ])
        .finish();
    let saved = app
        .post_with(
            "/organise/settings",
            &body,
            &[
                (header::COOKIE, &root),
                (header::ORIGIN, "http://127.0.0.1:3000"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let french = app.get("/about?lang=fr").await.body;
    assert!(french.contains("À propos de Uyghur Society"), "{french}");
    assert!(french.contains("<strong>Société</strong> ouïghoure"));
    assert!(
        !french.contains("<script>alert"),
        "sanitised like descriptions"
    );
    assert!(french.contains("effacés 30 jours après"));
    // Where the admin wrote nothing in the reader's language, the text
    // they wrote is shown, marked as French.
    let english = app.get("/about?lang=en").await.body;
    assert!(english.contains("lang=\"fr\""), "{english}");
    assert!(english.contains("<strong>Société</strong>"));
    // The settings form shows it again to edit.
    let form = app
        .get_with("/organise/settings", header::COOKIE, &root)
        .await
        .body;
    assert!(form.contains("name=\"about.fr\""));
    assert!(form.contains("ouïghoure de Montréal"));
}
