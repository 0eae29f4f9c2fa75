use super::use_lang;
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The page for an unknown address, answered with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=t(lang, Msg::NotFoundTitle) />
        <h1>{t(lang, Msg::NotFoundTitle)}</h1>
        <p>{t(lang, Msg::NotFoundBody)}</p>
        <p><A href="/">{t(lang, Msg::BackToEvents)}</A></p>
    }
}
