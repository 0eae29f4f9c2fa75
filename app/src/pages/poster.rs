//! A poster on a page: WebP for browsers that take it, JPEG for the rest,
//! each in the width the screen needs; its size set, so nothing below it
//! moves while it loads. Hidden for a reader who chose the data saver.

use crate::domain::{Poster, PosterFormat};
use leptos::prelude::*;

/// Whether the reader lets pages show posters (the data saver's cookie).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImagesShown(pub bool);

/// Whether posters are shown to this reader.
pub fn images_shown() -> bool {
    use_context::<ImagesShown>().is_none_or(|shown| shown.0)
}

/// The reader's choice, from the request.
pub fn detect_images_shown() -> ImagesShown {
    #[cfg(feature = "ssr")]
    {
        use axum::http::request::Parts;
        ImagesShown(
            use_context::<Parts>().is_none_or(|parts| crate::web::images_shown(&parts.headers)),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        ImagesShown(true)
    }
}

/// `sizes` says how wide the poster is drawn (for the browser's choice of
/// file); `lazy`, below the fold, loads it only when scrolled near.
#[component]
pub fn PosterPicture(
    poster: Poster,
    sizes: &'static str,
    #[prop(optional)] lazy: bool,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    if !images_shown() {
        return None;
    }
    let fallback = poster.file_near(PosterFormat::Jpeg, 960)?.clone();
    Some(view! {
        <picture class=class>
            <source type="image/webp" srcset=poster.srcset(PosterFormat::Webp) sizes=sizes />
            <img
                src=fallback.url
                srcset=poster.srcset(PosterFormat::Jpeg)
                sizes=sizes
                width=fallback.width
                height=fallback.height
                alt=poster.alt
                loading=if lazy { "lazy" } else { "eager" }
                decoding="async"
            />
        </picture>
    })
}
