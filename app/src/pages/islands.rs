//! Everything that runs in the browser: the pages' islands. The rest of
//! every page is the server's HTML and works without any script, so what a
//! phone downloads is only this. An island's words come from the server as
//! its props, so the browser carries no translations.

use leptos::prelude::*;

/// Puts text on the clipboard; only in the browser, where the copy button
/// exists at all.
fn copy_to_clipboard(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().navigator().clipboard().write_text(text);
        true
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        false
    }
}

/// A button that copies a link (a member's private link). It is shown once
/// its code runs, so a page without JavaScript shows no button that does
/// nothing; its place is kept meanwhile, so nothing moves when it shows.
#[island]
pub fn CopyLinkButton(link: String, copy_label: String, copied_label: String) -> impl IntoView {
    let running = RwSignal::new(false);
    Effect::new(move |_| running.set(true));
    let copied = RwSignal::new(false);
    let link = StoredValue::new(link);
    let copy = move |_| {
        if copy_to_clipboard(&link.get_value()) {
            copied.set(true);
        }
    };
    view! {
        <button type="button" class="copy-link" class:waiting=move || !running.get() on:click=copy>
            {move || if copied.get() { copied_label.clone() } else { copy_label.clone() }}
        </button>
    }
}
