//! A phone's photo made into a poster: a 12-megapixel JPEG uploaded
//! through the organiser's form, timed from the request to the saved
//! poster, while an event page is asked for meanwhile (the making runs
//! off the threads that answer requests).

use image::{ImageEncoder, Rgb, RgbImage};
use std::time::{Duration, Instant};

/// What one upload took, and the slowest event page served meanwhile.
pub struct PosterUpload {
    pub photo_bytes: usize,
    pub took: Duration,
    pub slowest_page: Duration,
    pub pages: usize,
}

/// A 4000 × 3000 picture with a photo's texture (gradients and grain), as
/// a phone writes it (JPEG, quality 90).
pub fn twelve_megapixel_photo() -> Vec<u8> {
    let mut state: u32 = 0x9E37_79B9;
    let picture = RgbImage::from_fn(4000, 3000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 17) as i32 - 8;
        let channel = |base: u32| (base as i32 + grain).clamp(0, 255) as u8;
        Rgb([
            channel(x * 255 / 4000),
            channel(y * 255 / 3000),
            channel(((x + y) / 30) % 256),
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("a JPEG in memory");
    bytes
}

fn multipart(photo: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----yighin-bench-poster";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"alt.en\"\r\n\r\nA march\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"poster\"; filename=\"IMG.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads `photo` as the poster of `slug`, asking for `page` every 20 ms
/// until it is saved.
pub async fn upload(
    http: &reqwest::Client,
    base: &str,
    cookie: &str,
    slug: &str,
    page: &str,
    photo: &[u8],
) -> Result<PosterUpload, Box<dyn std::error::Error>> {
    let (content_type, body) = multipart(photo);
    let started = Instant::now();
    let sent = http
        .post(format!("{base}/organise/events/{slug}/poster"))
        .header("cookie", cookie)
        .header("origin", base)
        .header("content-type", content_type)
        .body(body)
        .send();
    tokio::pin!(sent);
    let page_url = format!("{base}{page}");
    let (mut slowest_page, mut pages) = (Duration::ZERO, 0);
    let response = loop {
        tokio::select! {
            response = &mut sent => break response?,
            _ = tokio::time::sleep(Duration::from_millis(20)) => {
                let asked = Instant::now();
                http.get(&page_url).header("x-forwarded-for", "10.253.0.1").send().await?;
                slowest_page = slowest_page.max(asked.elapsed());
                pages += 1;
            }
        }
    };
    let took = started.elapsed();
    if response.status().as_u16() != 303 {
        return Err(format!("the poster upload answered {}", response.status()).into());
    }
    Ok(PosterUpload {
        photo_bytes: photo.len(),
        took,
        slowest_page,
        pages,
    })
}
