//! Yighin in the browser: hydrates the page the server rendered.

// The optimised build lays out the pages' nested view types, whose depth
// passes the default limit of 128.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
