//! The one error the web layer speaks: what server functions return, what
//! form handlers and routes answer with, and what the pages show. Service
//! errors convert into it; the details of a server-side failure are logged
//! once, where it is made, and never sent.

use crate::validation::FieldError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    NotSignedIn,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// What was sent is wrong, field by field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The event takes no answers now.
    #[error("closed")]
    Closed,
    /// Over a rate limit: try again after this many seconds.
    #[error("too many requests")]
    TooMany { retry_after: i64 },
    /// The database cannot be reached for now: try again shortly.
    #[error("temporarily unavailable")]
    Unavailable,
    /// Something failed on the server (the details are in its log).
    #[error("internal error")]
    Internal,
    /// The request did not get through to a server function: the network,
    /// or arguments it could not read.
    #[error("request failed: {0}")]
    Request(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::ServerError(_) | ServerFnErrorErr::Response(_) => AppError::Internal,
            other => AppError::Request(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;
    use crate::db::DbError;
    use crate::services::accounts::AccountError;
    use crate::services::organise::OrganiseError;
    use crate::services::rsvp::RsvpError;
    use crate::services::Failure;
    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::{IntoResponse, Response};

    /// Seconds a client is asked to wait while the database is away.
    pub const RETRY_AFTER_OUTAGE: i64 = 5;

    impl AppError {
        /// A failure on the server, logged here (once) with what failed:
        /// `Unavailable` when the database could not be reached, else
        /// `Internal`.
        pub fn from_failure(error: &impl Failure, what: &str) -> AppError {
            tracing::error!(%error, "{what} failed");
            if error.is_unavailable() {
                AppError::Unavailable
            } else {
                AppError::Internal
            }
        }

        pub fn status(&self) -> StatusCode {
            match self {
                AppError::NotSignedIn => StatusCode::UNAUTHORIZED,
                AppError::Forbidden => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Closed => StatusCode::CONFLICT,
                AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                AppError::Request(_) => StatusCode::BAD_REQUEST,
            }
        }

        /// When to try again, for the `Retry-After` header.
        pub fn retry_after(&self) -> Option<i64> {
            match self {
                AppError::TooMany { retry_after } => Some(*retry_after),
                AppError::Unavailable => Some(RETRY_AFTER_OUTAGE),
                _ => None,
            }
        }

        /// What a plain request (a form post, a calendar file) is told.
        fn message(&self) -> &'static str {
            match self {
                AppError::NotSignedIn => "Please sign in.",
                AppError::Forbidden => "You cannot manage this.",
                AppError::NotFound => "Not found.",
                AppError::Invalid(_) | AppError::Request(_) => "Invalid.",
                AppError::Closed => "This event does not take answers now.",
                AppError::TooMany { .. } => "Too many requests. Please try again later.",
                AppError::Unavailable => {
                    "The service is unavailable for a moment. Please try again shortly."
                }
                AppError::Internal => "Something went wrong. Please try again.",
            }
        }
    }

    /// Form handlers and routes answer an error here, in one way: its
    /// status, `Retry-After` when trying again later may work, never
    /// stored, and a plain sentence.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut response = (self.status(), self.message()).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Some(seconds) = self.retry_after() {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
    }

    impl From<DbError> for AppError {
        fn from(error: DbError) -> Self {
            match error {
                DbError::NotFound => AppError::NotFound,
                other => AppError::from_failure(&other, "a database request"),
            }
        }
    }

    impl From<RsvpError> for AppError {
        fn from(error: RsvpError) -> Self {
            match error {
                RsvpError::Invalid(errors) => AppError::Invalid(errors),
                RsvpError::Closed => AppError::Closed,
                RsvpError::NotFound => AppError::NotFound,
                RsvpError::Db(error) => error.into(),
            }
        }
    }

    impl From<OrganiseError> for AppError {
        fn from(error: OrganiseError) -> Self {
            match error {
                OrganiseError::NotSignedIn => AppError::NotSignedIn,
                OrganiseError::Forbidden => AppError::Forbidden,
                OrganiseError::NotFound => AppError::NotFound,
                OrganiseError::Invalid(errors) => AppError::Invalid(errors),
                OrganiseError::Csv(_) => AppError::from_failure(&error, "the CSV export"),
                OrganiseError::Db(error) => error.into(),
            }
        }
    }

    impl From<AccountError> for AppError {
        fn from(error: AccountError) -> Self {
            match error {
                AccountError::Invalid(errors) => AppError::Invalid(errors),
                AccountError::Db(error) => error.into(),
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::RETRY_AFTER_OUTAGE;
