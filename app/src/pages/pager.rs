//! Links to the neighbouring pages of a long list (plain links: they work
//! with JavaScript off).

use super::use_lang;
use crate::tr;
use leptos::prelude::*;

/// "Previous page" and "Next page", each only where there is one; nothing
/// at all for a list that fits on one page.
#[component]
pub fn Pager(previous: Option<String>, next: Option<String>) -> impl IntoView {
    let lang = use_lang();
    (previous.is_some() || next.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label=tr!(lang, pages)>
                {previous.map(|href| view! { <a href=href rel="prev">{tr!(lang, previous_page)}</a> })}
                {next.map(|href| view! { <a href=href rel="next">{tr!(lang, next_page)}</a> })}
            </nav>
        }
    })
}
