//! What a phone downloads: the bytes as the server sends them to a browser
//! that accepts brotli and gzip, counted after compression.

/// One response's body as sent (not decompressed: the client has no
/// decoder, so the body is the bytes on the wire) and its encoding.
pub(crate) async fn as_sent(
    http: &reqwest::Client,
    url: &str,
) -> Result<(Vec<u8>, String), Box<dyn std::error::Error>> {
    let answer = http
        .get(url)
        .header("accept-encoding", "br, gzip")
        .send()
        .await?;
    if !answer.status().is_success() {
        return Err(format!("{url}: {}", answer.status()).into());
    }
    let encoding = answer
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_string();
    Ok((answer.bytes().await?.to_vec(), encoding))
}

/// The site files a page asks for (stylesheet, script, wasm), by the
/// addresses in its HTML.
pub(crate) fn site_files(html: &str) -> Vec<String> {
    let mut found: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/pkg/"))
        .map(str::to_string)
        .collect();
    found.dedup();
    found
}

/// A first visit to a page: the page and every site file it asks for, as
/// sent, in bytes; and the wasm's share.
pub(crate) struct FirstVisit {
    pub total: usize,
    pub wasm: usize,
    pub wasm_encoding: String,
    pub parts: Vec<(String, usize)>,
}

pub(crate) async fn first_visit(
    http: &reqwest::Client,
    base: &str,
    path: &str,
) -> Result<FirstVisit, Box<dyn std::error::Error>> {
    let (page, _) = as_sent(http, &format!("{base}{path}")).await?;
    // The addresses are read from the uncompressed page.
    let html = http
        .get(format!("{base}{path}"))
        .send()
        .await?
        .text()
        .await?;
    let mut visit = FirstVisit {
        total: page.len(),
        wasm: 0,
        wasm_encoding: String::new(),
        parts: vec![("HTML".into(), page.len())],
    };
    for file in site_files(&html) {
        let (body, encoding) = as_sent(http, &format!("{base}{file}")).await?;
        let kind = file.rsplit('.').next().unwrap_or_default().to_string();
        if kind == "wasm" {
            visit.wasm = body.len();
            visit.wasm_encoding = encoding;
        }
        visit.total += body.len();
        visit.parts.push((kind, body.len()));
    }
    Ok(visit)
}

#[cfg(test)]
mod tests {
    use super::site_files;

    #[test]
    fn a_page_asks_for_its_site_files_once_each() {
        let html = r#"<link rel="stylesheet" href="/pkg/yighin.a.css"><link rel="icon" href="/favicon.svg">
            <link rel="modulepreload" href="/pkg/yighin.b.js"><link rel="preload" href="/pkg/yighin.c.wasm">
            <a href="/events/x">x</a>"#;
        assert_eq!(
            site_files(html),
            [
                "/pkg/yighin.a.css",
                "/pkg/yighin.b.js",
                "/pkg/yighin.c.wasm"
            ]
        );
    }
}
