//! Organiser and admin accounts: roles and the rules for names and
//! passwords, shared by the server and the browser.

use crate::validation::{FieldError, Problem, TextRule};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Everything: every event, accounts, settings, the audit log.
    Admin,
    /// Creates events and manages the ones they organise.
    Organiser,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organiser => "organiser",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Admin, Role::Organiser]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// The signed-in account, as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

impl AccountInfo {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

pub mod limits {
    pub const USERNAME: usize = 40;
    pub const DISPLAY_NAME: usize = 80;
    /// As OWASP ASVS asks: at least 12 characters, and long passphrases welcome.
    pub const PASSWORD_MIN: usize = 12;
    pub const PASSWORD_MAX: usize = 128;
}

/// A username as stored: trimmed, lower-case letters, digits, `.`, `_`, `-`.
pub fn normalize_username(text: &str) -> Result<String, Problem> {
    let name = text.trim().to_lowercase();
    if name.is_empty() {
        return Err(Problem::Required);
    }
    if name.chars().count() > limits::USERNAME {
        return Err(Problem::TooLong {
            max: limits::USERNAME,
        });
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err(Problem::InvalidSlug);
    }
    Ok(name)
}

/// Length is the rule; any character is allowed, spaces included.
pub fn check_password(password: &str) -> Option<Problem> {
    let length = password.chars().count();
    if length < limits::PASSWORD_MIN {
        Some(Problem::TooShort {
            min: limits::PASSWORD_MIN,
        })
    } else if length > limits::PASSWORD_MAX {
        Some(Problem::TooLong {
            max: limits::PASSWORD_MAX,
        })
    } else {
        None
    }
}

/// What an admin submits to create an account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAccountForm {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
}

/// A valid new account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
}

impl NewAccountForm {
    pub fn validate(&self) -> Result<NewAccount, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut problem = |field: &str, problem| {
            errors.push(FieldError {
                field: field.into(),
                problem,
            })
        };
        let username = normalize_username(&self.username)
            .map_err(|p| problem("username", p))
            .ok();
        let display_name = self.display_name.trim();
        if let Some(p) = TextRule::optional(limits::DISPLAY_NAME)
            .name()
            .check(display_name)
        {
            problem("display_name", p);
        }
        if let Some(p) = check_password(&self.password) {
            problem("password", p);
        }
        let role = Role::parse(&self.role);
        if role.is_none() {
            problem("role", Problem::Required);
        }
        match (username, role) {
            (Some(username), Some(role)) if errors.is_empty() => Ok(NewAccount {
                display_name: if display_name.is_empty() {
                    username.clone()
                } else {
                    display_name.to_string()
                },
                username,
                password: self.password.clone(),
                role,
            }),
            _ => Err(errors),
        }
    }
}

/// One line of the audit log, as admins read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_case_and_plain() {
        assert_eq!(normalize_username("  Aygul.K "), Ok("aygul.k".into()));
        assert_eq!(normalize_username(""), Err(Problem::Required));
        assert_eq!(normalize_username("ay gul"), Err(Problem::InvalidSlug));
        assert_eq!(normalize_username("ئايگۈل"), Err(Problem::InvalidSlug));
    }

    #[test]
    fn passwords_need_length_not_composition() {
        assert_eq!(check_password("short"), Some(Problem::TooShort { min: 12 }));
        assert_eq!(check_password("correct horse battery"), None);
        assert_eq!(check_password("ئۇيغۇرچە پارول ياخشى"), None);
        assert_eq!(
            check_password(&"x".repeat(129)),
            Some(Problem::TooLong { max: 128 })
        );
    }

    #[test]
    fn a_new_account_needs_a_name_a_password_and_a_role() {
        let form = NewAccountForm {
            username: "Nur".into(),
            display_name: String::new(),
            password: "a long enough passphrase".into(),
            role: "organiser".into(),
        };
        let account = form.validate().unwrap();
        assert_eq!(
            (account.username.as_str(), account.display_name.as_str()),
            ("nur", "nur")
        );
        let bad = NewAccountForm {
            role: "root".into(),
            password: "short".into(),
            ..form
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["password", "role"]);
    }
}
