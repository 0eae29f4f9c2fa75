//! An event's poster as pages show it: the files the server made of the
//! organiser's upload, and the words that describe it.

use serde::{Deserialize, Serialize};

/// The widths a poster is made in, in pixels (never wider than the upload).
/// The smallest is the list's thumbnail.
pub const POSTER_WIDTHS: [u32; 4] = [240, 480, 960, 1440];
/// The largest upload accepted, in bytes (a phone's photo fits well).
pub const POSTER_MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most pixels an upload may have: more is a camera's full-resolution
/// mode or a file made to fill the server's memory when decoded.
pub const POSTER_MAX_PIXELS: u64 = 40_000_000;
/// How many times longer than wide (or wider than long) a poster may be:
/// a long screenshot is no poster.
pub const POSTER_MAX_RATIO: u32 = 4;
/// The longest description of a poster, in characters.
pub const POSTER_ALT: usize = 300;

/// The formats a poster is served in: WebP for browsers that take it
/// (nearly all), JPEG for the rest and for chat apps' link previews.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PosterFormat {
    Webp,
    Jpeg,
}

impl PosterFormat {
    pub const ALL: [PosterFormat; 2] = [PosterFormat::Webp, PosterFormat::Jpeg];

    pub fn mime(self) -> &'static str {
        match self {
            PosterFormat::Webp => "image/webp",
            PosterFormat::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            PosterFormat::Webp => "webp",
            PosterFormat::Jpeg => "jpg",
        }
    }

    pub fn from_mime(mime: &str) -> Option<PosterFormat> {
        PosterFormat::ALL.into_iter().find(|f| f.mime() == mime)
    }
}

/// One file of a poster: where it is served, and its size in pixels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosterFile {
    pub url: String,
    pub format: PosterFormat,
    pub width: u32,
    pub height: u32,
}

/// A poster as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poster {
    /// What it shows, in the reader's language where written.
    pub alt: String,
    /// Every width in both formats, narrowest first.
    pub files: Vec<PosterFile>,
}

impl Poster {
    /// `srcset` of the files in `format`: "url 480w, url 960w".
    pub fn srcset(&self, format: PosterFormat) -> String {
        self.files
            .iter()
            .filter(|f| f.format == format)
            .map(|f| format!("{} {}w", f.url, f.width))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The file in `format` closest to `width` without being narrower, or
    /// the widest there is.
    pub fn file_near(&self, format: PosterFormat, width: u32) -> Option<&PosterFile> {
        let files = self.files.iter().filter(|f| f.format == format);
        let widest = files.clone().max_by_key(|f| f.width);
        files
            .filter(|f| f.width >= width)
            .min_by_key(|f| f.width)
            .or(widest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(width: u32, format: PosterFormat) -> PosterFile {
        PosterFile {
            url: format!("/p/{width}.{}", format.extension()),
            format,
            width,
            height: width / 2,
        }
    }

    #[test]
    fn srcset_and_nearest_width_per_format() {
        let poster = Poster {
            alt: "A march".into(),
            files: vec![
                file(240, PosterFormat::Webp),
                file(480, PosterFormat::Webp),
                file(240, PosterFormat::Jpeg),
                file(480, PosterFormat::Jpeg),
            ],
        };
        assert_eq!(
            poster.srcset(PosterFormat::Webp),
            "/p/240.webp 240w, /p/480.webp 480w"
        );
        assert_eq!(
            poster.file_near(PosterFormat::Jpeg, 300).unwrap().url,
            "/p/480.jpg"
        );
        assert_eq!(
            poster.file_near(PosterFormat::Jpeg, 960).unwrap().url,
            "/p/480.jpg"
        );
        assert_eq!(
            poster.file_near(PosterFormat::Webp, 10).unwrap().url,
            "/p/240.webp"
        );
    }
}
