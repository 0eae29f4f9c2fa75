//! The pages' routes, as Leptos lists them, are the pages of the one
//! module of addresses (`app::paths`) that links are built from.

use std::collections::BTreeSet;

#[test]
fn every_page_route_is_an_address_of_the_paths_module() {
    // (A test binary of its own: listing the routes pauses resource loading
    // in the whole process.)
    let routes: BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().to_string())
        .collect();
    let pages: BTreeSet<String> = app::paths::PAGES.iter().map(|p| p.to_string()).collect();
    assert_eq!(routes, pages);
}
