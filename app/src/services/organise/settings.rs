//! Instance settings an admin changes while the server runs.

use super::*;

/// The names under which the "About" texts are stored: this, then the
/// language's tag.
const ABOUT_PREFIX: &str = "about.";

fn about_key(lang: Lang) -> String {
    format!("{ABOUT_PREFIX}{}", lang.tag())
}

/// Every "About" text the admin wrote, by its stored name (one query).
async fn about_texts(site: &Site) -> Result<Vec<(String, String)>, DbError> {
    crate::db::instance_values::values_with_prefix(&site.db, ABOUT_PREFIX).await
}

/// The "About" page in `lang`: the admin's text in that language, else in
/// the default one, else in any.
pub async fn about(site: &Site, lang: Lang) -> Result<crate::domain::AboutPage, DbError> {
    let settings = site.settings();
    let mut order = vec![lang, settings.default_lang];
    order.extend(Lang::ALL);
    let texts = about_texts(site).await?;
    let found = order.into_iter().find_map(|candidate| {
        let key = about_key(candidate);
        texts
            .iter()
            .find(|(name, text)| *name == key && !text.trim().is_empty())
            .map(|(_, text)| (candidate, text.clone()))
    });
    let (text_lang, html) = match found {
        Some((text_lang, text)) => (text_lang, crate::services::markdown_html(&text)),
        None => (lang, String::new()),
    };
    Ok(crate::domain::AboutPage {
        name: settings.instance_name.clone(),
        html,
        text_lang,
        retention_days: settings.retention_days,
    })
}

/// Settings an admin may change while the server runs, as stored.
const SETTING_NAMES: [&str; 5] = [
    "instance_name",
    "time_zone",
    "languages",
    "default_lang",
    "embed_origins",
];

/// When the settings (or the instance's address) last changed, as stored.
const SETTINGS_CHANGED_AT: &str = "settings_changed_at";

/// Records the instance's address at start-up; when it differs from the
/// one before, feeds (whose UIDs and links hold it) count as changed.
pub async fn note_base_url(site: &Site, now: i64) -> Result<(), DbError> {
    let base_url = site.settings().base_url.clone();
    if crate::db::instance_values::stored_value(&site.db, "base_url")
        .await?
        .as_deref()
        != Some(&base_url)
    {
        crate::db::instance_values::store_value(&site.db, "base_url", &base_url).await?;
        crate::db::instance_values::store_value(&site.db, SETTINGS_CHANGED_AT, &now.to_string())
            .await?;
    }
    Ok(())
}

/// Applies the settings admins stored over those the server started with.
/// Called at start-up, after a change, and now and then, so that every app
/// server on one database follows.
pub async fn apply_stored_settings(site: &Site) -> Result<(), DbError> {
    let mut settings = (*site.settings()).clone();
    if let Some(at) =
        crate::db::instance_values::stored_value(&site.db, SETTINGS_CHANGED_AT).await?
    {
        settings.changed_at = at.parse().unwrap_or(0);
    }
    for name in SETTING_NAMES {
        let Some(value) = crate::db::instance_values::stored_value(&site.db, name).await? else {
            continue;
        };
        match name {
            "instance_name" => settings.instance_name = value,
            "time_zone" => {
                if let Some(zone) = crate::time::parse_zone(&value) {
                    settings.default_zone = zone;
                }
            }
            "languages" => {
                let languages: Vec<Lang> = value.split(',').filter_map(Lang::from_tag).collect();
                if !languages.is_empty() {
                    settings.languages = languages;
                }
            }
            "embed_origins" => {
                settings.embed_origins = value
                    .split_whitespace()
                    .filter_map(|origin| crate::validation::check_origin(origin).ok())
                    .collect();
            }
            _ => {
                if let Some(lang) = Lang::from_tag(&value) {
                    settings.default_lang = lang;
                }
            }
        }
    }
    if !settings.languages.contains(&settings.default_lang) {
        settings.default_lang = settings.languages[0];
    }
    site.replace_settings(settings);
    Ok(())
}

/// The settings form, filled with the settings in force.
pub async fn settings_form(
    site: &Site,
    account: &AccountInfo,
) -> Result<EventFormData, OrganiseError> {
    require_admin(account)?;
    let settings = site.settings();
    let mut values = vec![
        ("instance_name".to_string(), settings.instance_name.clone()),
        ("time_zone".into(), settings.default_zone.name().into()),
        ("default_lang".into(), settings.default_lang.tag().into()),
        ("embed_origins".into(), settings.embed_origins.join("\n")),
    ];
    values.extend(
        settings
            .languages
            .iter()
            .map(|l| ("languages".to_string(), l.tag().to_string())),
    );
    values.extend(about_texts(site).await?);
    Ok(EventFormData {
        values,
        languages: Lang::ALL.to_vec(),
        ..Default::default()
    })
}

/// Stores new instance settings (name, zone, languages offered and the
/// default one) and puts them in force.
pub async fn save_settings(
    site: &Site,
    account: &AccountInfo,
    pairs: &[(String, String)],
    now: i64,
) -> Result<(), OrganiseError> {
    require_admin(account)?;
    let mut errors = Vec::new();
    let mut problem = |field: &str, problem: Problem| {
        errors.push(FieldError {
            field: field.into(),
            problem,
        })
    };
    let name = field(pairs, "instance_name").trim().to_string();
    let rule = crate::validation::TextRule::required(crate::domain::limits::INSTANCE_NAME).name();
    if let Some(p) = rule.check(&name) {
        problem("instance_name", p);
    }
    let zone = crate::time::parse_zone(field(pairs, "time_zone"));
    if zone.is_none() {
        problem("time_zone", Problem::UnknownTimeZone);
    }
    let languages: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| pairs.iter().any(|(k, v)| k == "languages" && v == l.tag()))
        .collect();
    if languages.is_empty() {
        problem("languages", Problem::Required);
    }
    let default_lang =
        Lang::from_tag(field(pairs, "default_lang")).filter(|l| languages.contains(l));
    if default_lang.is_none() && !languages.is_empty() {
        problem("default_lang", Problem::Invalid);
    }
    let abouts: Vec<(String, String)> = Lang::ALL
        .into_iter()
        .map(|lang| {
            let key = about_key(lang);
            let text = field(pairs, &key).replace("\r\n", "\n").trim().to_string();
            (key, text)
        })
        .collect();
    for (key, text) in &abouts {
        let rule = crate::validation::TextRule::optional(crate::domain::limits::ABOUT);
        if let Some(p) = rule.check(text) {
            problem(key, p);
        }
    }
    let mut origins = Vec::new();
    for text in field(pairs, "embed_origins").split_whitespace() {
        match crate::validation::check_origin(text) {
            Ok(origin) if !origins.contains(&origin) => origins.push(origin),
            Ok(_) => {}
            Err(p) => {
                problem("embed_origins", p);
                break;
            }
        }
    }
    let (Some(zone), Some(default_lang)) = (zone, default_lang) else {
        return Err(OrganiseError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(OrganiseError::Invalid(errors));
    }
    let tags: Vec<&str> = languages.iter().map(|l| l.tag()).collect();
    for (key, value) in [
        ("instance_name", name.as_str()),
        ("time_zone", zone.name()),
        ("languages", &tags.join(",")),
        ("default_lang", default_lang.tag()),
        ("embed_origins", &origins.join("\n")),
        (SETTINGS_CHANGED_AT, &now.to_string()),
    ] {
        crate::db::instance_values::store_value(&site.db, key, value).await?;
    }
    for (key, text) in &abouts {
        crate::db::instance_values::store_value(&site.db, key, text).await?;
    }
    apply_stored_settings(site).await?;
    crate::db::audit::audit(&site.db, Some(account), "changed the settings", "", now).await?;
    Ok(())
}
