//! Making a poster from an organiser's upload. The file is decoded to its
//! pixels and new files are written from them: nothing else of the upload
//! (EXIF with its GPS position and camera serial, XMP, IPTC, the ICC
//! profile's name, comments, embedded thumbnails) can survive, because
//! nothing else is read into the new files. The EXIF orientation is
//! applied, so the poster stands as the phone showed it.
//!
//! Memory is bounded before anything large is allocated: the header's
//! size is checked against the pixel limit (half of it for the formats
//! whose decoders keep a second copy: progressive JPEG, WebP), the decoded
//! bytes against their own, no file made is taller than
//! [`MAX_OUTPUT_SIDE`], and the picture is shrunk by a cheap box filter
//! before the finer one (whose working copy is four times larger per
//! pixel) touches it.

use crate::domain::{
    PosterFormat, Problem, POSTER_MAX_BYTES, POSTER_MAX_PIXELS, POSTER_MAX_RATIO, POSTER_WIDTHS,
};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// How the JPEG and WebP files are compressed (out of 100): small files
/// that still read well on a phone.
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// The widest or tallest picture decoded, in pixels (WebP's own limit is
/// 16,383; no poster file comes near it, see [`POSTER_MAX_RATIO`]).
const MAX_SIDE: u32 = 16_000;
/// The most bytes the decoded picture may take: 40 megapixels at 8 bits
/// a channel with alpha (a 16-bit picture may have fewer pixels).
const MAX_DECODED_BYTES: u64 = POSTER_MAX_PIXELS * 4;
/// What the PNG decoder may allocate besides the picture (an embedded
/// colour profile, text chunks): a compressed chunk cannot make it inflate
/// more. (The JPEG and WebP decoders are bounded by the pixel limits.)
const MAX_DECODER_ALLOCATION: u64 = 32 * 1024 * 1024;
/// The tallest file made: a tall poster is made in the widths that fit.
const MAX_OUTPUT_SIDE: u32 = 2160;
/// The most scans a progressive JPEG may have (cameras and encoders write
/// about ten; each costs a pass over the whole picture).
const MAX_JPEG_SCANS: usize = 32;

/// One file made from an upload.
#[derive(Clone, Debug)]
pub struct PosterImage {
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
    let (pixels, orientation) = decode(upload)?;
    let pixels = flattened(pixels);
    // The sizes as shown, turned as the orientation says.
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (shown_width, shown_height) = if turned {
        (pixels.height(), pixels.width())
    } else {
        (pixels.width(), pixels.height())
    };
    let sizes = widths(shown_width, shown_height);
    // Widest first, each made from the one before: a box filter halves
    // the way to twice the widest, then a finer one does the rest.
    let mut source = pixels;
    let mut made = Vec::new();
    for &(width, height) in sizes.iter().rev() {
        let (w, h) = if turned {
            (height, width)
        } else {
            (width, height)
        };
        if source.width() > 2 * w && source.height() > 2 * h {
            source = image::imageops::thumbnail(&source, 2 * w, 2 * h);
        }
        source = image::imageops::resize(&source, w, h, image::imageops::FilterType::CatmullRom);
        let mut shown = DynamicImage::ImageRgb8(source.clone());
        shown.apply_orientation(orientation);
        let shown = shown.into_rgb8();
        for format in PosterFormat::ALL {
            made.push(PosterImage {
                format,
                width,
                height,
                bytes: encode(&shown, format)?,
            });
        }
    }
    made.reverse();
    // Narrowest first, WebP before JPEG within a width.
    made.sort_by_key(|f| (f.width, f.format != PosterFormat::Webp));
    Ok(made)
}

/// An HEIF container (an iPhone's HEIC photo, or AVIF): `ftyp` and a
/// brand of that family at the file's start.
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 9] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif",
    ];
    bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && BRANDS.iter().any(|b| &bytes[8..12] == *b)
}

/// The upload's pixels and its EXIF orientation. Only JPEG, PNG and WebP
/// are read (by what the bytes are, not what the file is called); sizes
/// beyond the limits are refused from the header, before decoding.
fn decode(upload: &[u8]) -> Result<(DynamicImage, Orientation), Problem> {
    let format = match image::guess_format(upload) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => format,
        _ => return Err(Problem::PosterFormat),
    };
    // Decoders that keep a second copy of the picture take half as many
    // pixels.
    let halved = match format {
        ImageFormat::Jpeg => match jpeg_scans(upload) {
            Some(scans) if scans.count <= MAX_JPEG_SCANS => scans.progressive,
            _ => return Err(Problem::PosterFormat),
        },
        ImageFormat::WebP => true,
        _ => false,
    };
    let max_pixels = if halved {
        POSTER_MAX_PIXELS / 2
    } else {
        POSTER_MAX_PIXELS
    };
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODER_ALLOCATION);
    reader.limits(limits);
    let too_many = Problem::PosterTooManyPixels {
        max_megapixels: max_pixels / 1_000_000,
    };
    let mut decoder = reader.into_decoder().map_err(|e| refusal(e, too_many))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > max_pixels
        || decoder.total_bytes() > MAX_DECODED_BYTES
    {
        return Err(too_many);
    }
    let (long, short) = (width.max(height), width.min(height).max(1));
    if long > POSTER_MAX_RATIO * short {
        return Err(Problem::PosterShape {
            max_ratio: POSTER_MAX_RATIO,
        });
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let pixels = DynamicImage::from_decoder(decoder).map_err(|e| refusal(e, too_many))?;
    Ok((pixels, orientation))
}

/// A JPEG's scans, as its segments say.
struct JpegScans {
    count: usize,
    /// Progressive (SOF2): the decoder keeps every coefficient.
    progressive: bool,
}

/// The scans of a JPEG whose segments, walked from the start, reach an
/// end-of-image marker; `None` for one that does not end (a file broken
/// off halfway is refused, where the decoder would fill the missing part
/// with grey). What follows that marker (a phone's motion photo) is not
/// read.
fn jpeg_scans(bytes: &[u8]) -> Option<JpegScans> {
    let mut scans = JpegScans {
        count: 0,
        progressive: false,
    };
    let mut at = 2;
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        match marker {
            0xD9 => return Some(scans),
            // Fill bytes, and markers without a length.
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let length = bytes.get(at + 2..at + 4)?;
                at += 2 + usize::from(u16::from_be_bytes([length[0], length[1]]));
                if matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE) {
                    scans.progressive = true;
                }
                if marker == 0xDA {
                    scans.count += 1;
                    // Scan data: a 0xFF in it is followed by 0x00 or a
                    // restart marker; anything else is the next marker.
                    while at + 1 < bytes.len()
                        && !(bytes[at] == 0xFF
                            && bytes[at + 1] != 0
                            && !(0xD0..=0xD7).contains(&bytes[at + 1]))
                    {
                        at += 1;
                    }
                }
            }
        }
    }
    None
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
/// [`POSTER_WIDTHS`] the picture is at least as wide as, or its own width
/// when narrower than them all; narrowest first.
fn widths(width: u32, height: u32) -> Vec<(u32, u32)> {
    let height_at = |w: u32| {
        let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
        (h as u32).max(1)
    };
    let mut sizes: Vec<(u32, u32)> = POSTER_WIDTHS
        .into_iter()
        .filter(|w| *w <= width && height_at(*w) <= MAX_OUTPUT_SIDE)
        .map(|w| (w, height_at(w)))
        .collect();
    if sizes.is_empty() {
        let w = width.min(POSTER_WIDTHS[0]);
        sizes.push((w, height_at(w)));
    }
    sizes
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
            encoder
                .encode_simple(false, WEBP_QUALITY)
                .map(|memory| memory.to_vec())
                .map_err(|_| Problem::PosterFormat)
        }
    }
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
    fn every_width_up_to_the_upload_in_both_formats() {
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
            let read = image::load_from_memory(&file.bytes).unwrap();
            assert_eq!((read.width(), read.height()), (file.width, file.height));
        }
        assert!(files[0].bytes.starts_with(b"RIFF"));
        assert!(files[1].bytes.starts_with(&[0xFF, 0xD8]));
    }

    #[test]
    fn a_large_picture_is_shrunk_in_steps() {
        let files = make_poster(&png(4000, 3000)).unwrap();
        let widest = files.last().unwrap();
        assert_eq!((widest.width, widest.height), (1440, 1080));
    }

    #[test]
    fn a_tall_poster_is_made_in_the_widths_that_fit() {
        let files = make_poster(&png(1500, 4000)).unwrap();
        let sizes: Vec<(u32, u32)> = files.iter().map(|f| (f.width, f.height)).collect();
        assert_eq!(sizes, [(240, 640), (240, 640), (480, 1280), (480, 1280)]);
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
        // A long screenshot.
        assert_eq!(
            make_poster(&png(100, 900)).unwrap_err(),
            Problem::PosterShape { max_ratio: 4 }
        );
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        RgbImage::new(width, height)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
            .unwrap();
        bytes
    }

    #[test]
    fn a_jpeg_must_end_and_what_follows_its_end_is_not_read() {
        let whole = jpeg(64, 64);
        let scans = jpeg_scans(&whole).unwrap();
        assert_eq!((scans.count, scans.progressive), (1, false));
        assert!(make_poster(&whole).is_ok());
        let mut cut = whole.clone();
        cut.truncate(cut.len() - 2);
        assert!(jpeg_scans(&cut).is_none());
        assert_eq!(make_poster(&cut).unwrap_err(), Problem::PosterFormat);
        // A motion photo: a video after the picture, which may hold bytes
        // that look like markers.
        let mut motion = whole.clone();
        motion.extend_from_slice(b"\0\0\0\x18ftypmp42\xFF\xDA\x00\x08junk");
        assert!(jpeg_scans(&motion).is_some());
        assert!(make_poster(&motion).is_ok());
    }

    /// A small JPEG whose header says it is `width` × `height`.
    fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = jpeg(8, 8);
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        bytes
    }

    #[test]
    fn a_header_that_promises_too_many_pixels_is_refused_before_decoding() {
        let refused = Problem::PosterTooManyPixels { max_megapixels: 40 };
        assert_eq!(
            make_poster(&jpeg_claiming(8_000, 8_000)).unwrap_err(),
            refused
        );
        assert_eq!(
            make_poster(&jpeg_claiming(60_000, 100)).unwrap_err(),
            refused
        );
    }
}
