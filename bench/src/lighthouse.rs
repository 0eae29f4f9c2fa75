//! Lighthouse (mobile, its default throttling) on the pages a member opens,
//! driven through Debian's Chromium. Part of the benchmark, not the tests:
//! a score depends on the machine's load.

use std::path::Path;
use std::process::Command;

/// What one Lighthouse run found on one page.
#[derive(Debug)]
pub(crate) struct Scores {
    pub performance: f64,
    pub accessibility: f64,
    pub best_practices: f64,
    pub seo: f64,
    pub lcp_ms: f64,
    pub cls: f64,
    pub bytes: f64,
}

const CHROME_FLAGS: &str = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync";

/// Runs Lighthouse on `url`; a run that Chromium spoils (no navigation
/// start, which happens now and then) is tried again, up to three times.
pub(crate) fn audit(lighthouse: &Path, url: &str) -> Result<Scores, String> {
    let mut last_error = String::new();
    for _ in 0..3 {
        let out = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
        let status = Command::new(lighthouse)
            .arg(url)
            .args([
                "--quiet",
                "--output=json",
                "--form-factor=mobile",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-path=/usr/bin/chromium",
            ])
            .arg(format!("--chrome-flags={CHROME_FLAGS}"))
            .arg(format!("--output-path={}", out.path().display()))
            .status()
            .map_err(|e| format!("cannot start {}: {e}", lighthouse.display()))?;
        let report = std::fs::read_to_string(out.path()).unwrap_or_default();
        match parse(&report) {
            Ok(scores) if status.success() => return Ok(scores),
            Ok(_) => last_error = format!("lighthouse exited with {status}"),
            Err(error) => last_error = error,
        }
    }
    Err(last_error)
}

/// The scores and figures of a Lighthouse JSON report.
fn parse(report: &str) -> Result<Scores, String> {
    let json: serde_json::Value = serde_json::from_str(report).map_err(|e| e.to_string())?;
    if let Some(error) = json.get("runtimeError") {
        return Err(format!("lighthouse: {}", error["code"]));
    }
    let score = |category: &str| {
        json["categories"][category]["score"]
            .as_f64()
            .ok_or(format!("no {category} score"))
    };
    let figure = |audit: &str| {
        json["audits"][audit]["numericValue"]
            .as_f64()
            .unwrap_or(f64::NAN)
    };
    Ok(Scores {
        performance: score("performance")?,
        accessibility: score("accessibility")?,
        best_practices: score("best-practices")?,
        seo: score("seo")?,
        lcp_ms: figure("largest-contentful-paint"),
        cls: figure("cumulative-layout-shift"),
        bytes: figure("total-byte-weight"),
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_report_gives_its_scores_and_a_spoilt_run_an_error() {
        let report = r#"{"categories": {"performance": {"score": 0.99}, "accessibility": {"score": 1},
            "best-practices": {"score": 1}, "seo": {"score": 0.92}},
            "audits": {"largest-contentful-paint": {"numericValue": 1234.5},
            "cumulative-layout-shift": {"numericValue": 0}, "total-byte-weight": {"numericValue": 64000}}}"#;
        let scores = parse(report).unwrap();
        assert_eq!(
            (scores.performance, scores.accessibility, scores.seo),
            (0.99, 1.0, 0.92)
        );
        assert_eq!(
            (scores.lcp_ms, scores.cls, scores.bytes),
            (1234.5, 0.0, 64000.0)
        );
        let spoilt = r#"{"runtimeError": {"code": "NO_NAVSTART"}, "categories": {}}"#;
        assert!(parse(spoilt).unwrap_err().contains("NO_NAVSTART"));
    }
}
