//! Generates the `i18n` module from `locales/*.json` with leptos_i18n: the
//! keys become checked identifiers, so a missing English string or a
//! misspelt key does not compile.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let mut config = Config::new("en")?
        .add_locale("fr")?
        .add_locale("ug-Latn")?
        .add_locale("ug-Arab")?;
    // Strings with values are also needed as plain text (titles, attributes,
    // calendar names), not only as views.
    config.options = ParseOptions::new().interpolate_display(true);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
