//! The site's own files (wasm, JS, CSS): that the server names the ones
//! that were built, and how long browsers keep them.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::config::LeptosOptions;
use std::path::{Path, PathBuf};

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
    use super::check_files;
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
