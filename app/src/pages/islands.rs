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

/// Whether the browser has a share sheet (`navigator.share`): phones do,
/// most desktop browsers do not.
fn can_share() -> bool {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Reflect::has(&window().navigator(), &"share".into()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// Opens the share sheet with a title and an address. Cancelling it is
/// no error.
fn share(title: &str, url: &str) {
    #[cfg(feature = "hydrate")]
    {
        use js_sys::{Function, Object, Promise, Reflect};
        use leptos::wasm_bindgen::JsCast;
        let navigator = window().navigator();
        let Some(share) = Reflect::get(&navigator, &"share".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
        else {
            return;
        };
        let data = Object::new();
        let _ = Reflect::set(&data, &"title".into(), &title.into());
        let _ = Reflect::set(&data, &"url".into(), &url.into());
        if let Ok(promise) = share.call1(&navigator, &data) {
            if let Ok(promise) = promise.dyn_into::<Promise>() {
                leptos::task::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                });
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (title, url);
    }
}

/// The phone's own share sheet (WhatsApp, Signal, Telegram, whatever the
/// member has), for an event's title and address. Shown only where the
/// browser has one, once its code runs; the plain links beside it work
/// without it.
#[island]
pub fn ShareButton(title: String, url: String, label: String) -> impl IntoView {
    let available = RwSignal::new(false);
    Effect::new(move |_| available.set(can_share()));
    let (title, url) = (StoredValue::new(title), StoredValue::new(url));
    view! {
        <button
            type="button"
            class="share-sheet"
            hidden=move || !available.get()
            on:click=move |_| share(&title.get_value(), &url.get_value())
        >
            {label}
        </button>
    }
}
