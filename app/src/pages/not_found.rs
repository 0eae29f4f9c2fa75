use super::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
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
        <Title text=tr!(lang, not_found_title) />
        <Meta name="description" content=tr!(lang, not_found_body) />
        <h1>{tr!(lang, not_found_title)}</h1>
        <p>{tr!(lang, not_found_body)}</p>
        <p><A href=crate::paths::HOME attr:class="back-link">{tr!(lang, back_to_events)}</A></p>
    }
}
