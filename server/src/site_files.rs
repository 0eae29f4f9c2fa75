//! The site's own files (wasm, JS, CSS): that the server names the ones
//! that were built, and how long browsers keep them.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;

/// Files named by their content's hash never change under that name: kept
/// for a year without asking again. Without hashed names (a build that did
/// not hash them), a browser asks each time whether its copy still holds.
pub async fn cache_site_files(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let pkg_dir: &str = &state.leptos_options.site_pkg_dir;
    let site_file = request
        .uri()
        .path()
        .strip_prefix('/')
        .and_then(|path| path.strip_prefix(pkg_dir))
        .is_some_and(|rest| rest.starts_with('/'));
    let mut response = next.run(request).await;
    if site_file && response.status() == StatusCode::OK {
        let rule = if state.leptos_options.hash_files {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
    }
    response
}

/// Checks, before serving, that the pages will name files that exist: a
/// build with hashed names needs its `hash.txt` (beside the binary) and the
/// site folder of the same build. Pages that name missing files would come
/// without their stylesheet and script, so the server says what is wrong
/// and does not start. Without any site folder it starts (every page works
/// without its files) and says so in the log.
pub fn check(site_root: &Path, hash_file: Option<&Path>) -> Result<(), String> {
    let pkg = site_root.join("pkg");
    if !pkg.is_dir() {
        tracing::warn!(
            "no site files in {}: pages are served without their stylesheet and script \
             (set YIGHIN_SITE_ROOT to the built site)",
            pkg.display()
        );
        return Ok(());
    }
    let Some(hash_file) = hash_file else {
        let hashed = std::fs::read_dir(&pkg)
            .into_iter()
            .flatten()
            .flatten()
            .any(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.starts_with("yighin.") && name.ends_with(".css") && name != "yighin.css"
            });
        return if hashed && !pkg.join("yighin.css").exists() {
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
        let file = pkg.join(format!("yighin.{hash}.{ext}"));
        if !file.exists() {
            return Err(format!(
                "{} names {}, which is not there: the site folder ({}) and the server binary \
                 come from different builds; use both from the same one",
                hash_file.display(),
                file.display(),
                site_root.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;
    use std::fs;

    #[test]
    fn the_server_starts_only_with_the_files_its_pages_name() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("pkg")).unwrap();
        let hashes = dir.path().join("hash.txt");
        fs::write(&hashes, "js: aaa\nwasm: bbb\ncss: ccc\n").unwrap();
        // No site folder at all, or an empty one.
        assert!(check(&dir.path().join("nowhere"), Some(&hashes)).is_ok());
        assert!(check(&site, None).is_ok());
        // A hashed build without its hash.txt.
        fs::write(site.join("pkg/yighin.ccc.css"), "").unwrap();
        let missing = check(&site, None).unwrap_err();
        assert!(missing.contains("no hash.txt"), "{missing}");
        // hash.txt of another build.
        let other = check(&site, Some(&hashes)).unwrap_err();
        assert!(other.contains("yighin.aaa.js"), "{other}");
        // The same build: all there.
        fs::write(site.join("pkg/yighin.aaa.js"), "").unwrap();
        fs::write(site.join("pkg/yighin.bbb.wasm"), "").unwrap();
        assert!(check(&site, Some(&hashes)).is_ok());
        // An unhashed build needs no hash.txt.
        fs::remove_file(site.join("pkg/yighin.ccc.css")).unwrap();
        fs::write(site.join("pkg/yighin.css"), "").unwrap();
        assert!(check(&site, None).is_ok());
    }
}
