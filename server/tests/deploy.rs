//! The deployment examples in `deploy/`, checked by the programs that will
//! read them: the systemd unit by `systemd-analyze`, the Caddyfile by
//! `caddy validate`, the nginx site by `nginx -t`, the onion service by
//! `tor --verify-config`. The test command installs them (Debian's
//! `systemd`, `caddy`, `nginx-light`, `openssl`, `tor`).

mod common;

use common::said;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deploy(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy")
        .join(name)
}

fn run(program: &str, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(program);
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command
        .output()
        .unwrap_or_else(|error| panic!("{program}: {error} (the test command installs it)"))
}

/// The unit, pointed at this build's binary (verify checks that it exists).
fn unit_here(dir: &Path) -> PathBuf {
    let unit = std::fs::read_to_string(deploy("yighin.service"))
        .unwrap()
        .replace("/opt/yighin/yighin", env!("CARGO_BIN_EXE_yighin"));
    let path = dir.join("yighin.service");
    std::fs::write(&path, unit).unwrap();
    path
}

#[test]
fn the_systemd_unit_is_valid_and_confined() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_here(dir.path());
    let verified = run("systemd-analyze", &["verify", unit.to_str().unwrap()], &[]);
    // Unknown or misspelt settings are only warned about: any word is a
    // failure.
    assert!(
        verified.status.success() && said(&verified).trim().is_empty(),
        "{}",
        said(&verified)
    );
    let text = std::fs::read_to_string(&unit).unwrap();
    for line in [
        "User=yighin",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "StateDirectory=yighin",
        "Restart=on-failure",
        "UMask=0077",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}");
    }
    let security = run(
        "systemd-analyze",
        &["security", "--offline=true", unit.to_str().unwrap()],
        &[],
    );
    let report = said(&security);
    let level = report
        .lines()
        .find_map(|l| {
            l.split("Overall exposure level for yighin.service: ")
                .nth(1)
        })
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("{report}"));
    println!("systemd-analyze security: exposure {level} (0 best, 10 worst)");
    assert!(level <= 2.0, "{report}");
}

#[test]
fn the_caddyfile_is_valid_and_logs_no_requests() {
    let home = tempfile::tempdir().unwrap();
    let caddyfile = deploy("Caddyfile");
    let validated = run(
        "caddy",
        &[
            "validate",
            "--config",
            caddyfile.to_str().unwrap(),
            "--adapter",
            "caddyfile",
        ],
        &[("HOME", home.path()), ("XDG_DATA_HOME", home.path())],
    );
    assert!(validated.status.success(), "{}", said(&validated));
    let text = std::fs::read_to_string(&caddyfile).unwrap();
    assert!(
        !text
            .lines()
            .map(str::trim_start)
            .filter(|l| !l.starts_with('#'))
            .any(|l| l.starts_with("log")),
        "Caddy writes an access log only where a `log` directive asks"
    );
}

#[test]
fn the_nginx_site_is_valid_and_logs_no_requests() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let made = run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=events.example.org",
            "-keyout",
            &at("key.pem"),
            "-out",
            &at("cert.pem"),
        ],
        &[],
    );
    assert!(made.status.success(), "{}", said(&made));
    let site = std::fs::read_to_string(deploy("nginx.conf")).unwrap();
    assert_eq!(
        site.matches("server {").count(),
        site.matches("access_log off;").count(),
        "every server block writes no access log"
    );
    let site = site
        .replace(
            "/etc/letsencrypt/live/events.example.org/fullchain.pem",
            &at("cert.pem"),
        )
        .replace(
            "/etc/letsencrypt/live/events.example.org/privkey.pem",
            &at("key.pem"),
        )
        .replace("/var/log/nginx/", &at(""));
    std::fs::write(at("yighin.conf"), site).unwrap();
    std::fs::write(
        at("nginx.conf"),
        format!(
            "pid {};\nerror_log {};\nevents {{}}\nhttp {{\n    access_log off;\n    include {};\n}}\n",
            at("nginx.pid"),
            at("error.log"),
            at("yighin.conf")
        ),
    )
    .unwrap();
    // Debian puts it in /usr/sbin, which not every PATH holds.
    let nginx = ["/usr/sbin/nginx", "nginx"]
        .into_iter()
        .find(|p| !p.starts_with('/') || Path::new(p).exists())
        .unwrap_or("nginx");
    let tested = run(nginx, &["-t", "-p", &at(""), "-c", &at("nginx.conf")], &[]);
    assert!(tested.status.success(), "{}", said(&tested));
}

#[test]
fn the_onion_service_is_valid_and_leads_to_the_onion_listener() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let example = std::fs::read_to_string(deploy("torrc")).unwrap();
    let default_listen = yighin::config::Config::for_database("sqlite://unused.db").onion_listen;
    assert!(
        example.contains(&format!("HiddenServicePort 80 {default_listen}")),
        "the example leads to YIGHIN_ONION_LISTEN's default"
    );
    // Tor wants its folders its user's own; this one's, here.
    for folder in ["data", "service"] {
        std::fs::create_dir(at(folder)).unwrap();
        std::fs::set_permissions(
            at(folder),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
    }
    let torrc = format!(
        "DataDirectory {}\nSocksPort 0\n{}",
        at("data"),
        example.replace("/var/lib/tor/yighin/", &at("service"))
    );
    std::fs::write(at("torrc"), torrc).unwrap();
    let verified = run(
        "tor",
        &[
            "--verify-config",
            "-f",
            &at("torrc"),
            "--defaults-torrc",
            "/dev/null",
        ],
        &[],
    );
    assert!(verified.status.success(), "{}", said(&verified));
}
