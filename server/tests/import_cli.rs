//! `yighin import`, as an organiser runs it from a shell.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../app/tests/ics")
        .join(name)
}

fn yighin(database: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yighin"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}", database.display()))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn importing_twice_adds_once_and_a_broken_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("import.db");
    let google = sample("google.ics");
    let google = google.to_str().unwrap();

    let first = yighin(&database, &["import", google, "--kind", "demonstration"]);
    assert!(first.status.success(), "{first:?}");
    assert!(
        stdout(&first).contains("3 new, 0 updated, 0 unchanged, 0 skipped"),
        "{}",
        stdout(&first)
    );
    let second = yighin(&database, &["import", google]);
    assert!(second.status.success());
    assert!(
        stdout(&second).contains("0 new, 0 updated, 3 unchanged, 0 skipped"),
        "{}",
        stdout(&second)
    );

    let apple = yighin(
        &database,
        &["import", sample("apple.ics").to_str().unwrap()],
    );
    assert!(
        stdout(&apple)
            .contains("note: \"Language class\": it repeats; only its first date is imported"),
        "{}",
        stdout(&apple)
    );

    // Bad entries are named, with the reason; the good ones still arrive.
    let broken = yighin(
        &database,
        &["import", sample("broken.ics").to_str().unwrap()],
    );
    assert!(broken.status.success(), "{broken:?}");
    let report = stdout(&broken);
    assert!(
        report.contains("2 new, 0 updated, 0 unchanged, 11 skipped"),
        "{report}"
    );
    for expected in [
        "(line 10, \"No start\", UID no-start@example.org) skipped: it has no DTSTART",
        "its time zone \"Mars/Olympus_Mons\" is unknown",
        "end: the end is not after the start",
        "start: skipped by a daylight-saving change",
        "(line 42) skipped: it is not UTF-8 text",
        "(line 66) skipped: it has no END:VEVENT",
    ] {
        assert!(report.contains(expected), "{expected:?} in\n{report}");
    }

    // A file with nothing importable fails; so does a missing one.
    let empty = dir.path().join("empty.ics");
    std::fs::write(
        &empty,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let failed = yighin(&database, &["import", empty.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("no event in the file could be imported")
    );
    let missing = yighin(&database, &["import", "/nonexistent.ics"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent.ics"));
}
