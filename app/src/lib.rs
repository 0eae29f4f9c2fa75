//! Yighin's shared code: domain, translations, pages, and (with the `ssr`
//! feature) the database and the services that the server functions call.

pub mod accounts;
pub mod api;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod notices;
pub mod organise;
pub mod pages;
pub mod paths;
pub mod phase;
pub mod rsvp;
pub mod time;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod ical;
#[cfg(feature = "ssr")]
pub mod sealing;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod web;

pub use pages::{shell, App};
