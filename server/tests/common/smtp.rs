//! A real SMTP server on loopback (Python's aiosmtpd, `smtp_sink.py`).

use super::free_port;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// An SMTP server taking mail into a folder until dropped.
pub struct Sink {
    child: Child,
    pub port: u16,
    pub folder: PathBuf,
}

impl Sink {
    pub fn start(dir: &Path, options: &[&str]) -> Sink {
        let port = free_port();
        let folder = dir.join(format!("received-{port}"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&folder)
            .args(options)
            .stdout(Stdio::piped())
            .spawn()
            .expect("Debian's python3 with aiosmtpd (scripts/setup.sh installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        Sink {
            child,
            port,
            folder,
        }
    }

    /// The messages taken, each with its envelope's recipients.
    pub fn received(&self) -> Vec<(String, String)> {
        let mut messages = Vec::new();
        for number in 1.. {
            let Ok(message) = std::fs::read_to_string(self.folder.join(format!("{number}.eml")))
            else {
                break;
            };
            let recipients =
                std::fs::read_to_string(self.folder.join(format!("{number}.rcpt"))).unwrap();
            messages.push((message, recipients));
        }
        messages
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
