//! Instance settings, for admins.

use super::*;

/// `/organise/settings`: the organisation's name, zone and languages.
#[component]
pub fn SettingsScreen() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let form = OnceResource::new(load_settings());
    view! {
        <Private title=tr!(lang, settings_title).to_string() />
        <OrganiserNav />
        <h1>{tr!(lang, settings_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr!(lang, loading)}</p> }>
            {move || Suspend::new(async move {
                let form = match form.await {
                    Err(error) => return view! { <Refused error /> }.into_any(),
                    Ok(form) => form,
                };
                let chosen: Vec<String> = form
                    .values
                    .iter()
                    .filter(|(k, _)| k == "languages")
                    .map(|(_, v)| v.clone())
                    .collect();
                let languages_error = form.error("languages").map(|e| problem_message(lang, e.problem));
                view! {
                    {saved().then(|| view! { <p class="notice" role="status">{tr!(lang, saved)}</p> })}
                    {(!form.errors.is_empty()).then(|| view! { <p class="form-error" role="alert">{tr!(lang, form_has_errors)}</p> })}
                    <form method="post" action=paths::SETTINGS class="rsvp-form">
                        <Field form=form.clone() name="instance_name" label=tr!(lang, instance_name_label) required=true />
                        <Field form=form.clone() name="time_zone" label=tr!(lang, zone_label) list="zones" required=true />
                        <datalist id="zones">
                            {chrono_tz::TZ_VARIANTS.iter().map(|z| view! { <option value=z.name()></option> }).collect_view()}
                        </datalist>
                        <fieldset class="answers">
                            <legend>{tr!(lang, languages_label)}</legend>
                            {form.languages.iter().map(|l| {
                                let id = format!("language-{}", l.tag());
                                let input_id = id.clone();
                                view! {
                                    <label class="choice" for=id lang=l.tag() dir=l.dir()>
                                        <input id=input_id type="checkbox" name="languages" value=l.tag() checked=chosen.iter().any(|c| c == l.tag()) />
                                        {l.native_name()}
                                    </label>
                                }
                            }).collect_view()}
                            {languages_error.map(|e| view! { <p class="field-error">{e}</p> })}
                        </fieldset>
                        <label for="field-default_lang">{tr!(lang, language_label)}</label>
                        <select id="field-default_lang" name="default_lang">
                            {form.languages.iter().map(|l| view! {
                                <option value=l.tag() selected=form.value("default_lang") == l.tag()>{l.native_name()}</option>
                            }).collect_view()}
                        </select>
                        <fieldset class="about-texts">
                            <legend>{tr!(lang, about_label)}</legend>
                            <p class="hint">{tr!(lang, about_hint)}</p>
                            {form.languages.iter().map(|l| {
                                let name = format!("about.{}", l.tag());
                                let id = format!("field-about-{}", l.tag());
                                let error = form.error(&name).map(|e| problem_message(lang, e.problem));
                                view! {
                                    <label for=id.clone() lang=l.tag() dir=l.dir()>{l.native_name()}</label>
                                    <textarea id=id name=name.clone() rows="5" lang=l.tag() dir=l.dir()>{crate::pages::textarea_text(form.value(&name))}</textarea>
                                    {error.map(|e| view! { <p class="field-error">{e}</p> })}
                                }
                            }).collect_view()}
                        </fieldset>
                        <label for="field-embed_origins">{tr!(lang, embed_origins_label)}</label>
                        <textarea
                            id="field-embed_origins"
                            name="embed_origins"
                            rows="3"
                            dir="ltr"
                            aria-describedby="field-embed_origins-hint"
                        >{crate::pages::textarea_text(form.value("embed_origins"))}</textarea>
                        {form.error("embed_origins").map(|e| view! { <p class="field-error" id="field-embed_origins-error">{problem_message(lang, e.problem)}</p> })}
                        <p class="hint" id="field-embed_origins-hint">{tr!(lang, embed_origins_hint, embed = paths::EMBED)}</p>
                        <button type="submit">{tr!(lang, save_event)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
