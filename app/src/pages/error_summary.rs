//! The errors of a form, above it, each a link to its field, in the
//! reader's language: focused (`autofocus`) when the page comes back with
//! them, so that a screen reader and a phone's viewport go there.

use super::messages::problem_message;
use super::use_lang;
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn ErrorSummary(
    errors: Signal<Vec<FieldError>>,
    /// The id prefix of the form's fields: `rsvp` for `rsvp-name`,
    /// `field` for the editor's `field-title-en`.
    prefix: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Show when=move || !errors.read().is_empty()>
            <div class="error-summary" role="alert" tabindex="-1" autofocus>
                <p>{tr!(lang, form_has_errors)}</p>
                <ul>
                    {move || errors.get().into_iter().map(|error| {
                        let message = problem_message(lang, error.problem);
                        let text = match field_label(lang, &error.field) {
                            Some(label) => format!("{label}: {message}"),
                            None => message,
                        };
                        view! { <li><a href=target(prefix, &error.field)>{text}</a></li> }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// Where an error's link leads: its field, or the form's top for an error
/// of the whole form (saved by someone else meanwhile).
fn target(prefix: &str, field: &str) -> String {
    match field {
        "answer" => format!("#{prefix}-answer-going"),
        "version" => "#main".to_string(),
        _ => format!("#{prefix}-{}", field.replace('.', "-")),
    }
}

/// A field's label, with its language for a translated text ("Title
/// (Français)"); `None` for an error of the whole form.
fn field_label(lang: Lang, field: &str) -> Option<String> {
    if let Some((name, tag)) = field.split_once('.') {
        let language = Lang::ALL
            .iter()
            .find(|l| l.tag() == tag)
            .map_or_else(|| tag.to_string(), |l| l.native_name().to_string());
        return field_label(lang, name).map(|label| format!("{label} ({language})"));
    }
    let label = match field {
        "version" => return None,
        "answer" => tr!(lang, answer_label),
        "guests" => tr!(lang, guests_label),
        "name" => tr!(lang, name_label),
        "contact" => tr!(lang, contact_label),
        "note" => tr!(lang, note_label),
        "title" => tr!(lang, title_label),
        "summary" => tr!(lang, summary_label),
        "description" => tr!(lang, description_label),
        "start" => tr!(lang, start_label),
        "end" => tr!(lang, end_label),
        "time_zone" => tr!(lang, zone_label),
        "venue_name" => tr!(lang, venue_label),
        "venue_address" => tr!(lang, address_label),
        "city" => tr!(lang, filter_city),
        "online_url" => tr!(lang, online_label),
        "capacity" => tr!(lang, capacity_label),
        "slug" => tr!(lang, slug_label),
        "public_title" => tr!(lang, public_title_label),
        "reveal_hours" => tr!(lang, reveal_hours_label),
        "approval_required" => tr!(lang, approval_label),
        "count_threshold" => tr!(lang, count_threshold_label),
        "deadline" => tr!(lang, deadline_label),
        "kind" => tr!(lang, filter_kind),
        "original_lang" => tr!(lang, original_language),
        other => return Some(other.to_string()),
    };
    Some(label.to_string())
}
