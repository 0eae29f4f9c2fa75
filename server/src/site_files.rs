//! The site's own files (wasm, JS, CSS, icons): read once at start-up and
//! served from memory, in the encoding the browser accepts; that the
//! server names the ones that were built; and how long browsers keep them.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use sha2::Digest;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The site's files by their address (`/pkg/yighin.<hash>.css`), as read
/// from the site folder when the server started. A file put there later
/// is served from the folder.
#[derive(Clone, Default)]
pub struct SiteFiles(Arc<HashMap<String, SiteFile>>);

struct SiteFile {
    content_type: HeaderValue,
    /// The same for every encoding: the content is the same.
    etag: HeaderValue,
    /// As built, and brotli and gzip as the release build wrote them.
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// Files read into memory at most, in all, in bytes; the rest stay on disk.
const MOST_IN_MEMORY: u64 = 64 * 1024 * 1024;

impl SiteFiles {
    /// Reads the files under `root` (an absent folder gives none).
    pub fn read(root: &Path) -> SiteFiles {
        let mut files = HashMap::new();
        let mut budget = MOST_IN_MEMORY;
        let mut folders = vec![root.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    folders.push(path);
                    continue;
                }
                let precompressed =
                    matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz"));
                let Some(address) = address_of(root, &path).filter(|_| !precompressed) else {
                    continue;
                };
                if let Some(file) = SiteFile::read(&path, &mut budget) {
                    files.insert(address, file);
                }
            }
        }
        SiteFiles(Arc::new(files))
    }
}

/// `/pkg/yighin.css` for `root/pkg/yighin.css`.
fn address_of(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
    Some(format!("/{}", parts?.join("/")))
}

impl SiteFile {
    fn read(path: &Path, budget: &mut u64) -> Option<SiteFile> {
        let mut take = |path: &Path| -> Option<Bytes> {
            let size = std::fs::metadata(path).ok()?.len();
            *budget = budget.checked_sub(size)?;
            std::fs::read(path).ok().map(Bytes::from)
        };
        let identity = take(path)?;
        let beside = |extension: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(extension);
            PathBuf::from(name)
        };
        let digest = sha2::Sha256::digest(&identity);
        let etag = format!(
            "W/\"{}\"",
            digest[..16]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        let content_type = mime_guess::from_path(path).first_or_octet_stream();
        Some(SiteFile {
            content_type: HeaderValue::from_str(content_type.as_ref()).ok()?,
            etag: HeaderValue::from_str(&etag).ok()?,
            brotli: take(&beside(".br")),
            gzip: take(&beside(".gz")),
            identity,
        })
    }

    /// The file as the request accepts it, or `304` when its copy holds.
    fn response(&self, request: &HeaderMap, hashed: bool) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::CACHE_CONTROL, cache_rule(hashed));
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let ours = self.etag.to_str().unwrap_or_default();
        if crate::http::none_match(request, ours) == Some(true) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let (body, encoding) = match (&self.brotli, &self.gzip) {
            (Some(brotli), _) if accepts(request, "br") => (brotli, Some("br")),
            (_, Some(gzip)) if accepts(request, "gzip") => (gzip, Some("gzip")),
            _ => (&self.identity, None),
        };
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        (headers, Body::from(body.clone())).into_response()
    }
}

/// Whether `Accept-Encoding` takes `coding` (named, with a weight above 0).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0));
            name.eq_ignore_ascii_case(coding) && weight > 0.0
        })
}

/// Files named by their content's hash never change under that name: kept
/// for a year without asking again. Without hashed names (a build that did
/// not hash them), a browser asks each time whether its copy still holds.
fn cache_rule(hashed: bool) -> HeaderValue {
    HeaderValue::from_static(if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    })
}

/// What serving the site's files needs on each request: the files, where
/// the built ones live (`/pkg/`), and whether their names carry hashes.
#[derive(Clone)]
pub struct Serving {
    files: SiteFiles,
    pkg: Arc<str>,
    hashed: bool,
}

impl Serving {
    pub fn new(options: &LeptosOptions, files: &SiteFiles) -> Serving {
        Serving {
            files: files.clone(),
            pkg: format!("/{}/", options.site_pkg_dir).into(),
            hashed: options.hash_files,
        }
    }
}

/// Serves the site's files from memory, and gives those of the build read
/// from the folder their rule (see [`cache_rule`]).
pub async fn serve_site_files(
    State(serving): State<Serving>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let site_file = path.starts_with(&*serving.pkg);
    let hashed = site_file && serving.hashed;
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        if let Some(file) = serving.files.0.get(path) {
            return file.response(request.headers(), hashed);
        }
    }
    let mut response = next.run(request).await;
    if site_file && response.status() == StatusCode::OK {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, cache_rule(hashed));
    }
    response
}

/// Where a build that names the site's files by their hashes writes the
/// file that says which (`hash.txt`): beside the server binary, where the
/// pages read it.
pub fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    Some(
        std::env::current_exe()
            .ok()?
            .parent()?
            .join(options.hash_file.as_ref()),
    )
}

/// Checks, before serving, that the pages will name files that exist: a
/// build with hashed names needs its `hash.txt` (beside the binary) and the
/// site folder of the same build. Pages that name missing files would come
/// without their stylesheet and script, so the server says what is wrong
/// and does not start. Without any site folder it starts (every page works
/// without its files) and says so in the log.
pub fn check(options: &LeptosOptions) -> Result<(), String> {
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let hash_file = hash_file(options).filter(|_| options.hash_files);
    check_files(&pkg, &options.output_name, hash_file.as_deref())
}

/// [`check`] of the folder `pkg`, whose files are named `name.<hash>.<ext>`
/// (or `name.<ext>` unhashed), against `hash_file` when there is one.
fn check_files(pkg: &Path, name: &str, hash_file: Option<&Path>) -> Result<(), String> {
    if !pkg.is_dir() {
        tracing::warn!(
            "no site files in {}: pages are served without their stylesheet and script \
             (set YIGHIN_SITE_ROOT to the built site)",
            pkg.display()
        );
        return Ok(());
    }
    let unhashed_css = format!("{name}.css");
    let Some(hash_file) = hash_file else {
        let hashed = std::fs::read_dir(pkg)
            .into_iter()
            .flatten()
            .flatten()
            .any(|entry| {
                let file = entry.file_name().to_string_lossy().into_owned();
                file.starts_with(&format!("{name}."))
                    && file.ends_with(".css")
                    && file != unhashed_css
            });
        return if hashed && !pkg.join(&unhashed_css).exists() {
            Err(format!(
                "{} holds files named by their hashes, but there is no hash.txt beside the \
                 server binary to say which: copy the build's hash.txt (target/release/hash.txt) \
                 next to it",
                pkg.display()
            ))
        } else {
            Ok(())
        };
    };
    let hashes = std::fs::read_to_string(hash_file)
        .map_err(|e| format!("cannot read {}: {e}", hash_file.display()))?;
    for line in hashes.lines() {
        let Some((ext, hash)) = line.split_once(':') else {
            continue;
        };
        let (ext, hash) = (ext.trim(), hash.trim());
        if !matches!(ext, "css" | "js" | "wasm") {
            continue;
        }
        let file = pkg.join(format!("{name}.{hash}.{ext}"));
        if !file.exists() {
            return Err(format!(
                "{} names {}, which is not there: the site folder and the server binary \
                 come from different builds; use both from the same one",
                hash_file.display(),
                file.display(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{accepts, check_files};

    #[test]
    fn encodings_are_taken_by_name_and_weight() {
        let with = |value: &str| {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert(axum::http::header::ACCEPT_ENCODING, value.parse().unwrap());
            headers
        };
        assert!(accepts(&with("gzip, deflate, br"), "br"));
        assert!(accepts(&with("br;q=0.5, gzip"), "br"));
        assert!(!accepts(&with("br;q=0, gzip"), "br"));
        assert!(!accepts(&with("gzip"), "br"));
        assert!(!accepts(&axum::http::HeaderMap::new(), "gzip"));
    }
    use std::fs;

    #[test]
    fn the_server_starts_only_with_the_files_its_pages_name() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("pkg")).unwrap();
        let check = |hash_file: Option<&std::path::Path>| {
            check_files(&site.join("pkg"), "yighin", hash_file)
        };
        let hashes = dir.path().join("hash.txt");
        let hashes = hashes.as_path();
        fs::write(hashes, "js: aaa\nwasm: bbb\ncss: ccc\n").unwrap();
        // No site folder at all, or an empty one.
        assert!(check_files(&dir.path().join("nowhere"), "yighin", Some(hashes)).is_ok());
        assert!(check(None).is_ok());
        // A hashed build without its hash.txt.
        fs::write(site.join("pkg/yighin.ccc.css"), "").unwrap();
        let missing = check(None).unwrap_err();
        assert!(missing.contains("no hash.txt"), "{missing}");
        // hash.txt of another build.
        let other = check(Some(hashes)).unwrap_err();
        assert!(other.contains("yighin.aaa.js"), "{other}");
        // The same build: all there.
        fs::write(site.join("pkg/yighin.aaa.js"), "").unwrap();
        fs::write(site.join("pkg/yighin.bbb.wasm"), "").unwrap();
        assert!(check(Some(hashes)).is_ok());
        // An unhashed build needs no hash.txt.
        fs::remove_file(site.join("pkg/yighin.ccc.css")).unwrap();
        fs::write(site.join("pkg/yighin.css"), "").unwrap();
        assert!(check(None).is_ok());
    }
}
