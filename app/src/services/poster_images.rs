//! Making a poster from an organiser's upload. The file is decoded to its
//! pixels and new files are written from them: nothing else of the upload
//! (EXIF with its GPS position and camera serial, XMP, IPTC, the ICC
//! profile's name, comments, embedded thumbnails) can survive, because
//! nothing else is read into the new files. The EXIF orientation is
//! applied first, so the poster stands as the phone showed it.

use crate::domain::{PosterFormat, Problem, POSTER_MAX_BYTES, POSTER_MAX_PIXELS, POSTER_WIDTHS};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// How the JPEG and WebP files are compressed (out of 100): small files
/// that still read well on a phone.
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// The widest or tallest image decoded, in pixels, whatever its count.
const MAX_SIDE: u32 = 20_000;

/// One file made from an upload.
#[derive(Clone, Debug)]
pub struct PosterImage {
    /// `<hash>.<extension>`: the first 32 hex digits of the SHA-256 of
    /// `bytes`.
    pub name: String,
    pub format: PosterFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// The poster's files, narrowest first, each width in both formats; or
/// the problem with the upload, for the field's message.
pub fn make_poster(upload: &[u8]) -> Result<Vec<PosterImage>, Problem> {
    if upload.len() > POSTER_MAX_BYTES {
        return Err(Problem::PosterTooBig {
            max_mb: POSTER_MAX_BYTES / (1024 * 1024),
        });
    }
    if is_heif(upload) {
        return Err(Problem::PosterHeic);
    }
    let pixels = flattened(decode(upload)?);
    let mut files = Vec::new();
    for (width, height) in widths(pixels.width(), pixels.height()) {
        let resized = image::imageops::resize(
            &pixels,
            width,
            height,
            image::imageops::FilterType::CatmullRom,
        );
        for format in PosterFormat::ALL {
            let bytes = encode(&resized, format)?;
            files.push(PosterImage {
                name: format!("{}.{}", content_hash(&bytes), format.extension()),
                format,
                width,
                height,
                bytes,
            });
        }
    }
    Ok(files)
}

/// An HEIF container (an iPhone's HEIC photo, or AVIF): `ftyp` and a
/// brand of that family at the file's start.
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 9] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif",
    ];
    bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && BRANDS.iter().any(|b| &bytes[8..12] == *b)
}

/// The upload's pixels, turned as its EXIF orientation says. Only JPEG,
/// PNG and WebP are read (by what the bytes are, not what the file is
/// called); the decoder refuses sizes beyond the limits before it
/// allocates for them.
fn decode(upload: &[u8]) -> Result<DynamicImage, Problem> {
    let format = match image::guess_format(upload) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => format,
        _ => return Err(Problem::PosterFormat),
    };
    if format == ImageFormat::Jpeg && !jpeg_is_complete(upload) {
        return Err(Problem::PosterFormat);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Room for the decoded pixels at 8 bits per channel with alpha.
    limits.max_alloc = Some(POSTER_MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let too_many = Problem::PosterTooManyPixels {
        max_megapixels: POSTER_MAX_PIXELS / 1_000_000,
    };
    let mut decoder = reader.into_decoder().map_err(|e| refusal(e, too_many))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > POSTER_MAX_PIXELS {
        return Err(too_many);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut pixels = DynamicImage::from_decoder(decoder).map_err(|e| refusal(e, too_many))?;
    pixels.apply_orientation(orientation);
    Ok(pixels)
}

/// Whether a JPEG's last scan ends (an end-of-image marker follows the last
/// start-of-scan). The decoder fills a cut-off file's missing part with
/// grey; an upload broken off halfway is refused instead. Scan data never
/// holds these markers (a 0xFF there is followed by 0x00 or a restart).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    let last_end = bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]);
    matches!((last_scan, last_end), (Some(scan), Some(end)) if end > scan)
}

fn refusal(error: image::ImageError, too_many: Problem) -> Problem {
    match error {
        image::ImageError::Limits(_) => too_many,
        _ => Problem::PosterFormat,
    }
}

/// Eight-bit RGB; transparent parts laid on white (neither JPEG nor a
/// printed flyer has transparency).
fn flattened(pixels: DynamicImage) -> RgbImage {
    if !pixels.color().has_alpha() {
        return pixels.into_rgb8();
    }
    let rgba = pixels.into_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let alpha = u32::from(pixel[3]);
        for channel in 0..3 {
            let value = u32::from(pixel[channel]) * alpha + 255 * (255 - alpha);
            out[channel] = (value / 255) as u8;
        }
    }
    rgb
}

/// The widths (and heights, in proportion) to make: each of
/// [`POSTER_WIDTHS`] the upload is at least as wide as, or its own width
/// when narrower than them all.
fn widths(width: u32, height: u32) -> Vec<(u32, u32)> {
    let mut sizes: Vec<u32> = POSTER_WIDTHS.into_iter().filter(|w| *w <= width).collect();
    if sizes.is_empty() {
        sizes.push(width);
    }
    sizes
        .into_iter()
        .map(|w| {
            let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
            (w, (h as u32).max(1))
        })
        .collect()
}

fn encode(pixels: &RgbImage, format: PosterFormat) -> Result<Vec<u8>, Problem> {
    match format {
        PosterFormat::Jpeg => {
            let mut bytes = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
                .encode_image(pixels)
                .map_err(|_| Problem::PosterFormat)?;
            Ok(bytes)
        }
        PosterFormat::Webp => {
            let encoder = webp::Encoder::from_rgb(pixels.as_raw(), pixels.width(), pixels.height());
            Ok(encoder.encode(WEBP_QUALITY).to_vec())
        }
    }
}

fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let pixels = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut bytes = Vec::new();
        pixels
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn every_width_up_to_the_upload_in_both_formats_named_by_hash() {
        let files = make_poster(&png(1000, 500)).unwrap();
        let sizes: Vec<(u32, u32, PosterFormat)> = files
            .iter()
            .map(|f| (f.width, f.height, f.format))
            .collect();
        assert_eq!(
            sizes,
            [
                (240, 120, PosterFormat::Webp),
                (240, 120, PosterFormat::Jpeg),
                (480, 240, PosterFormat::Webp),
                (480, 240, PosterFormat::Jpeg),
                (960, 480, PosterFormat::Webp),
                (960, 480, PosterFormat::Jpeg),
            ]
        );
        for file in &files {
            assert_eq!(
                file.name,
                format!("{}.{}", content_hash(&file.bytes), file.format.extension())
            );
            let read = image::load_from_memory(&file.bytes).unwrap();
            assert_eq!((read.width(), read.height()), (file.width, file.height));
        }
        assert!(files[0].bytes.starts_with(b"RIFF"));
        assert!(files[1].bytes.starts_with(&[0xFF, 0xD8]));
    }

    #[test]
    fn a_small_upload_keeps_its_width() {
        let files = make_poster(&png(100, 300)).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!((files[0].width, files[0].height), (100, 300));
    }

    #[test]
    fn refusals_name_the_problem() {
        assert_eq!(
            make_poster(&vec![0; POSTER_MAX_BYTES + 1]).unwrap_err(),
            Problem::PosterTooBig { max_mb: 10 }
        );
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic");
        heic.extend_from_slice(&[0; 32]);
        assert_eq!(make_poster(&heic).unwrap_err(), Problem::PosterHeic);
        assert_eq!(
            make_poster(b"GIF89a not a poster").unwrap_err(),
            Problem::PosterFormat
        );
        assert_eq!(
            make_poster(b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err(),
            Problem::PosterFormat
        );
        // A PNG's signature and nothing that follows it.
        let mut fake = png(10, 10);
        fake.truncate(30);
        assert_eq!(make_poster(&fake).unwrap_err(), Problem::PosterFormat);
        // A JPEG broken off in its scan.
        let mut cut = Vec::new();
        RgbImage::new(64, 64)
            .write_to(&mut Cursor::new(&mut cut), ImageFormat::Jpeg)
            .unwrap();
        assert!(make_poster(&cut).is_ok());
        cut.truncate(cut.len() - 2);
        assert_eq!(make_poster(&cut).unwrap_err(), Problem::PosterFormat);
    }

    /// A small JPEG whose header says it is `width` × `height`.
    fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = Vec::new();
        RgbImage::new(8, 8)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
            .unwrap();
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        bytes
    }

    #[test]
    fn a_header_that_promises_too_many_pixels_is_refused_before_decoding() {
        let refused = Problem::PosterTooManyPixels { max_megapixels: 50 };
        assert_eq!(
            make_poster(&jpeg_claiming(10_000, 10_000)).unwrap_err(),
            refused
        );
        assert_eq!(
            make_poster(&jpeg_claiming(60_000, 100)).unwrap_err(),
            refused
        );
    }
}
