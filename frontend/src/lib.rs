//! Yighin in the browser: brings the page's islands to life. Everything
//! else is the server's HTML, which works without any script.

// The optimised build lays out the pages' nested view types, whose depth
// passes the default limit of 128.
#![recursion_limit = "256"]

// The islands are declared in `app`; linking it exports them to the page.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Lets tests (and curious people) see that the page's script ran.
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-hydrated", "true");
    }
}
