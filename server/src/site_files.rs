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
use std::sync::{Arc, OnceLock};

/// Where the site's files come from: the binary itself (built with the
/// `embed-site` feature, as `cargo leptos build` builds it), or a folder
/// (`YIGHIN_SITE_ROOT`, or `target/site` in a binary that carries none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SiteSource {
    Carried,
    Folder(PathBuf),
}

/// Whether this binary carries the site's files.
pub const CARRIED: bool = cfg!(feature = "embed-site");

/// The built site inside the binary, with the file in which its build
/// named the files by their hashes.
#[cfg(feature = "embed-site")]
mod carried {
    #[derive(rust_embed::Embed)]
    #[folder = "../target/site/"]
    struct BuiltSite;

    pub const HASHES: &str = include_str!(env!("YIGHIN_SITE_HASH_FILE"));

    /// Every file, by its path under the site (`pkg/yighin.<hash>.css`).
    pub fn files() -> impl Iterator<Item = (String, axum::body::Bytes)> {
        BuiltSite::iter().filter_map(|name| {
            let data = BuiltSite::get(&name)?.data;
            let bytes = match data {
                std::borrow::Cow::Borrowed(bytes) => axum::body::Bytes::from_static(bytes),
                std::borrow::Cow::Owned(bytes) => axum::body::Bytes::from(bytes),
            };
            Some((name.into_owned(), bytes))
        })
    }
}

#[cfg(not(feature = "embed-site"))]
mod carried {
    pub const HASHES: &str = "";

    pub fn files() -> impl Iterator<Item = (String, axum::body::Bytes)> {
        std::iter::empty()
    }
}

/// The site's files by their address (`/pkg/yighin.<hash>.css`), as the
/// binary carries them or as read from the site folder at start-up.
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

/// Files read into memory from a folder at most, in all, in bytes; the
/// rest are not served.
const MOST_IN_MEMORY: u64 = 64 * 1024 * 1024;

impl SiteFiles {
    pub fn load(source: &SiteSource) -> SiteFiles {
        match source {
            SiteSource::Carried => SiteFiles::from_files(
                carried::files().map(|(path, bytes)| (format!("/{path}"), bytes)),
            ),
            SiteSource::Folder(root) => SiteFiles::read(root),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads the files under `root` (an absent folder gives none).
    fn read(root: &Path) -> SiteFiles {
        let mut files = Vec::new();
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
                let Some(address) = address_of(root, &path) else {
                    continue;
                };
                let Some(size) = entry.metadata().ok().map(|m| m.len()) else {
                    continue;
                };
                let Some(left) = budget.checked_sub(size) else {
                    continue;
                };
                if let Ok(bytes) = std::fs::read(&path) {
                    budget = left;
                    files.push((address, Bytes::from(bytes)));
                }
            }
        }
        SiteFiles::from_files(files)
    }

    /// The files from their addresses and contents, each with the brotli
    /// and gzip forms found beside it (`name.br`, `name.gz`).
    fn from_files(files: impl IntoIterator<Item = (String, Bytes)>) -> SiteFiles {
        let mut all: HashMap<String, Bytes> = files.into_iter().collect();
        let precompressed = |address: &str| address.ends_with(".br") || address.ends_with(".gz");
        let originals: Vec<String> = all.keys().filter(|a| !precompressed(a)).cloned().collect();
        let mut served = HashMap::with_capacity(originals.len());
        for address in originals {
            let brotli = all.remove(&format!("{address}.br"));
            let gzip = all.remove(&format!("{address}.gz"));
            let Some(identity) = all.get(&address).cloned() else {
                continue;
            };
            if let Some(file) = SiteFile::new(&address, identity, brotli, gzip) {
                served.insert(address, file);
            }
        }
        SiteFiles(Arc::new(served))
    }
}

/// `/pkg/yighin.css` for `root/pkg/yighin.css`.
fn address_of(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
    Some(format!("/{}", parts?.join("/")))
}

impl SiteFile {
    fn new(
        address: &str,
        identity: Bytes,
        brotli: Option<Bytes>,
        gzip: Option<Bytes>,
    ) -> Option<SiteFile> {
        let digest = sha2::Sha256::digest(&identity);
        let etag = format!(
            "W/\"{}\"",
            digest[..16]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        let content_type = mime_guess::from_path(address).first_or_octet_stream();
        Some(SiteFile {
            content_type: HeaderValue::from_str(content_type.as_ref()).ok()?,
            etag: HeaderValue::from_str(&etag).ok()?,
            identity,
            brotli,
            gzip,
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

/// Serves the site's files from memory; any other address goes on to the
/// pages (and an unknown one gets the "not found" page).
pub async fn serve_site_files(
    State(serving): State<Serving>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        if let Some(file) = serving.files.0.get(path) {
            let hashed = serving.hashed && path.starts_with(&*serving.pkg);
            return file.response(request.headers(), hashed);
        }
    }
    next.run(request).await
}

/// Where the pages read the names the build gave the site's files (Leptos
/// reads `hash.txt` beside the server binary, or the absolute path that
/// `options.hash_file` names).
pub fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    Some(
        std::env::current_exe()
            .ok()?
            .parent()?
            .join(options.hash_file.as_ref()),
    )
}

/// The names the carried site's build gave its files, as a file the pages
/// can read: Leptos reads them from a file on every page, and a binary
/// that carries its site needs no file beside it. A sealed file in memory
/// (Linux `memfd`), so that nothing is written anywhere; `None` (and an
/// error in the log) if one cannot be made.
pub fn carried_hash_file() -> Option<PathBuf> {
    static FILE: OnceLock<Option<(std::fs::File, PathBuf)>> = OnceLock::new();
    let made = FILE.get_or_init(|| {
        in_memory_file("yighin-site-names", carried::HASHES.as_bytes())
            .inspect_err(|error| {
                tracing::error!(%error, "cannot keep the site's file names in memory");
            })
            .ok()
    });
    made.as_ref().map(|(_, path)| path.clone())
}

/// A read-only file in memory holding `content`, and the path that opens it.
fn in_memory_file(name: &str, content: &[u8]) -> std::io::Result<(std::fs::File, PathBuf)> {
    use rustix::fs::{fcntl_add_seals, memfd_create, MemfdFlags, SealFlags};
    use std::io::Write;
    use std::os::fd::AsRawFd;
    let mut file = std::fs::File::from(memfd_create(
        name,
        MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
    )?);
    file.write_all(content)?;
    fcntl_add_seals(
        &file,
        SealFlags::WRITE | SealFlags::GROW | SealFlags::SHRINK | SealFlags::SEAL,
    )?;
    let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    Ok((file, path))
}

/// Checks, before serving, that the pages will name files that are
/// served: a build with hashed names needs its `hash.txt` (beside the
/// binary, or carried in it) and the site's files of the same build. Pages
/// that name missing files would come without their stylesheet and
/// script, so the server says what is wrong and does not start. Without
/// any site files it starts (every page works without them) and says so in
/// the log.
pub fn check(options: &LeptosOptions, files: &SiteFiles) -> Result<(), String> {
    let hashes = match hash_file(options).filter(|_| options.hash_files) {
        Some(path) => Some(
            std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        ),
        None => None,
    };
    let pkg = format!("/{}/", options.site_pkg_dir);
    check_files(files, &pkg, &options.output_name, hashes.as_deref())
}

/// [`check`] of `files`, whose built ones are `{pkg}name.<hash>.<ext>` (or
/// `{pkg}name.<ext>` unhashed), against the build's `hashes` if it has them.
fn check_files(
    files: &SiteFiles,
    pkg: &str,
    name: &str,
    hashes: Option<&str>,
) -> Result<(), String> {
    if files.0.is_empty() {
        tracing::warn!(
            "no site files: pages are served without their stylesheet and script \
             (set YIGHIN_SITE_ROOT to the built site, or build with `cargo leptos build`)"
        );
        return Ok(());
    }
    let built = |address: &String| {
        address
            .strip_prefix(pkg)
            .and_then(|file| file.strip_prefix(name))
            .and_then(|rest| rest.strip_prefix('.'))
            .map(str::to_string)
    };
    let Some(hashes) = hashes else {
        let mut rests = files.0.keys().filter_map(built);
        let hashed_css = rests.any(|rest| rest.ends_with(".css") && rest != "css");
        let unhashed_css = files.0.contains_key(&format!("{pkg}{name}.css"));
        return if hashed_css && !unhashed_css {
            Err(
                "the site's files are named by their hashes, but there is no hash.txt beside \
                 the server binary to say which: copy the build's hash.txt \
                 (target/release/hash.txt) next to it"
                    .to_string(),
            )
        } else {
            Ok(())
        };
    };
    for line in hashes.lines() {
        let Some((ext, hash)) = line.split_once(':') else {
            continue;
        };
        let (ext, hash) = (ext.trim(), hash.trim());
        if !matches!(ext, "css" | "js" | "wasm") {
            continue;
        }
        let address = format!("{pkg}{name}.{hash}.{ext}");
        if !files.0.contains_key(&address) {
            return Err(format!(
                "the build's hash.txt names {address}, which is not among the site's files: \
                 the site folder and the server binary come from different builds; use both \
                 from the same one"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{accepts, check_files, in_memory_file, SiteFiles};
    use axum::body::Bytes;

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

    #[test]
    fn the_server_starts_only_with_the_files_its_pages_name() {
        let hashes = "js: aaa\nwasm: bbb\ncss: ccc\n";
        let check = |names: &[&str], hashes: Option<&str>| {
            let files = SiteFiles::from_files(
                names
                    .iter()
                    .map(|name| (name.to_string(), Bytes::from_static(b""))),
            );
            check_files(&files, "/pkg/", "yighin", hashes)
        };
        // No site files at all.
        assert!(check(&[], Some(hashes)).is_ok());
        assert!(check(&["/favicon.ico"], None).is_ok());
        // A hashed build without its hash.txt.
        let missing = check(&["/pkg/yighin.ccc.css"], None).unwrap_err();
        assert!(missing.contains("no hash.txt"), "{missing}");
        // hash.txt of another build.
        let other = check(&["/pkg/yighin.ccc.css"], Some(hashes)).unwrap_err();
        assert!(other.contains("/pkg/yighin.aaa.js"), "{other}");
        // The same build: all there.
        let built = [
            "/pkg/yighin.aaa.js",
            "/pkg/yighin.bbb.wasm",
            "/pkg/yighin.ccc.css",
        ];
        assert!(check(&built, Some(hashes)).is_ok());
        // An unhashed build needs no hash.txt.
        assert!(check(&["/pkg/yighin.css", "/pkg/yighin.js"], None).is_ok());
    }

    #[test]
    fn precompressed_forms_go_with_their_file() {
        let files = SiteFiles::from_files([
            ("/pkg/a.wasm".to_string(), Bytes::from_static(b"wasm")),
            ("/pkg/a.wasm.br".to_string(), Bytes::from_static(b"br")),
            ("/pkg/a.wasm.gz".to_string(), Bytes::from_static(b"gz")),
            ("/orphan.css.br".to_string(), Bytes::from_static(b"br")),
        ]);
        assert_eq!(files.0.len(), 1);
        let wasm = &files.0["/pkg/a.wasm"];
        assert_eq!(wasm.brotli.as_deref(), Some(&b"br"[..]));
        assert_eq!(wasm.gzip.as_deref(), Some(&b"gz"[..]));
        assert_eq!(wasm.content_type, "application/wasm");
    }

    #[test]
    fn the_names_in_memory_read_like_a_file() {
        let (_file, path) = in_memory_file("test-names", b"js: aaa\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "js: aaa\n");
        // Sealed: nothing can change what the pages read.
        assert!(std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut f| {
                use std::io::Write;
                f.write_all(b"x")
            })
            .is_err());
    }
}
