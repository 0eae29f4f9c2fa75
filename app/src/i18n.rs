//! The one translation layer: every UI string goes through [`t`].
//!
//! English is complete by construction (an exhaustive `match`); the other
//! languages answer `Option` so that a test can list what each one lacks and a
//! missing string falls back to English instead of breaking a page.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    En,
    Fr,
    UgLatn,
    UgArab,
}

/// Languages that may still lack translations. The completeness test fails
/// for any language not named here that misses a key, so shrinking this list
/// is how progress is recorded.
pub const INCOMPLETE_LANGS: &[Lang] = &[];

/// Name of the cookie that remembers a visitor's language choice.
pub const LANG_COOKIE: &str = "lang";

/// Where the language switcher posts its choice.
pub const LANGUAGE_ACTION: &str = "/language";

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::UgLatn, Lang::UgArab];

    /// The BCP 47 tag, as used in URLs, cookies and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::UgLatn => "ug-Latn",
            Lang::UgArab => "ug-Arab",
        }
    }

    /// The language's name in itself, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::UgLatn => "Uyghurche",
            Lang::UgArab => "ئۇيغۇرچە",
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::UgArab
    }

    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Parses a tag as a visitor or browser may write it (case-insensitive,
    /// `_` or `-`, with or without region). Bare `ug` means Arabic script,
    /// the script Uyghur is usually written in.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "ug" => {
                if parts.any(|p| p == "latn") {
                    Some(Lang::UgLatn)
                } else {
                    Some(Lang::UgArab)
                }
            }
            _ => None,
        }
    }

    /// Picks the language among those the instance `offers`: an explicit
    /// choice in the URL first, then the remembered cookie, then the
    /// browser's `Accept-Language`, else `default`.
    pub fn negotiate(
        from_url: Option<&str>,
        from_cookie: Option<&str>,
        accept_language: Option<&str>,
        offered: &[Lang],
        default: Lang,
    ) -> Lang {
        let offered_tag = |tag: &str| Lang::from_tag(tag).filter(|l| offered.contains(l));
        from_url
            .and_then(offered_tag)
            .or_else(|| from_cookie.and_then(offered_tag))
            .or_else(|| accept_language.and_then(|h| best_accepted(h, offered)))
            .unwrap_or(default)
    }
}

/// The offered language with the highest q-value in an `Accept-Language`
/// header; earlier entries win ties.
fn best_accepted(header: &str, offered: &[Lang]) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for entry in header.split(',') {
        let mut fields = entry.split(';');
        let Some(lang) = fields
            .next()
            .and_then(Lang::from_tag)
            .filter(|l| offered.contains(l))
        else {
            continue;
        };
        let q = fields
            .find_map(|f| f.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

macro_rules! messages {
    ($($key:ident),* $(,)?) => {
        /// Every UI string's key.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }
        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];
        }
    };
}

messages! {
    SkipToContent,
    MainNavigation,
    NavUpcoming,
    NavPast,
    LanguageLabel,
    UpcomingTitle,
    PastTitle,
    FilterKind,
    FilterCity,
    FilterAll,
    ClearFilters,
    NoUpcoming,
    NoPast,
    KindDemonstration,
    KindScreening,
    KindIftar,
    KindSeminar,
    KindCelebration,
    KindMeeting,
    KindConference,
    KindOther,
    StatusScheduled,
    StatusPostponed,
    StatusCancelled,
    When,
    Where,
    Online,
    Capacity,
    Accessibility,
    WhatToBring,
    Safety,
    About,
    TimeZoneNote,
    BackToEvents,
    NotFoundTitle,
    NotFoundBody,
    Loading,
    ServerError,
    NotTranslated,
    FooterPrivacy,
    Pages,
    PreviousPage,
    NextPage,
    RsvpHeading,
    AnswerLabel,
    AnswerGoing,
    AnswerMaybe,
    AnswerNotGoing,
    GuestsLabel,
    NameLabel,
    NameHint,
    ContactLabel,
    ContactHint,
    NoteLabel,
    SendAnswer,
    RsvpPrivacy,
    RsvpClosed,
    ApprovalNote,
    PlacesTakenOf,
    PeopleGoing,
    OnWaitlist,
    EventFull,
    YourRsvpTitle,
    KeepLink,
    PrivateLinkLabel,
    CopyLink,
    Copied,
    StateConfirmed,
    StateWaitlisted,
    StatePending,
    StateCancelled,
    StateRecorded,
    DoorCode,
    ChangeAnswer,
    SaveChanges,
    CancelRsvp,
    RsvpNotFound,
    FormHasErrors,
    ErrRequired,
    ErrTooLong,
    ErrControl,
    ErrOutOfRange,
    ErrInvalid,
    NavMyRsvps,
    MyRsvpsIntro,
    MyRsvpsEmpty,
    OpenRsvp,
    ShortWaitlisted,
    ShortPending,
    AddToCalendar,
    SubscribeHeading,
    SubscribeApp,
    SubscribeLink,
    SubscribeGoogle,
    SubscribeOnlyLang,
    AllDay,
    AllDayUntil,
    MyFeedHeading,
    MyFeedHelp,
    MyFeedRenew,
    NavOrganise,
    SignInTitle,
    UsernameLabel,
    PasswordLabel,
    SignIn,
    SignOut,
    LoginRefused,
    LoginTooMany,
    SignInNeeded,
    NotAllowed,
    DashboardTitle,
    DashboardEmpty,
    SignedInAs,
    Answers,
    CheckInTitle,
    ExportCsv,
    Approve,
    Decline,
    ColAnswer,
    ColGuests,
    ColContact,
    ColNote,
    ColCode,
    CheckedInMark,
    CheckInButton,
    CheckedInNow,
    AlreadyCheckedIn,
    NotConfirmedCode,
    NoSuchCode,
    Headcount,
    PendingCount,
    NoAnswersYet,
    NewEvent,
    EditEvent,
    SaveEvent,
    DuplicateEvent,
    PostponeEvent,
    CancelEvent,
    RestoreEvent,
    Saved,
    TitleLabel,
    SummaryLabel,
    DescriptionLabel,
    StartLabel,
    EndLabel,
    ZoneLabel,
    VenueLabel,
    AddressLabel,
    OnlineLabel,
    CapacityLabel,
    SlugLabel,
    RsvpOpenLabel,
    ApprovalLabel,
    HideCountsLabel,
    DeadlineLabel,
    TextIn,
    OriginalLanguage,
    ErrTooShort,
    ErrNotBetween,
    ErrBelowAttendance,
    ErrTaken,
    ErrUnknownZone,
    ErrDstGap,
    ErrEndBeforeStart,
    ErrUrl,
    ErrSlug,
    AccountsTitle,
    CreateAccount,
    DisplayNameLabel,
    RoleLabel,
    RoleAdmin,
    RoleOrganiser,
    DisableAccount,
    EnableAccount,
    DisabledMark,
    ResetPassword,
    AuditTitle,
    SettingsTitle,
    InstanceNameLabel,
    LanguagesLabel,
    DataDeletedOn,
    DataDeleted,
    TooManyAnswers,
    PrivateEvent,
    SensitiveLabel,
    PublicTitleLabel,
    PlaceForConfirmed,
}

/// The string for `msg` in `lang`, falling back to English when missing.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    translation(lang, msg).unwrap_or_else(|| en(msg))
}

/// The string for `msg` in `lang`, or `None` where it is not translated yet.
pub fn translation(lang: Lang, msg: Msg) -> Option<&'static str> {
    match lang {
        Lang::En => Some(en(msg)),
        Lang::Fr => fr(msg),
        Lang::UgLatn => ug_latn(msg),
        Lang::UgArab => ug_arab(msg),
    }
}

/// Keys that `lang` does not translate yet.
pub fn missing_keys(lang: Lang) -> Vec<Msg> {
    Msg::ALL
        .iter()
        .copied()
        .filter(|&m| translation(lang, m).is_none())
        .collect()
}

fn en(msg: Msg) -> &'static str {
    use Msg::*;
    match msg {
        SkipToContent => "Skip to content",
        MainNavigation => "Main",
        NavUpcoming => "Upcoming",
        NavPast => "Past events",
        LanguageLabel => "Language",
        UpcomingTitle => "Upcoming events",
        PastTitle => "Past events",
        FilterKind => "Kind",
        FilterCity => "City",
        FilterAll => "All",
        ClearFilters => "Clear filters",
        NoUpcoming => "No upcoming events match these filters.",
        NoPast => "No past events match these filters.",
        KindDemonstration => "Demonstration",
        KindScreening => "Screening",
        KindIftar => "Iftar",
        KindSeminar => "Seminar",
        KindCelebration => "Celebration",
        KindMeeting => "Meeting",
        KindConference => "Conference",
        KindOther => "Other",
        StatusScheduled => "Scheduled",
        StatusPostponed => "Postponed",
        StatusCancelled => "Cancelled",
        When => "When",
        Where => "Where",
        Online => "Online",
        Capacity => "Capacity",
        Accessibility => "Accessibility",
        WhatToBring => "What to bring",
        Safety => "Safety",
        About => "About this event",
        TimeZoneNote => "Times are shown in the event's local time zone.",
        BackToEvents => "Back to events",
        NotFoundTitle => "Page not found",
        NotFoundBody => "There is nothing at this address. The event may have been renamed or removed.",
        Loading => "Loading…",
        ServerError => "Something went wrong on our side. Please try again.",
        NotTranslated => "This event is not translated into your language yet; it is shown in its original language.",
        FooterPrivacy => "No tracking, no third-party requests. Attendee names are never published.",
        Pages => "Pages",
        PreviousPage => "Previous page",
        NextPage => "Next page",
        RsvpHeading => "Will you come?",
        AnswerLabel => "Your answer",
        AnswerGoing => "Going",
        AnswerMaybe => "Maybe",
        AnswerNotGoing => "Not going",
        GuestsLabel => "Guests coming with you",
        NameLabel => "Name",
        NameHint => "A first name or a pseudonym is enough.",
        ContactLabel => "Contact for updates (optional)",
        ContactHint => "Email, phone or Signal. Only the organisers see it.",
        NoteLabel => "Note for the organisers (optional)",
        SendAnswer => "Send my answer",
        RsvpPrivacy => "Only the organisers see your answer. Your name is never shown to the public or to other members.",
        RsvpClosed => "Answers are closed for this event.",
        ApprovalNote => "The organisers confirm each answer.",
        PlacesTakenOf => "{going} of {capacity} places taken",
        PeopleGoing => "{going} going",
        OnWaitlist => "{n} on the waitlist",
        EventFull => "This event is full: a new answer joins the waitlist.",
        YourRsvpTitle => "Your RSVP",
        KeepLink => "Keep this private link: it is the only way to see, change or cancel your answer. Anyone who has it can do the same.",
        PrivateLinkLabel => "Private link",
        CopyLink => "Copy link",
        Copied => "Copied",
        StateConfirmed => "You are confirmed.",
        StateWaitlisted => "You are on the waitlist. If a place frees up, you move up automatically.",
        StatePending => "Waiting for the organisers' approval.",
        StateCancelled => "You cancelled this RSVP.",
        StateRecorded => "Your answer is recorded.",
        DoorCode => "Code to show at the door",
        ChangeAnswer => "Change my answer",
        SaveChanges => "Save changes",
        CancelRsvp => "Cancel my RSVP",
        RsvpNotFound => "This private link is not valid. Check that you copied all of it.",
        FormHasErrors => "Please correct the fields marked below.",
        ErrRequired => "Please fill this in.",
        ErrTooLong => "Too long: at most {max} characters.",
        ErrControl => "Contains hidden control characters; please remove them.",
        ErrOutOfRange => "Choose a number from 0 to {max}.",
        ErrInvalid => "This value is not valid.",
        NavMyRsvps => "My RSVPs",
        MyRsvpsIntro => "Answers sent from this device. Opening one gives you a new private link; the old one stops working.",
        MyRsvpsEmpty => "No answers from this device yet.",
        OpenRsvp => "Open",
        ShortWaitlisted => "On the waitlist",
        ShortPending => "Awaiting approval",
        AddToCalendar => "Add to calendar",
        SubscribeHeading => "Subscribe in your calendar",
        SubscribeApp => "Calendar app (Apple, Outlook, Thunderbird)",
        SubscribeLink => "Feed address",
        SubscribeGoogle => "Google Calendar",
        SubscribeOnlyLang => "Only events in English",
        AllDay => "All day",
        AllDayUntil => "All day, until {date}",
        MyFeedHeading => "Your RSVPs in your calendar",
        MyFeedHelp => "Subscribe to this private address to see the events you answered in your calendar app. Whoever has it sees those events, so keep it to yourself. If it leaks, make a new one: the old one stops working.",
        MyFeedRenew => "Stop this address and make a new one",
        NavOrganise => "Organisers",
        SignInTitle => "Organiser sign-in",
        UsernameLabel => "Username",
        PasswordLabel => "Password",
        SignIn => "Sign in",
        SignOut => "Sign out",
        LoginRefused => "Wrong username or password.",
        LoginTooMany => "Too many failed attempts. Try again in 15 minutes.",
        SignInNeeded => "Please sign in to continue.",
        NotAllowed => "You cannot manage this.",
        DashboardTitle => "Your events",
        DashboardEmpty => "No events to manage yet.",
        SignedInAs => "Signed in as {name}",
        Answers => "Answers",
        CheckInTitle => "Check-in at the door",
        ExportCsv => "Download as CSV",
        Approve => "Approve",
        Decline => "Decline",
        ColAnswer => "Answer",
        ColGuests => "Guests",
        ColContact => "Contact",
        ColNote => "Note",
        ColCode => "Door code",
        CheckedInMark => "Checked in",
        CheckInButton => "Check in",
        CheckedInNow => "{name} is checked in: {people} people.",
        AlreadyCheckedIn => "{name} was already checked in ({people} people).",
        NotConfirmedCode => "{name} has no confirmed place.",
        NoSuchCode => "No answer has this code.",
        Headcount => "{arrived} of {expected} people arrived",
        PendingCount => "{n} awaiting approval",
        NoAnswersYet => "No answers yet.",
        NewEvent => "New event",
        EditEvent => "Edit",
        SaveEvent => "Save",
        DuplicateEvent => "Duplicate",
        PostponeEvent => "Postpone",
        CancelEvent => "Cancel the event",
        RestoreEvent => "Schedule again",
        Saved => "Saved.",
        TitleLabel => "Title",
        SummaryLabel => "Summary (one or two sentences)",
        DescriptionLabel => "Description (Markdown)",
        StartLabel => "Starts",
        EndLabel => "Ends",
        ZoneLabel => "Time zone",
        VenueLabel => "Venue",
        AddressLabel => "Address",
        OnlineLabel => "Online link (optional)",
        CapacityLabel => "Places (empty: no limit)",
        SlugLabel => "Page address",
        RsvpOpenLabel => "Accepting answers",
        ApprovalLabel => "Answers need approval",
        HideCountsLabel => "Hide attendance counts from the public",
        DeadlineLabel => "Answers close at (optional)",
        TextIn => "Text in {language}",
        OriginalLanguage => "Written in",
        ErrTooShort => "Too short: at least {min} characters.",
        ErrNotBetween => "Choose a number from {min} to {max}.",
        ErrBelowAttendance => "{taken} places are already taken.",
        ErrTaken => "Already taken.",
        ErrUnknownZone => "Unknown time zone.",
        ErrDstGap => "This time does not exist that day: the clocks change.",
        ErrEndBeforeStart => "The end must be after the start.",
        ErrUrl => "Must start with https:// or http://.",
        ErrSlug => "Only lower-case letters, digits and hyphens.",
        AccountsTitle => "Accounts",
        CreateAccount => "Create the account",
        DisplayNameLabel => "Display name",
        RoleLabel => "Role",
        RoleAdmin => "Admin",
        RoleOrganiser => "Organiser",
        DisableAccount => "Disable",
        EnableAccount => "Enable",
        DisabledMark => "Disabled",
        ResetPassword => "Set a new password",
        AuditTitle => "Audit log",
        SettingsTitle => "Instance settings",
        InstanceNameLabel => "Organisation name",
        LanguagesLabel => "Languages offered",
        DataDeletedOn => "Names, contacts and notes of the answers will be deleted on {date}.",
        DataDeleted => "Names, contacts and notes of the answers have been deleted.",
        TooManyAnswers => "Too many answers from this connection. Please try again in a few minutes.",
        PrivateEvent => "Members' event",
        SensitiveLabel => "Sensitive: show the place only to members with a confirmed place",
        PublicTitleLabel => "Title in public calendars (for a sensitive event)",
        PlaceForConfirmed => "The place is sent to members with a confirmed place, on their private page.",
    }
}

fn fr(msg: Msg) -> Option<&'static str> {
    use Msg::*;
    Some(match msg {
        SkipToContent => "Aller au contenu",
        MainNavigation => "Principale",
        NavUpcoming => "À venir",
        NavPast => "Événements passés",
        LanguageLabel => "Langue",
        UpcomingTitle => "Événements à venir",
        PastTitle => "Événements passés",
        FilterKind => "Type",
        FilterCity => "Ville",
        FilterAll => "Tous",
        ClearFilters => "Effacer les filtres",
        NoUpcoming => "Aucun événement à venir ne correspond à ces filtres.",
        NoPast => "Aucun événement passé ne correspond à ces filtres.",
        KindDemonstration => "Manifestation",
        KindScreening => "Projection",
        KindIftar => "Iftar",
        KindSeminar => "Séminaire",
        KindCelebration => "Célébration",
        KindMeeting => "Réunion",
        KindConference => "Conférence",
        KindOther => "Autre",
        StatusScheduled => "Prévu",
        StatusPostponed => "Reporté",
        StatusCancelled => "Annulé",
        When => "Quand",
        Where => "Où",
        Online => "En ligne",
        Capacity => "Places",
        Accessibility => "Accessibilité",
        WhatToBring => "À apporter",
        Safety => "Sécurité",
        About => "À propos de cet événement",
        TimeZoneNote => "Les heures sont indiquées dans le fuseau horaire de l'événement.",
        BackToEvents => "Retour aux événements",
        NotFoundTitle => "Page introuvable",
        NotFoundBody => "Il n'y a rien à cette adresse. L'événement a peut-être été renommé ou retiré.",
        Loading => "Chargement…",
        ServerError => "Une erreur s'est produite de notre côté. Veuillez réessayer.",
        NotTranslated => "Cet événement n'est pas encore traduit dans votre langue ; il est affiché dans sa langue d'origine.",
        FooterPrivacy => "Aucun pistage, aucune requête vers des tiers. Les noms des participants ne sont jamais publiés.",
        Pages => "Pages",
        PreviousPage => "Page précédente",
        NextPage => "Page suivante",
        RsvpHeading => "Serez-vous là ?",
        AnswerLabel => "Votre réponse",
        AnswerGoing => "J'y serai",
        AnswerMaybe => "Peut-être",
        AnswerNotGoing => "Je n'y serai pas",
        GuestsLabel => "Personnes qui vous accompagnent",
        NameLabel => "Nom",
        NameHint => "Un prénom ou un pseudonyme suffit.",
        ContactLabel => "Contact pour les nouvelles (facultatif)",
        ContactHint => "Courriel, téléphone ou Signal. Seuls les organisateurs le voient.",
        NoteLabel => "Note pour les organisateurs (facultatif)",
        SendAnswer => "Envoyer ma réponse",
        RsvpPrivacy => "Seuls les organisateurs voient votre réponse. Votre nom n'est jamais montré au public ni aux autres membres.",
        RsvpClosed => "Les réponses sont closes pour cet événement.",
        ApprovalNote => "Les organisateurs confirment chaque réponse.",
        PlacesTakenOf => "{going} places prises sur {capacity}",
        PeopleGoing => "{going} participants",
        OnWaitlist => "{n} en liste d'attente",
        EventFull => "Cet événement est complet : une nouvelle réponse rejoint la liste d'attente.",
        YourRsvpTitle => "Votre réponse",
        KeepLink => "Gardez ce lien privé : c'est le seul moyen de voir, modifier ou annuler votre réponse. Quiconque l'a peut faire de même.",
        PrivateLinkLabel => "Lien privé",
        CopyLink => "Copier le lien",
        Copied => "Copié",
        StateConfirmed => "Votre place est confirmée.",
        StateWaitlisted => "Vous êtes en liste d'attente. Si une place se libère, vous passez automatiquement.",
        StatePending => "En attente de l'approbation des organisateurs.",
        StateCancelled => "Vous avez annulé cette réponse.",
        StateRecorded => "Votre réponse est enregistrée.",
        DoorCode => "Code à montrer à l'entrée",
        ChangeAnswer => "Modifier ma réponse",
        SaveChanges => "Enregistrer",
        CancelRsvp => "Annuler ma réponse",
        RsvpNotFound => "Ce lien privé n'est pas valide. Vérifiez que vous l'avez copié en entier.",
        FormHasErrors => "Veuillez corriger les champs indiqués ci-dessous.",
        ErrRequired => "Veuillez remplir ce champ.",
        ErrTooLong => "Trop long : {max} caractères au plus.",
        ErrControl => "Contient des caractères de contrôle cachés ; veuillez les retirer.",
        ErrOutOfRange => "Choisissez un nombre de 0 à {max}.",
        ErrInvalid => "Cette valeur n'est pas valide.",
        NavMyRsvps => "Mes réponses",
        MyRsvpsIntro => "Les réponses envoyées depuis cet appareil. En ouvrir une vous donne un nouveau lien privé ; l'ancien ne fonctionne plus.",
        MyRsvpsEmpty => "Aucune réponse depuis cet appareil pour l'instant.",
        OpenRsvp => "Ouvrir",
        ShortWaitlisted => "En liste d'attente",
        ShortPending => "En attente d'approbation",
        AddToCalendar => "Ajouter à l'agenda",
        SubscribeHeading => "S'abonner dans votre agenda",
        SubscribeApp => "Application d'agenda (Apple, Outlook, Thunderbird)",
        SubscribeLink => "Adresse du flux",
        SubscribeGoogle => "Google Agenda",
        SubscribeOnlyLang => "Seulement les événements en français",
        AllDay => "Toute la journée",
        AllDayUntil => "Toute la journée, jusqu'au {date}",
        MyFeedHeading => "Vos réponses dans votre agenda",
        MyFeedHelp => "Abonnez-vous à cette adresse privée pour voir dans votre agenda les événements auxquels vous avez répondu. Quiconque la connaît voit ces événements : gardez-la pour vous. Si elle a fuité, créez-en une nouvelle : l'ancienne cessera de fonctionner.",
        MyFeedRenew => "Désactiver cette adresse et en créer une nouvelle",
        NavOrganise => "Organisateurs",
        SignInTitle => "Connexion des organisateurs",
        UsernameLabel => "Nom d'utilisateur",
        PasswordLabel => "Mot de passe",
        SignIn => "Se connecter",
        SignOut => "Se déconnecter",
        LoginRefused => "Nom d'utilisateur ou mot de passe incorrect.",
        LoginTooMany => "Trop de tentatives échouées. Réessayez dans 15 minutes.",
        SignInNeeded => "Connectez-vous pour continuer.",
        NotAllowed => "Vous ne pouvez pas gérer ceci.",
        DashboardTitle => "Vos événements",
        DashboardEmpty => "Aucun événement à gérer pour l'instant.",
        SignedInAs => "Connecté·e en tant que {name}",
        Answers => "Réponses",
        CheckInTitle => "Accueil à l'entrée",
        ExportCsv => "Télécharger en CSV",
        Approve => "Approuver",
        Decline => "Refuser",
        ColAnswer => "Réponse",
        ColGuests => "Invités",
        ColContact => "Contact",
        ColNote => "Note",
        ColCode => "Code d'entrée",
        CheckedInMark => "Arrivé·e",
        CheckInButton => "Enregistrer l'arrivée",
        CheckedInNow => "{name} est arrivé·e : {people} personnes.",
        AlreadyCheckedIn => "{name} était déjà arrivé·e ({people} personnes).",
        NotConfirmedCode => "{name} n'a pas de place confirmée.",
        NoSuchCode => "Aucune réponse n'a ce code.",
        Headcount => "{arrived} personnes arrivées sur {expected}",
        PendingCount => "{n} en attente d'approbation",
        NoAnswersYet => "Aucune réponse pour l'instant.",
        NewEvent => "Nouvel événement",
        EditEvent => "Modifier",
        SaveEvent => "Enregistrer",
        DuplicateEvent => "Dupliquer",
        PostponeEvent => "Reporter",
        CancelEvent => "Annuler l'événement",
        RestoreEvent => "Reprogrammer",
        Saved => "Enregistré.",
        TitleLabel => "Titre",
        SummaryLabel => "Résumé (une ou deux phrases)",
        DescriptionLabel => "Description (Markdown)",
        StartLabel => "Début",
        EndLabel => "Fin",
        ZoneLabel => "Fuseau horaire",
        VenueLabel => "Lieu",
        AddressLabel => "Adresse",
        OnlineLabel => "Lien en ligne (facultatif)",
        CapacityLabel => "Places (vide : sans limite)",
        SlugLabel => "Adresse de la page",
        RsvpOpenLabel => "Réponses ouvertes",
        ApprovalLabel => "Les réponses doivent être approuvées",
        HideCountsLabel => "Cacher les nombres de participants au public",
        DeadlineLabel => "Réponses jusqu'au (facultatif)",
        TextIn => "Texte en {language}",
        OriginalLanguage => "Langue d'origine",
        ErrTooShort => "Trop court : au moins {min} caractères.",
        ErrNotBetween => "Choisissez un nombre de {min} à {max}.",
        ErrBelowAttendance => "{taken} places sont déjà prises.",
        ErrTaken => "Déjà pris.",
        ErrUnknownZone => "Fuseau horaire inconnu.",
        ErrDstGap => "Cette heure n'existe pas ce jour-là : on change d'heure.",
        ErrEndBeforeStart => "La fin doit suivre le début.",
        ErrUrl => "Doit commencer par https:// ou http://.",
        ErrSlug => "Seulement des minuscules, des chiffres et des tirets.",
        AccountsTitle => "Comptes",
        CreateAccount => "Créer le compte",
        DisplayNameLabel => "Nom affiché",
        RoleLabel => "Rôle",
        RoleAdmin => "Administrateur",
        RoleOrganiser => "Organisateur",
        DisableAccount => "Désactiver",
        EnableAccount => "Réactiver",
        DisabledMark => "Désactivé",
        ResetPassword => "Définir un nouveau mot de passe",
        AuditTitle => "Journal d'audit",
        SettingsTitle => "Réglages de l'instance",
        InstanceNameLabel => "Nom de l'organisation",
        LanguagesLabel => "Langues proposées",
        DataDeletedOn => "Les noms, contacts et notes des réponses seront effacés le {date}.",
        DataDeleted => "Les noms, contacts et notes des réponses ont été effacés.",
        TooManyAnswers => "Trop de réponses depuis cette connexion. Réessayez dans quelques minutes.",
        PrivateEvent => "Événement des membres",
        SensitiveLabel => "Sensible : lieu montré seulement aux membres dont la place est confirmée",
        PublicTitleLabel => "Titre dans les agendas publics (événement sensible)",
        PlaceForConfirmed => "Le lieu est communiqué aux membres dont la place est confirmée, sur leur page privée.",
    })
}

fn ug_latn(msg: Msg) -> Option<&'static str> {
    use Msg::*;
    Some(match msg {
        SkipToContent => "Mezmun'gha ötüsh",
        MainNavigation => "Asasiy",
        NavUpcoming => "Aldidiki",
        NavPast => "Ötken paaliyetler",
        LanguageLabel => "Til",
        UpcomingTitle => "Aldidiki paaliyetler",
        PastTitle => "Ötken paaliyetler",
        FilterKind => "Türi",
        FilterCity => "Sheher",
        FilterAll => "Hemmisi",
        ClearFilters => "Süzgüchni tazilash",
        NoUpcoming => "Bu süzgüchke mas kélidighan aldidiki paaliyet yoq.",
        NoPast => "Bu süzgüchke mas kélidighan ötken paaliyet yoq.",
        KindDemonstration => "Namayish",
        KindScreening => "Film qoyush",
        KindIftar => "Iptar",
        KindSeminar => "Seminar",
        KindCelebration => "Tebrik murasimi",
        KindMeeting => "Yighin",
        KindConference => "Konférensiye",
        KindOther => "Bashqa",
        StatusScheduled => "Pilanlan'ghan",
        StatusPostponed => "Keynige sürülgen",
        StatusCancelled => "Emeldin qaldurulghan",
        When => "Waqti",
        Where => "Orni",
        Online => "Tor arqiliq",
        Capacity => "Orun sani",
        Accessibility => "Qolayliq",
        WhatToBring => "Élip kélish kérek",
        Safety => "Bixeterlik",
        About => "Paaliyet heqqide",
        TimeZoneNote => "Waqitlar paaliyetning yerlik waqit rayonida körsitilidu.",
        BackToEvents => "Paaliyetlerge qaytish",
        NotFoundTitle => "Bet tépilmidi",
        NotFoundBody => "Bu adrésta héchnéme yoq. Paaliyetning ismi özgertilgen yaki öchürülgen bolushi mumkin.",
        Loading => "Yükliniwatidu…",
        ServerError => "Bizning terepte xataliq körüldi. Qaytidin sinap béqing.",
        NotTranslated => "Bu paaliyet téxi tilingizgha terjime qilinmidi; eslidiki tilda körsitildi.",
        FooterPrivacy => "Iz qoghlash yoq, üchinchi terepke telep yoq. Qatnashquchilarning ismi hergiz élan qilinmaydu.",
        Pages => "Betler",
        PreviousPage => "Aldinqi bet",
        NextPage => "Kéyinki bet",
        RsvpHeading => "Kélemsiz?",
        AnswerLabel => "Jawabingiz",
        AnswerGoing => "Barimen",
        AnswerMaybe => "Belkim",
        AnswerNotGoing => "Baralmaymen",
        GuestsLabel => "Siz bilen kélidighanlar",
        NameLabel => "Ism",
        NameHint => "Ismingiz yaki taxellusingiz yéterlik.",
        ContactLabel => "Xewer üchün alaqe (ixtiyariy)",
        ContactHint => "Élxet, téléfon yaki Signal. Uni peqet teshkilatchilar köreleydu.",
        NoteLabel => "Teshkilatchilargha izahat (ixtiyariy)",
        SendAnswer => "Jawabimni ewetish",
        RsvpPrivacy => "Jawabingizni peqet teshkilatchilar köreleydu. Ismingiz hergiz ammigha yaki bashqa ezalargha körsitilmeydu.",
        RsvpClosed => "Bu paaliyetke jawab qobul qilish toxtidi.",
        ApprovalNote => "Teshkilatchilar her bir jawabni testiqlaydu.",
        PlacesTakenOf => "{capacity} orundin {going} ige boldi",
        PeopleGoing => "{going} kishi baridu",
        OnWaitlist => "{n} kishi kütüsh tizimlikide",
        EventFull => "Bu paaliyetning orni toldi: yéngi jawab kütüsh tizimlikige kiridu.",
        YourRsvpTitle => "Jawabingiz",
        KeepLink => "Bu shexsiy ulinishni saqlang: jawabingizni körüsh, özgertish yaki emeldin qaldurushning birdinbir yoli shu. Uninggha ige herqandaq kishi shundaq qilalaydu.",
        PrivateLinkLabel => "Shexsiy ulinish",
        CopyLink => "Ulinishni köchürüsh",
        Copied => "Köchürüldi",
        StateConfirmed => "Ornungiz testiqlandi.",
        StateWaitlisted => "Siz kütüsh tizimlikide. Orun bikar bolsa, özlükidin ötisiz.",
        StatePending => "Teshkilatchilarning testiqini kütüwatidu.",
        StateCancelled => "Siz bu jawabni emeldin qaldurdingiz.",
        StateRecorded => "Jawabingiz xatirilendi.",
        DoorCode => "Ishik aldida körsitidighan kod",
        ChangeAnswer => "Jawabimni özgertish",
        SaveChanges => "Saqlash",
        CancelRsvp => "Jawabimni emeldin qaldurush",
        RsvpNotFound => "Bu shexsiy ulinish inawetsiz. Uni toluq köchürgenlikingizni tekshürüng.",
        FormHasErrors => "Töwende belgilen'gen jaylarni tüzitip béring.",
        ErrRequired => "Buni toldurung.",
        ErrTooLong => "Bek uzun: eng köp {max} herp.",
        ErrControl => "Yoshurun kontrol heripliri bar; ularni öchürüng.",
        ErrOutOfRange => "0 din {max} giche san tallang.",
        ErrInvalid => "Bu qimmet inawetsiz.",
        NavMyRsvps => "Jawablirim",
        MyRsvpsIntro => "Bu üskünidin ewetilgen jawablar. Birini achsingiz yéngi shexsiy ulinish bérilidu; kona ulinish ishlimeydu.",
        MyRsvpsEmpty => "Bu üskünidin téxi jawab ewetilmidi.",
        OpenRsvp => "Échish",
        ShortWaitlisted => "Kütüsh tizimlikide",
        ShortPending => "Testiq kütüwatidu",
        AddToCalendar => "Kalén'dargha qoshush",
        SubscribeHeading => "Kalén'daringizgha mushtiri bolush",
        SubscribeApp => "Kalén'dar programmisi (Apple, Outlook, Thunderbird)",
        SubscribeLink => "Menbe adrési",
        SubscribeGoogle => "Google Kalén'dar",
        SubscribeOnlyLang => "Peqet Uyghurche pa'aliyetler",
        AllDay => "Pütün kün",
        AllDayUntil => "Pütün kün (axirqi küni: {date})",
        MyFeedHeading => "Jawabliringiz kalén'daringizda",
        MyFeedHelp => "Jawab bergen pa'aliyetliringizni kalén'dar programmingizda körüsh üchün bu shexsiy adréske mushtiri bolung. Uni bilgen herqandaq kishi bu pa'aliyetlerni köreleydu, shunga uni özingizde saqlang. Eger u ashkarilinip qalsa, yéngisini hasil qiling: kona adrés ishlimeydu.",
        MyFeedRenew => "Bu adrésni toxtitip yéngisini hasil qilish",
        NavOrganise => "Teshkilligüchiler",
        SignInTitle => "Teshkilligüchi kirishi",
        UsernameLabel => "Ishletküchi nami",
        PasswordLabel => "Mexpiy nomur",
        SignIn => "Kirish",
        SignOut => "Chiqish",
        LoginRefused => "Ishletküchi nami yaki mexpiy nomur xata.",
        LoginTooMany => "Meghlup bolghan urunushlar bek köp. 15 minuttin kéyin qayta sinang.",
        SignInNeeded => "Dawamlashturush üchün kiring.",
        NotAllowed => "Siz buni bashquralmaysiz.",
        DashboardTitle => "Pa'aliyetliringiz",
        DashboardEmpty => "Hazirche bashquridighan pa'aliyet yoq.",
        SignedInAs => "{name} bolup kirdingiz",
        Answers => "Jawablar",
        CheckInTitle => "Ishik aldida tizimlash",
        ExportCsv => "CSV qilip chüshürüsh",
        Approve => "Testiqlash",
        Decline => "Ret qilish",
        ColAnswer => "Jawab",
        ColGuests => "Méhmanlar",
        ColContact => "Alaqe",
        ColNote => "Izahat",
        ColCode => "Kirish kodi",
        CheckedInMark => "Keldi",
        CheckInButton => "Kelginini xatirilesh",
        CheckedInNow => "{name} tizimlandi: {people} kishi.",
        AlreadyCheckedIn => "{name} aldinla tizimlan'ghan ({people} kishi).",
        NotConfirmedCode => "{name} ning testiqlan'ghan orni yoq.",
        NoSuchCode => "Bu kodluq jawab yoq.",
        Headcount => "{expected} kishidin {arrived} kishi keldi",
        PendingCount => "{n} testiqni kütüwatidu",
        NoAnswersYet => "Hazirche jawab yoq.",
        NewEvent => "Yéngi pa'aliyet",
        EditEvent => "Tehrirlesh",
        SaveEvent => "Saqlash",
        DuplicateEvent => "Köchürüp yéngisini qurush",
        PostponeEvent => "Keynige sürüsh",
        CancelEvent => "Pa'aliyetni emeldin qaldurush",
        RestoreEvent => "Qayta orunlashturush",
        Saved => "Saqlandi.",
        TitleLabel => "Mawzu",
        SummaryLabel => "Qisqiche mezmun (bir-ikki jümle)",
        DescriptionLabel => "Chüshendürüsh (Markdown)",
        StartLabel => "Bashlinish",
        EndLabel => "Axirlishish",
        ZoneLabel => "Waqit rayoni",
        VenueLabel => "Orun",
        AddressLabel => "Adrés",
        OnlineLabel => "Tor ulinishi (ixtiyari)",
        CapacityLabel => "Orun sani (quruq: cheksiz)",
        SlugLabel => "Bet adrési",
        RsvpOpenLabel => "Jawab qobul qilinidu",
        ApprovalLabel => "Jawablar testiqlinishi kérek",
        HideCountsLabel => "Qatnashquchilar sanini ammidin yoshurush",
        DeadlineLabel => "Jawab bérish axirqi waqti (ixtiyari)",
        TextIn => "{language} tékist",
        OriginalLanguage => "Eslide yézilghan til",
        ErrTooShort => "Bek qisqa: kem dégende {min} herp.",
        ErrNotBetween => "{min} din {max} ghiche bir san tallang.",
        ErrBelowAttendance => "{taken} orun alliqachan élin'ghan.",
        ErrTaken => "Alliqachan ishlitilgen.",
        ErrUnknownZone => "Namelum waqit rayoni.",
        ErrDstGap => "Bu waqit shu küni yoq: sa'et özgiridu.",
        ErrEndBeforeStart => "Axirlishish bashlinishtin kéyin bolushi kérek.",
        ErrUrl => "https:// yaki http:// bilen bashlinishi kérek.",
        ErrSlug => "Peqet kichik herpler, sanlar we siziqche.",
        AccountsTitle => "Hésablar",
        CreateAccount => "Hésab qurush",
        DisplayNameLabel => "Körsitilidighan nam",
        RoleLabel => "Rol",
        RoleAdmin => "Bashqurghuchi",
        RoleOrganiser => "Teshkilligüchi",
        DisableAccount => "Cheklesh",
        EnableAccount => "Qayta achqash",
        DisabledMark => "Cheklen'gen",
        ResetPassword => "Yéngi mexpiy nomur békitish",
        AuditTitle => "Tekshürüsh xatirisi",
        SettingsTitle => "Tor bekit tengshekliri",
        InstanceNameLabel => "Teshkilat nami",
        LanguagesLabel => "Teminlinidighan tillar",
        DataDeletedOn => "Jawablardiki isim, alaqe we izahatlar {date} öchürülidu.",
        DataDeleted => "Jawablardiki isim, alaqe we izahatlar öchürüldi.",
        TooManyAnswers => "Bu ulinishtin bek köp jawab keldi. Birnechche minuttin kéyin qayta sinang.",
        PrivateEvent => "Ezalar pa'aliyiti",
        SensitiveLabel => "Nazuk: orunni peqet orni testiqlan'ghan ezalargha körsitish",
        PublicTitleLabel => "Ammiwi kalén'darlardiki mawzu (nazuk pa'aliyet üchün)",
        PlaceForConfirmed => "Orun orni testiqlan'ghan ezalargha shexsiy bétide körsitilidu.",
    })
}

fn ug_arab(msg: Msg) -> Option<&'static str> {
    use Msg::*;
    Some(match msg {
        SkipToContent => "مەزمۇنغا ئۆتۈش",
        MainNavigation => "ئاساسىي",
        NavUpcoming => "ئالدىدىكى",
        NavPast => "ئۆتكەن پائالىيەتلەر",
        LanguageLabel => "تىل",
        UpcomingTitle => "ئالدىدىكى پائالىيەتلەر",
        PastTitle => "ئۆتكەن پائالىيەتلەر",
        FilterKind => "تۈرى",
        FilterCity => "شەھەر",
        FilterAll => "ھەممىسى",
        ClearFilters => "سۈزگۈچنى تازىلاش",
        NoUpcoming => "بۇ سۈزگۈچكە ماس كېلىدىغان ئالدىدىكى پائالىيەت يوق.",
        NoPast => "بۇ سۈزگۈچكە ماس كېلىدىغان ئۆتكەن پائالىيەت يوق.",
        KindDemonstration => "نامايىش",
        KindScreening => "فىلىم قويۇش",
        KindIftar => "ئىپتار",
        KindSeminar => "سېمىنار",
        KindCelebration => "تەبرىك مۇراسىمى",
        KindMeeting => "يىغىن",
        KindConference => "كونفېرېنسىيە",
        KindOther => "باشقا",
        StatusScheduled => "پىلانلانغان",
        StatusPostponed => "كەينىگە سۈرۈلگەن",
        StatusCancelled => "ئەمەلدىن قالدۇرۇلغان",
        When => "ۋاقتى",
        Where => "ئورنى",
        Online => "تور ئارقىلىق",
        Capacity => "ئورۇن سانى",
        Accessibility => "قولايلىق",
        WhatToBring => "ئېلىپ كېلىش كېرەك",
        Safety => "بىخەتەرلىك",
        About => "پائالىيەت ھەققىدە",
        TimeZoneNote => "ۋاقىتلار پائالىيەتنىڭ يەرلىك ۋاقىت رايونىدا كۆرسىتىلىدۇ.",
        BackToEvents => "پائالىيەتلەرگە قايتىش",
        NotFoundTitle => "بەت تېپىلمىدى",
        NotFoundBody => "بۇ ئادرېستا ھېچنېمە يوق. پائالىيەتنىڭ ئىسمى ئۆزگەرتىلگەن ياكى ئۆچۈرۈلگەن بولۇشى مۇمكىن.",
        Loading => "يۈكلىنىۋاتىدۇ…",
        ServerError => "بىزنىڭ تەرەپتە خاتالىق كۆرۈلدى. قايتىدىن سىناپ بېقىڭ.",
        NotTranslated => "بۇ پائالىيەت تېخى تىلىڭىزغا تەرجىمە قىلىنمىدى؛ ئەسلىدىكى تىلدا كۆرسىتىلدى.",
        FooterPrivacy => "ئىز قوغلاش يوق، ئۈچىنچى تەرەپكە تەلەپ يوق. قاتناشقۇچىلارنىڭ ئىسمى ھەرگىز ئېلان قىلىنمايدۇ.",
        Pages => "بەتلەر",
        PreviousPage => "ئالدىنقى بەت",
        NextPage => "كېيىنكى بەت",
        RsvpHeading => "كېلەمسىز؟",
        AnswerLabel => "جاۋابىڭىز",
        AnswerGoing => "بارىمەن",
        AnswerMaybe => "بەلكىم",
        AnswerNotGoing => "بارالمايمەن",
        GuestsLabel => "سىز بىلەن كېلىدىغانلار",
        NameLabel => "ئىسىم",
        NameHint => "ئىسمىڭىز ياكى تەخەللۇسىڭىز يېتەرلىك.",
        ContactLabel => "خەۋەر ئۈچۈن ئالاقە (ئىختىيارىي)",
        ContactHint => "ئېلخەت، تېلېفون ياكى Signal. ئۇنى پەقەت تەشكىلاتچىلار كۆرەلەيدۇ.",
        NoteLabel => "تەشكىلاتچىلارغا ئىزاھات (ئىختىيارىي)",
        SendAnswer => "جاۋابىمنى ئەۋەتىش",
        RsvpPrivacy => "جاۋابىڭىزنى پەقەت تەشكىلاتچىلار كۆرەلەيدۇ. ئىسمىڭىز ھەرگىز ئاممىغا ياكى باشقا ئەزالارغا كۆرسىتىلمەيدۇ.",
        RsvpClosed => "بۇ پائالىيەتكە جاۋاب قوبۇل قىلىش توختىدى.",
        ApprovalNote => "تەشكىلاتچىلار ھەر بىر جاۋابنى تەستىقلايدۇ.",
        PlacesTakenOf => "{capacity} ئورۇندىن {going} ئىگە بولدى",
        PeopleGoing => "{going} كىشى بارىدۇ",
        OnWaitlist => "{n} كىشى كۈتۈش تىزىملىكىدە",
        EventFull => "بۇ پائالىيەتنىڭ ئورنى تولدى: يېڭى جاۋاب كۈتۈش تىزىملىكىگە كىرىدۇ.",
        YourRsvpTitle => "جاۋابىڭىز",
        KeepLink => "بۇ شەخسىي ئۇلىنىشنى ساقلاڭ: جاۋابىڭىزنى كۆرۈش، ئۆزگەرتىش ياكى ئەمەلدىن قالدۇرۇشنىڭ بىردىنبىر يولى شۇ. ئۇنىڭغا ئىگە ھەرقانداق كىشى شۇنداق قىلالايدۇ.",
        PrivateLinkLabel => "شەخسىي ئۇلىنىش",
        CopyLink => "ئۇلىنىشنى كۆچۈرۈش",
        Copied => "كۆچۈرۈلدى",
        StateConfirmed => "ئورنۇڭىز تەستىقلاندى.",
        StateWaitlisted => "سىز كۈتۈش تىزىملىكىدە. ئورۇن بىكار بولسا، ئۆزلۈكىدىن ئۆتىسىز.",
        StatePending => "تەشكىلاتچىلارنىڭ تەستىقىنى كۈتۈۋاتىدۇ.",
        StateCancelled => "سىز بۇ جاۋابنى ئەمەلدىن قالدۇردىڭىز.",
        StateRecorded => "جاۋابىڭىز خاتىرىلەندى.",
        DoorCode => "ئىشىك ئالدىدا كۆرسىتىدىغان كود",
        ChangeAnswer => "جاۋابىمنى ئۆزگەرتىش",
        SaveChanges => "ساقلاش",
        CancelRsvp => "جاۋابىمنى ئەمەلدىن قالدۇرۇش",
        RsvpNotFound => "بۇ شەخسىي ئۇلىنىش ئىناۋەتسىز. ئۇنى تولۇق كۆچۈرگەنلىكىڭىزنى تەكشۈرۈڭ.",
        FormHasErrors => "تۆۋەندە بەلگىلەنگەن جايلارنى تۈزىتىپ بېرىڭ.",
        ErrRequired => "بۇنى تولدۇرۇڭ.",
        ErrTooLong => "بەك ئۇزۇن: ئەڭ كۆپ {max} ھەرپ.",
        ErrControl => "يوشۇرۇن كونترول ھەرپلىرى بار؛ ئۇلارنى ئۆچۈرۈڭ.",
        ErrOutOfRange => "0 دىن {max} گىچە سان تاللاڭ.",
        ErrInvalid => "بۇ قىممەت ئىناۋەتسىز.",
        NavMyRsvps => "جاۋابلىرىم",
        MyRsvpsIntro => "بۇ ئۈسكۈنىدىن ئەۋەتىلگەن جاۋابلار. بىرىنى ئاچسىڭىز يېڭى شەخسىي ئۇلىنىش بېرىلىدۇ؛ كونا ئۇلىنىش ئىشلىمەيدۇ.",
        MyRsvpsEmpty => "بۇ ئۈسكۈنىدىن تېخى جاۋاب ئەۋەتىلمىدى.",
        OpenRsvp => "ئېچىش",
        ShortWaitlisted => "كۈتۈش تىزىملىكىدە",
        ShortPending => "تەستىق كۈتۈۋاتىدۇ",
        AddToCalendar => "كالېندارغا قوشۇش",
        SubscribeHeading => "كالېندارىڭىزغا مۇشتەرى بولۇش",
        SubscribeApp => "كالېندار پروگراممىسى (Apple، Outlook، Thunderbird)",
        SubscribeLink => "مەنبە ئادرېسى",
        SubscribeGoogle => "Google كالېندار",
        SubscribeOnlyLang => "پەقەت ئۇيغۇرچە پائالىيەتلەر",
        AllDay => "پۈتۈن كۈن",
        AllDayUntil => "پۈتۈن كۈن (ئاخىرقى كۈنى: {date})",
        MyFeedHeading => "جاۋابلىرىڭىز كالېندارىڭىزدا",
        MyFeedHelp => "جاۋاب بەرگەن پائالىيەتلىرىڭىزنى كالېندار پروگراممىڭىزدا كۆرۈش ئۈچۈن بۇ شەخسىي ئادرېسقا مۇشتەرى بولۇڭ. ئۇنى بىلگەن ھەرقانداق كىشى بۇ پائالىيەتلەرنى كۆرەلەيدۇ، شۇڭا ئۇنى ئۆزىڭىزدە ساقلاڭ. ئەگەر ئۇ ئاشكارىلىنىپ قالسا، يېڭىسىنى ھاسىل قىلىڭ: كونا ئادرېس ئىشلىمەيدۇ.",
        MyFeedRenew => "بۇ ئادرېسنى توختىتىپ يېڭىسىنى ھاسىل قىلىش",
        NavOrganise => "تەشكىللىگۈچىلەر",
        SignInTitle => "تەشكىللىگۈچى كىرىشى",
        UsernameLabel => "ئىشلەتكۈچى نامى",
        PasswordLabel => "مەخپىي نومۇر",
        SignIn => "كىرىش",
        SignOut => "چىقىش",
        LoginRefused => "ئىشلەتكۈچى نامى ياكى مەخپىي نومۇر خاتا.",
        LoginTooMany => "مەغلۇپ بولغان ئۇرۇنۇشلار بەك كۆپ. 15 مىنۇتتىن كېيىن قايتا سىناڭ.",
        SignInNeeded => "داۋاملاشتۇرۇش ئۈچۈن كىرىڭ.",
        NotAllowed => "سىز بۇنى باشقۇرالمايسىز.",
        DashboardTitle => "پائالىيەتلىرىڭىز",
        DashboardEmpty => "ھازىرچە باشقۇرىدىغان پائالىيەت يوق.",
        SignedInAs => "{name} بولۇپ كىردىڭىز",
        Answers => "جاۋابلار",
        CheckInTitle => "ئىشىك ئالدىدا تىزىملاش",
        ExportCsv => "CSV قىلىپ چۈشۈرۈش",
        Approve => "تەستىقلاش",
        Decline => "رەت قىلىش",
        ColAnswer => "جاۋاب",
        ColGuests => "مېھمانلار",
        ColContact => "ئالاقە",
        ColNote => "ئىزاھات",
        ColCode => "كىرىش كودى",
        CheckedInMark => "كەلدى",
        CheckInButton => "كەلگىنىنى خاتىرىلەش",
        CheckedInNow => "{name} تىزىملاندى: {people} كىشى.",
        AlreadyCheckedIn => "{name} ئالدىنلا تىزىملانغان ({people} كىشى).",
        NotConfirmedCode => "{name} نىڭ تەستىقلانغان ئورنى يوق.",
        NoSuchCode => "بۇ كودلۇق جاۋاب يوق.",
        Headcount => "{expected} كىشىدىن {arrived} كىشى كەلدى",
        PendingCount => "{n} تەستىقنى كۈتۈۋاتىدۇ",
        NoAnswersYet => "ھازىرچە جاۋاب يوق.",
        NewEvent => "يېڭى پائالىيەت",
        EditEvent => "تەھرىرلەش",
        SaveEvent => "ساقلاش",
        DuplicateEvent => "كۆچۈرۈپ يېڭىسىنى قۇرۇش",
        PostponeEvent => "كەينىگە سۈرۈش",
        CancelEvent => "پائالىيەتنى ئەمەلدىن قالدۇرۇش",
        RestoreEvent => "قايتا ئورۇنلاشتۇرۇش",
        Saved => "ساقلاندى.",
        TitleLabel => "ماۋزۇ",
        SummaryLabel => "قىسقىچە مەزمۇن (بىر-ئىككى جۈملە)",
        DescriptionLabel => "چۈشەندۈرۈش (Markdown)",
        StartLabel => "باشلىنىش",
        EndLabel => "ئاخىرلىشىش",
        ZoneLabel => "ۋاقىت رايونى",
        VenueLabel => "ئورۇن",
        AddressLabel => "ئادرېس",
        OnlineLabel => "تور ئۇلىنىشى (ئىختىيارى)",
        CapacityLabel => "ئورۇن سانى (قۇرۇق: چەكسىز)",
        SlugLabel => "بەت ئادرېسى",
        RsvpOpenLabel => "جاۋاب قوبۇل قىلىنىدۇ",
        ApprovalLabel => "جاۋابلار تەستىقلىنىشى كېرەك",
        HideCountsLabel => "قاتناشقۇچىلار سانىنى ئاممىدىن يوشۇرۇش",
        DeadlineLabel => "جاۋاب بېرىش ئاخىرقى ۋاقتى (ئىختىيارى)",
        TextIn => "{language} تېكىست",
        OriginalLanguage => "ئەسلىدە يېزىلغان تىل",
        ErrTooShort => "بەك قىسقا: كەم دېگەندە {min} ھەرپ.",
        ErrNotBetween => "{min} دىن {max} غىچە بىر سان تاللاڭ.",
        ErrBelowAttendance => "{taken} ئورۇن ئاللىقاچان ئېلىنغان.",
        ErrTaken => "ئاللىقاچان ئىشلىتىلگەن.",
        ErrUnknownZone => "نامەلۇم ۋاقىت رايونى.",
        ErrDstGap => "بۇ ۋاقىت شۇ كۈنى يوق: سائەت ئۆزگىرىدۇ.",
        ErrEndBeforeStart => "ئاخىرلىشىش باشلىنىشتىن كېيىن بولۇشى كېرەك.",
        ErrUrl => "https:// ياكى http:// بىلەن باشلىنىشى كېرەك.",
        ErrSlug => "پەقەت كىچىك ھەرپلەر، سانلار ۋە سىزىقچە.",
        AccountsTitle => "ھېسابلار",
        CreateAccount => "ھېساب قۇرۇش",
        DisplayNameLabel => "كۆرسىتىلىدىغان نام",
        RoleLabel => "رول",
        RoleAdmin => "باشقۇرغۇچى",
        RoleOrganiser => "تەشكىللىگۈچى",
        DisableAccount => "چەكلەش",
        EnableAccount => "قايتا ئاچقاش",
        DisabledMark => "چەكلەنگەن",
        ResetPassword => "يېڭى مەخپىي نومۇر بېكىتىش",
        AuditTitle => "تەكشۈرۈش خاتىرىسى",
        SettingsTitle => "تور بېكەت تەڭشەكلىرى",
        InstanceNameLabel => "تەشكىلات نامى",
        LanguagesLabel => "تەمىنلىنىدىغان تىللار",
        DataDeletedOn => "جاۋابلاردىكى ئىسىم، ئالاقە ۋە ئىزاھاتلار {date} ئۆچۈرۈلىدۇ.",
        DataDeleted => "جاۋابلاردىكى ئىسىم، ئالاقە ۋە ئىزاھاتلار ئۆچۈرۈلدى.",
        TooManyAnswers => "بۇ ئۇلىنىشتىن بەك كۆپ جاۋاب كەلدى. بىرنەچچە مىنۇتتىن كېيىن قايتا سىناڭ.",
        PrivateEvent => "ئەزالار پائالىيىتى",
        SensitiveLabel => "نازۇك: ئورۇننى پەقەت ئورنى تەستىقلانغان ئەزالارغا كۆرسىتىش",
        PublicTitleLabel => "ئاممىۋى كالېندارلاردىكى ماۋزۇ (نازۇك پائالىيەت ئۈچۈن)",
        PlaceForConfirmed => "ئورۇن ئورنى تەستىقلانغان ئەزالارغا شەخسىي بېتىدە كۆرسىتىلىدۇ.",
    })
}

/// Month names, January first, as they stand inside a date.
pub fn month_name(lang: Lang, month: u32) -> &'static str {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const UG_LATN: [&str; 12] = [
        "Yanwar",
        "Féwral",
        "Mart",
        "Aprél",
        "May",
        "Iyun",
        "Iyul",
        "Awghust",
        "Séntebir",
        "Öktebir",
        "Noyabir",
        "Dékabir",
    ];
    const UG_ARAB: [&str; 12] = [
        "يانۋار",
        "فېۋرال",
        "مارت",
        "ئاپرېل",
        "ماي",
        "ئىيۇن",
        "ئىيۇل",
        "ئاۋغۇست",
        "سېنتەبىر",
        "ئۆكتەبىر",
        "نويابىر",
        "دېكابىر",
    ];
    let names = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
        Lang::UgLatn => &UG_LATN,
        Lang::UgArab => &UG_ARAB,
    };
    names[(month.clamp(1, 12) - 1) as usize]
}

/// Weekday names, Monday first (ISO 8601 numbering minus one).
pub fn weekday_name(lang: Lang, days_from_monday: u32) -> &'static str {
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const FR: [&str; 7] = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    const UG_LATN: [&str; 7] = [
        "Düshenbe",
        "Seyshenbe",
        "Charshenbe",
        "Peyshenbe",
        "Jüme",
        "Shenbe",
        "Yekshenbe",
    ];
    const UG_ARAB: [&str; 7] = [
        "دۈشەنبە",
        "سەيشەنبە",
        "چارشەنبە",
        "پەيشەنبە",
        "جۈمە",
        "شەنبە",
        "يەكشەنبە",
    ];
    let names = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
        Lang::UgLatn => &UG_LATN,
        Lang::UgArab => &UG_ARAB,
    };
    names[(days_from_monday % 7) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_not_listed_as_incomplete_has_every_key() {
        let mut report = Vec::new();
        for lang in Lang::ALL {
            let missing = missing_keys(lang);
            if !missing.is_empty() && !INCOMPLETE_LANGS.contains(&lang) {
                report.push(format!("{}: {:?}", lang.tag(), missing));
            }
        }
        assert!(
            report.is_empty(),
            "missing translations:\n{}",
            report.join("\n")
        );
    }

    #[test]
    fn no_translation_is_empty() {
        for lang in Lang::ALL {
            for &msg in Msg::ALL {
                if let Some(s) = translation(lang, msg) {
                    assert!(!s.trim().is_empty(), "{} {:?} is blank", lang.tag(), msg);
                }
            }
        }
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("ug"), Some(Lang::UgArab));
        assert_eq!(Lang::from_tag("ug_CN"), Some(Lang::UgArab));
        assert_eq!(Lang::from_tag("UG-latn"), Some(Lang::UgLatn));
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn negotiation_prefers_url_then_cookie_then_header() {
        let header = Some("de-DE,fr-CA;q=0.8,en;q=0.5");
        assert_eq!(
            Lang::negotiate(Some("ug-Arab"), Some("en"), header, &Lang::ALL, Lang::En),
            Lang::UgArab
        );
        assert_eq!(
            Lang::negotiate(None, Some("ug-Latn"), header, &Lang::ALL, Lang::En),
            Lang::UgLatn
        );
        assert_eq!(
            Lang::negotiate(None, None, header, &Lang::ALL, Lang::En),
            Lang::Fr
        );
        assert_eq!(
            Lang::negotiate(Some("xx"), Some("??"), None, &Lang::ALL, Lang::Fr),
            Lang::Fr
        );
        assert_eq!(
            Lang::negotiate(None, None, Some("en;q=0.2, ug;q=0.9"), &Lang::ALL, Lang::Fr),
            Lang::UgArab
        );
        assert_eq!(
            Lang::negotiate(None, None, Some("fr;q=0"), &Lang::ALL, Lang::En),
            Lang::En
        );
    }

    #[test]
    fn negotiation_offers_only_the_instance_languages() {
        let offered = [Lang::En, Lang::UgArab];
        assert_eq!(
            Lang::negotiate(Some("fr"), None, Some("ug"), &offered, Lang::En),
            Lang::UgArab
        );
        assert_eq!(
            Lang::negotiate(
                None,
                Some("fr"),
                Some("fr, en;q=0.5"),
                &offered,
                Lang::UgArab
            ),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(None, None, Some("fr"), &offered, Lang::UgArab),
            Lang::UgArab
        );
    }

    #[test]
    fn only_arabic_script_is_right_to_left() {
        assert_eq!(Lang::UgArab.dir(), "rtl");
        for lang in [Lang::En, Lang::Fr, Lang::UgLatn] {
            assert_eq!(lang.dir(), "ltr");
        }
    }
}
