//! `/about`: who runs this instance and how to reach them, in the admin's
//! words, and what the site keeps and for how long, from its settings.

use super::use_lang;
use crate::api::load_about;
use crate::domain::AboutPage;
use crate::i18n::Lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn AboutScreen() -> impl IntoView {
    let lang = use_lang();
    let about = OnceResource::new(load_about(lang.tag().to_string()));
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                match about.await {
                    Ok(about) => view! { <About about /> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr!(lang, server_error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What is kept, said from the instance's own settings, so it cannot go
/// stale when they change.
fn kept(lang: Lang, retention_days: i64) -> [String; 4] {
    let names = if retention_days == 0 {
        tr!(lang, about_kept_names_at_end).to_string()
    } else {
        tr!(lang, about_kept_names, count = retention_days)
    };
    [
        names,
        tr!(lang, about_kept_counts).to_string(),
        tr!(lang, about_kept_no_address).to_string(),
        tr!(lang, about_kept_who).to_string(),
    ]
}

#[component]
fn About(about: AboutPage) -> impl IntoView {
    let lang = use_lang();
    let title = tr!(lang, about_title, name = about.name.clone());
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=title.clone() />
        <h1 dir="auto">{title}</h1>
        {if about.html.is_empty() {
            view! { <p class="empty">{tr!(lang, about_not_written)}</p> }.into_any()
        } else {
            view! {
                <div class="description" lang=about.text_lang.tag() dir=about.text_lang.dir() inner_html=about.html></div>
            }
            .into_any()
        }}
        <section aria-labelledby="kept-heading">
            <h2 id="kept-heading">{tr!(lang, about_kept_heading)}</h2>
            <ul>
                {kept(lang, about.retention_days).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        </section>
    }
}
