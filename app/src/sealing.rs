//! Sealing what members type: the one place where keys are made, wrapped
//! and used. Everything here is wiring between audited crates — X25519
//! key agreement and boxes (`crypto_box`), XChaCha20-Poly1305 (`chacha20poly1305`),
//! HKDF-SHA256 (`hkdf`) and argon2id (`argon2`) — and every secret is
//! zeroised when it is dropped (`zeroize`).
//!
//! An answer's name, contact and note are encrypted under a key of its own
//! (the *answer key*). That key is stored three times, never in the clear:
//! sealed to the organisation's public key (so the server needs no secret
//! to write an answer), and wrapped under keys derived from the member's
//! private link and from their device key, whose hashes alone are stored.
//! The organisation's secret key is stored only wrapped: under a key
//! derived from each organiser's password, under the recovery key, and,
//! for a live session, under a key derived from its cookie.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use zeroize::{Zeroize, Zeroizing};

/// Any failure to open: a wrong key, or text that was damaged or altered.
/// Which of them it was is not told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("sealed data cannot be opened with this key")]
pub struct SealError;

type Secret = Zeroizing<[u8; 32]>;

fn random_secret() -> Secret {
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::RngCore::fill_bytes(&mut rand::rng(), bytes.as_mut());
    bytes
}

fn decode(text: &str) -> Result<Vec<u8>, SealError> {
    STANDARD_NO_PAD.decode(text).map_err(|_| SealError)
}

fn secret_from(bytes: &[u8]) -> Result<Secret, SealError> {
    let array: [u8; 32] = bytes.try_into().map_err(|_| SealError)?;
    Ok(Zeroizing::new(array))
}

/// What the purpose labels of derived keys and encrypted texts say, so that
/// a key or a text made for one use is refused in another.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    /// The answer key, under a key from the private link's token.
    Link,
    /// The answer key, under a key from the device key.
    Device,
    /// The organisation's key, under a key from a session cookie.
    Session,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Link => b"yighin answer key under a private link",
            Purpose::Device => b"yighin answer key under a device key",
            Purpose::Session => b"yighin organisation key under a session",
        }
    }
}

const PERSONAL: &[u8] = b"yighin answer personal fields";
const ORGANISATION_KEY: &[u8] = b"yighin organisation key";
const ANSWER_KEY: &[u8] = b"yighin answer key";
const RECOVERY: &[u8] = b"yighin recovery key";

/// XChaCha20-Poly1305 under `key`, a random nonce first; base64.
fn encrypt(key: &[u8; 32], label: &[u8], plaintext: &[u8]) -> String {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: label,
            },
        )
        .expect("encryption of a short text cannot fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    STANDARD_NO_PAD.encode(out)
}

fn decrypt(key: &[u8; 32], label: &[u8], text: &str) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let bytes = decode(text)?;
    if bytes.len() < 24 {
        return Err(SealError);
    }
    let (nonce, sealed) = bytes.split_at(24);
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            nonce.into(),
            Payload {
                msg: sealed,
                aad: label,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| SealError)
}

/// The argon2id parameters OWASP recommends (19 MiB, two passes, one
/// lane), for password hashes and for keys derived from passwords alike.
pub fn argon2id() -> argon2::Argon2<'static> {
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32)).expect("valid argon2 parameters");
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// The name, contact and note a member typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Personal {
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "c")]
    pub contact: String,
    #[serde(rename = "o")]
    pub note: String,
}

impl Drop for Personal {
    fn drop(&mut self) {
        self.name.zeroize();
        self.contact.zeroize();
        self.note.zeroize();
    }
}

const MAIL_COPY: &[u8] = b"yighin member mail address";

/// The key that members' email addresses are encrypted under. It is never
/// in the database: a copy of the database alone reads no address (the
/// key is a file beside it, or a setting, kept out of its copies).
#[derive(Clone)]
pub struct MailKey(std::sync::Arc<Secret>);

impl MailKey {
    /// The key from an operator's secret of at least 32 characters (such
    /// as `openssl rand -base64 32`); `None` for a shorter one.
    pub fn from_secret(secret: &str) -> Option<MailKey> {
        use sha2::{Digest, Sha256};
        let secret = secret.trim();
        if secret.chars().count() < 32 {
            return None;
        }
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&Sha256::digest(secret.as_bytes()));
        Some(MailKey(std::sync::Arc::new(key)))
    }

    /// What is stored of a member's email: the address and the private
    /// link the emails lead back to, encrypted, and bound to the answer
    /// (`bound_to`, its private link's hash): copied onto another answer's
    /// row, it opens nothing.
    pub fn seal(&self, copy: &MailCopy, bound_to: &str) -> String {
        let plain = Zeroizing::new(serde_json::to_vec(copy).expect("a mail copy serialises"));
        encrypt(&self.0, &Self::label(bound_to), &plain)
    }

    pub fn open(&self, sealed: &str, bound_to: &str) -> Result<MailCopy, SealError> {
        let plain = decrypt(&self.0, &Self::label(bound_to), sealed)?;
        serde_json::from_slice(&plain).map_err(|_| SealError)
    }

    fn label(bound_to: &str) -> Vec<u8> {
        [MAIL_COPY, b" of ", bound_to.as_bytes()].concat()
    }

    /// A value only the key's holder can make from `text` (SHA-256 over
    /// the key and the text): what names an email to mail servers without
    /// saying which answer it is for.
    pub fn tag(&self, text: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut digest = Sha256::new();
        digest.update(self.0.as_slice());
        digest.update(b"yighin mail tag ");
        digest.update(text.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.finalize())
    }
}

impl std::fmt::Debug for MailKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailKey(hidden)")
    }
}

/// A member's email address and the token of their private link, as the
/// mail key keeps them (zeroised on drop).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailCopy {
    #[serde(rename = "a")]
    pub address: String,
    #[serde(rename = "t")]
    pub token: String,
}

impl Drop for MailCopy {
    fn drop(&mut self) {
        self.address.zeroize();
        self.token.zeroize();
    }
}

/// The key of one answer's personal fields (zeroised on drop).
pub struct AnswerKey(Secret);

impl AnswerKey {
    pub fn generate() -> AnswerKey {
        AnswerKey(random_secret())
    }

    /// The fields, encrypted under this key.
    pub fn encrypt(&self, personal: &Personal) -> String {
        let json = Zeroizing::new(serde_json::to_vec(personal).expect("strings serialise"));
        encrypt(&self.0, PERSONAL, &json)
    }

    pub fn decrypt(&self, text: &str) -> Result<Personal, SealError> {
        let json = decrypt(&self.0, PERSONAL, text)?;
        serde_json::from_slice(&json).map_err(|_| SealError)
    }

    /// This key in a sealed box to the organisation's public key (base64,
    /// as [`OrganisationKey::public`] gives it): anyone can seal, only the
    /// holder of the secret key opens. (Answers are sealed with an
    /// [`AnswerSealer`]; this is for the rare answer whose organisation key
    /// changed between sealing and storing.)
    pub fn seal_to(&self, organisation_public: &str) -> Result<String, SealError> {
        let sealed = public_key_from(organisation_public)?
            .seal(&mut OsRng, self.0.as_ref())
            .map_err(|_| SealError)?;
        Ok(STANDARD_NO_PAD.encode(sealed))
    }
}

fn public_key_from(text: &str) -> Result<crypto_box::PublicKey, SealError> {
    let bytes: [u8; 32] = decode(text)?.try_into().map_err(|_| SealError)?;
    Ok(crypto_box::PublicKey::from_bytes(bytes))
}

/// How long one writer key seals answers before the server makes another.
/// Whoever takes over the running server can open what it sealed in this
/// time (with a sealed box per answer, nothing already written), and an
/// organiser's list opens with one key agreement per writer key instead of
/// one per answer.
pub const WRITER_KEY_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Marks an answer key sealed by an [`AnswerSealer`].
const WRITER_PREFIX: &str = "w1:";

/// Seals answer keys to the organisation's public key with one key
/// agreement for many answers: an ephemeral writer key pair of this server
/// (its secret only in memory, used once and zeroised; the agreed key kept
/// for [`WRITER_KEY_LIFETIME`]) and `crypto_box` (X25519, XSalsa20-Poly1305)
/// with a random nonce per answer. The server still needs no secret of the
/// organisation's to write.
pub struct AnswerSealer {
    organisation_public: String,
    writer_public: [u8; 32],
    agreed: crypto_box::SalsaBox,
    made_at: Instant,
}

/// Shows which key it seals to, never the agreed key.
impl std::fmt::Debug for AnswerSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnswerSealer")
            .field("organisation_public", &self.organisation_public)
            .field("made_at", &self.made_at)
            .finish_non_exhaustive()
    }
}

impl AnswerSealer {
    pub fn new(organisation_public: &str) -> Result<AnswerSealer, SealError> {
        let organisation = public_key_from(organisation_public)?;
        let writer = crypto_box::SecretKey::generate(&mut OsRng);
        Ok(AnswerSealer {
            organisation_public: organisation_public.to_string(),
            writer_public: *writer.public_key().as_bytes(),
            agreed: crypto_box::SalsaBox::new(&organisation, &writer),
            made_at: Instant::now(),
        })
    }

    /// The organisation's public key it seals to.
    pub fn organisation_public(&self) -> &str {
        &self.organisation_public
    }

    /// Whether it seals to this public key and is young enough to go on.
    pub fn fits(&self, organisation_public: &str) -> bool {
        self.organisation_public == organisation_public && self.is_young()
    }

    /// Whether its writer key may seal more answers.
    pub fn is_young(&self) -> bool {
        self.made_at.elapsed() < WRITER_KEY_LIFETIME
    }

    /// The answer key sealed: the writer's public key, a nonce and the box.
    pub fn seal(&self, key: &AnswerKey) -> String {
        let nonce = crypto_box::SalsaBox::generate_nonce(&mut OsRng);
        let sealed = self
            .agreed
            .encrypt(&nonce, key.0.as_ref())
            .expect("encryption of a key cannot fail");
        let mut out = self.writer_public.to_vec();
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{WRITER_PREFIX}{}", STANDARD_NO_PAD.encode(out))
    }
}

/// The key agreements an organisation key made with writer keys while
/// opening answers: kept for one request (one per writer key), then
/// zeroised with it. Boxed, so that a growing map moves pointers, not keys
/// (the moment each is made, a copy may pass through the stack: zeroising
/// is best-effort there).
#[derive(Default)]
pub struct Agreements(HashMap<[u8; 32], Box<crypto_box::SalsaBox>>);

/// The organisation's key pair: answers are sealed to its public half.
pub struct OrganisationKey(crypto_box::SecretKey);

impl OrganisationKey {
    pub fn generate() -> OrganisationKey {
        OrganisationKey(crypto_box::SecretKey::generate(&mut OsRng))
    }

    /// The public key, base64: what the database keeps in the clear.
    pub fn public(&self) -> String {
        STANDARD_NO_PAD.encode(self.0.public_key().as_bytes())
    }

    /// Opens an answer key sealed by an [`AnswerSealer`] or with
    /// [`AnswerKey::seal_to`].
    pub fn open(&self, sealed: &str) -> Result<AnswerKey, SealError> {
        self.open_with(sealed, &mut Agreements::default())
    }

    /// [`OrganisationKey::open`], reusing (and adding to) the key
    /// agreements made with writer keys so far.
    pub fn open_with(
        &self,
        sealed: &str,
        agreements: &mut Agreements,
    ) -> Result<AnswerKey, SealError> {
        let Some(text) = sealed.strip_prefix(WRITER_PREFIX) else {
            let bytes = Zeroizing::new(self.0.unseal(&decode(sealed)?).map_err(|_| SealError)?);
            return Ok(AnswerKey(secret_from(&bytes)?));
        };
        let bytes = decode(text)?;
        if bytes.len() < 32 + 24 {
            return Err(SealError);
        }
        let (writer, rest) = bytes.split_at(32);
        let (nonce, boxed) = rest.split_at(24);
        let writer: [u8; 32] = writer.try_into().map_err(|_| SealError)?;
        let agreed = agreements.0.entry(writer).or_insert_with(|| {
            Box::new(crypto_box::SalsaBox::new(
                &crypto_box::PublicKey::from_bytes(writer),
                &self.0,
            ))
        });
        let key = Zeroizing::new(agreed.decrypt(nonce.into(), boxed).map_err(|_| SealError)?);
        Ok(AnswerKey(secret_from(&key)?))
    }

    fn secret_bytes(&self) -> Secret {
        Zeroizing::new(self.0.to_bytes())
    }

    fn from_secret(bytes: &[u8]) -> Result<OrganisationKey, SealError> {
        let secret = secret_from(bytes)?;
        Ok(OrganisationKey(crypto_box::SecretKey::from_bytes(*secret)))
    }
}

/// A key that wraps other keys: derived from a password, a token or the
/// recovery key.
pub struct WrappingKey(Secret);

impl WrappingKey {
    /// From a password and a salt of its own (see [`new_salt`]), with
    /// argon2id: as slow to guess as the password hash itself.
    pub fn from_password(password: &str, salt: &str) -> Result<WrappingKey, SealError> {
        let salt = decode(salt)?;
        let mut key = Zeroizing::new([0u8; 32]);
        argon2id()
            .hash_password_into(password.as_bytes(), &salt, key.as_mut())
            .map_err(|_| SealError)?;
        Ok(WrappingKey(key))
    }

    /// From one of our 256-bit random tokens (a private link, a device key,
    /// a session cookie), with HKDF: the token is as strong as the key.
    pub fn from_token(token: &str, purpose: Purpose) -> WrappingKey {
        Self::derived(token.as_bytes(), purpose.label())
    }

    /// From a recovery key as [`new_recovery_key`] printed it; case,
    /// spaces and dashes do not matter. `None` for text of another shape.
    pub fn from_recovery_key(text: &str) -> Option<WrappingKey> {
        let normalised = Zeroizing::new(normalise_recovery_key(text)?);
        Some(Self::derived(normalised.as_bytes(), RECOVERY))
    }

    fn derived(input: &[u8], label: &[u8]) -> WrappingKey {
        let mut key = Zeroizing::new([0u8; 32]);
        hkdf::Hkdf::<sha2::Sha256>::new(None, input)
            .expand(label, key.as_mut())
            .expect("32 bytes is a valid HKDF output length");
        WrappingKey(key)
    }

    pub fn wrap_answer_key(&self, key: &AnswerKey) -> String {
        encrypt(&self.0, ANSWER_KEY, key.0.as_ref())
    }

    pub fn unwrap_answer_key(&self, wrapped: &str) -> Result<AnswerKey, SealError> {
        Ok(AnswerKey(secret_from(&decrypt(
            &self.0, ANSWER_KEY, wrapped,
        )?)?))
    }

    pub fn wrap_organisation_key(&self, key: &OrganisationKey) -> String {
        encrypt(&self.0, ORGANISATION_KEY, key.secret_bytes().as_ref())
    }

    pub fn unwrap_organisation_key(&self, wrapped: &str) -> Result<OrganisationKey, SealError> {
        OrganisationKey::from_secret(&decrypt(&self.0, ORGANISATION_KEY, wrapped)?)
    }
}

/// An answer's personal fields as stored: encrypted under its answer key,
/// which is sealed to the organisation's public key and wrapped for the
/// private link and the device.
pub struct SealedAnswer {
    pub key: AnswerKey,
    pub personal: String,
    /// The answer key sealed to `sealed_to`, the organisation's public key
    /// as it was read before the event's lock was taken: the lock checks it
    /// still is (see [`crate::db::rsvps::create`]) and seals again if a
    /// rotation came between.
    pub for_organisers: String,
    pub sealed_to: String,
    pub for_link: String,
    /// `None` keeps the stored one: the answer changed through its private
    /// link, under the same key, from a device whose key is not at hand.
    pub for_device: Option<String>,
}

impl SealedAnswer {
    pub fn new(
        key: AnswerKey,
        personal: &Personal,
        sealer: &AnswerSealer,
        link_token: &str,
        device_key: Option<&str>,
    ) -> SealedAnswer {
        SealedAnswer {
            personal: key.encrypt(personal),
            for_organisers: sealer.seal(&key),
            sealed_to: sealer.organisation_public().to_string(),
            for_link: WrappingKey::from_token(link_token, Purpose::Link).wrap_answer_key(&key),
            for_device: device_key.map(|device| {
                WrappingKey::from_token(device, Purpose::Device).wrap_answer_key(&key)
            }),
            key,
        }
    }
}

/// A new salt for [`WrappingKey::from_password`].
pub fn new_salt() -> String {
    STANDARD_NO_PAD.encode(rand::random::<[u8; 16]>())
}

/// Characters of a recovery key: no look-alikes (0/O, 1/I/L).
const RECOVERY_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 32 characters of 31 possible: 158 bits.
const RECOVERY_LENGTH: usize = 32;

/// A new recovery key, in groups of four to copy by hand.
pub fn new_recovery_key() -> Zeroizing<String> {
    use rand::Rng;
    let mut rng = rand::rng();
    let chars: Zeroizing<Vec<u8>> = Zeroizing::new(
        (0..RECOVERY_LENGTH)
            .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
            .collect(),
    );
    Zeroizing::new(
        chars
            .chunks(4)
            .map(|group| std::str::from_utf8(group).expect("ASCII"))
            .collect::<Vec<_>>()
            .join("-"),
    )
}

fn normalise_recovery_key(text: &str) -> Option<String> {
    let normalised: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    (normalised.len() == RECOVERY_LENGTH
        && normalised.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
    .then_some(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_copy_opens_under_its_key_alone() {
        let key = MailKey::from_secret(&"k".repeat(32)).unwrap();
        let copy = MailCopy {
            address: "aygul@example.org".into(),
            token: "t0k3n".into(),
        };
        let sealed = key.seal(&copy, "answer-1");
        assert!(!sealed.contains("aygul"));
        assert_ne!(
            sealed,
            key.seal(&copy, "answer-1"),
            "a fresh nonce each time"
        );
        assert!(key.open(&sealed, "answer-1").unwrap() == copy);
        assert!(
            key.open(&sealed, "answer-2").is_err(),
            "bound to its answer"
        );
        let other = MailKey::from_secret(&"j".repeat(32)).unwrap();
        assert!(other.open(&sealed, "answer-1").is_err());
        assert_ne!(key.tag("7"), other.tag("7"));
        assert!(MailKey::from_secret("too short").is_none());
    }
    use proptest::prelude::*;

    fn personal(name: &str, contact: &str, note: &str) -> Personal {
        Personal {
            name: name.into(),
            contact: contact.into(),
            note: note.into(),
        }
    }

    #[test]
    fn an_answer_opens_with_the_organisation_key_and_nothing_else() {
        let organisation = OrganisationKey::generate();
        let key = AnswerKey::generate();
        let fields = key.encrypt(&personal("Aygül", "+1 555 0100", "ئايگۈل"));
        let sealed = key.seal_to(&organisation.public()).unwrap();
        let opened = organisation.open(&sealed).unwrap();
        assert_eq!(
            opened.decrypt(&fields).unwrap(),
            personal("Aygül", "+1 555 0100", "ئايگۈل")
        );
        assert_eq!(
            OrganisationKey::generate().open(&sealed).err(),
            Some(SealError)
        );
        assert_eq!(AnswerKey::generate().decrypt(&fields), Err(SealError));
        assert!(!fields.contains("Ayg"));
    }

    #[test]
    fn a_writer_key_seals_many_answers_that_open_with_one_agreement() {
        let organisation = OrganisationKey::generate();
        let sealer = AnswerSealer::new(&organisation.public()).unwrap();
        assert!(sealer.fits(&organisation.public()));
        assert!(!sealer.fits(&OrganisationKey::generate().public()));
        let keys: Vec<AnswerKey> = (0..5).map(|_| AnswerKey::generate()).collect();
        let fields: Vec<String> = keys
            .iter()
            .map(|k| k.encrypt(&personal("n", "c", "o")))
            .collect();
        let sealed: Vec<String> = keys.iter().map(|k| sealer.seal(k)).collect();
        assert_ne!(sealed[0], sealed[1], "a nonce of its own each");
        let mut agreements = Agreements::default();
        for (sealed, fields) in sealed.iter().zip(&fields) {
            let key = organisation.open_with(sealed, &mut agreements).unwrap();
            assert_eq!(key.decrypt(fields).unwrap().name, "n");
        }
        assert_eq!(agreements.0.len(), 1);
        // Another writer (another server, or later): a second agreement.
        let later = AnswerSealer::new(&organisation.public()).unwrap();
        let key = organisation
            .open_with(&later.seal(&keys[0]), &mut agreements)
            .unwrap();
        assert_eq!(key.decrypt(&fields[0]).unwrap().name, "n");
        assert_eq!(agreements.0.len(), 2);
        assert!(OrganisationKey::generate().open(&sealed[0]).is_err());
    }

    #[test]
    fn wraps_open_only_with_their_own_token_and_purpose() {
        let token = crate::secrets::new_token();
        let key = AnswerKey::generate();
        let wrapped = WrappingKey::from_token(&token, Purpose::Link).wrap_answer_key(&key);
        let fields = key.encrypt(&personal("a", "b", "c"));
        let unwrapped = WrappingKey::from_token(&token, Purpose::Link)
            .unwrap_answer_key(&wrapped)
            .unwrap();
        assert_eq!(unwrapped.decrypt(&fields).unwrap().name, "a");
        assert!(WrappingKey::from_token(&token, Purpose::Device)
            .unwrap_answer_key(&wrapped)
            .is_err());
        assert!(
            WrappingKey::from_token(&crate::secrets::new_token(), Purpose::Link)
                .unwrap_answer_key(&wrapped)
                .is_err()
        );
        // An answer key's wrap is not an organisation key's.
        assert!(WrappingKey::from_token(&token, Purpose::Link)
            .unwrap_organisation_key(&wrapped)
            .is_err());
    }

    #[test]
    fn the_organisation_key_unwraps_with_the_password_and_salt_it_was_wrapped_with() {
        let organisation = OrganisationKey::generate();
        let salt = new_salt();
        let wrapped = WrappingKey::from_password("correct horse", &salt)
            .unwrap()
            .wrap_organisation_key(&organisation);
        let back = WrappingKey::from_password("correct horse", &salt)
            .unwrap()
            .unwrap_organisation_key(&wrapped)
            .unwrap();
        assert_eq!(back.public(), organisation.public());
        for (password, salt) in [
            ("correct horsf", salt.clone()),
            ("correct horse", new_salt()),
        ] {
            assert!(WrappingKey::from_password(password, &salt)
                .unwrap()
                .unwrap_organisation_key(&wrapped)
                .is_err());
        }
    }

    #[test]
    fn recovery_keys_are_typed_loosely_and_refused_when_wrong() {
        let recovery = new_recovery_key();
        assert_eq!(recovery.len(), 32 + 7);
        let organisation = OrganisationKey::generate();
        let wrapped = WrappingKey::from_recovery_key(&recovery)
            .unwrap()
            .wrap_organisation_key(&organisation);
        let typed = recovery.to_lowercase().replace('-', " ");
        let back = WrappingKey::from_recovery_key(&typed)
            .unwrap()
            .unwrap_organisation_key(&wrapped)
            .unwrap();
        assert_eq!(back.public(), organisation.public());
        let other = new_recovery_key();
        assert!(WrappingKey::from_recovery_key(&other)
            .unwrap()
            .unwrap_organisation_key(&wrapped)
            .is_err());
        assert!(WrappingKey::from_recovery_key("too short").is_none());
        assert!(WrappingKey::from_recovery_key(&"0".repeat(32)).is_none());
    }

    proptest! {
        #[test]
        fn any_fields_round_trip(name in ".{0,80}", contact in ".{0,80}", note in ".{0,400}") {
            let organisation = OrganisationKey::generate();
            let key = AnswerKey::generate();
            let fields = key.encrypt(&personal(&name, &contact, &note));
            let sealed = key.seal_to(&organisation.public()).unwrap();
            let opened = organisation.open(&sealed).unwrap().decrypt(&fields).unwrap();
            prop_assert_eq!(opened, personal(&name, &contact, &note));
        }

        #[test]
        fn altered_texts_are_refused_without_a_panic(
            flip in 0usize..400, bit in 0u8..8, cut in 0usize..200, junk in ".{0,120}"
        ) {
            let organisation = OrganisationKey::generate();
            let key = AnswerKey::generate();
            let fields = key.encrypt(&personal("name", "contact", "note"));
            let sealed = key.seal_to(&organisation.public()).unwrap();
            let written = AnswerSealer::new(&organisation.public()).unwrap().seal(&key);
            prop_assert!(organisation.open(&written).is_ok());
            // The nonce and the box (X25519 itself ignores the top bit of
            // the writer's public key, as of any public key).
            let altered_written = format!("{WRITER_PREFIX}{}", {
                let mut bytes = STANDARD_NO_PAD.decode(&written[3..]).unwrap();
                let at = 32 + flip % (bytes.len() - 32);
                bytes[at] ^= 1 << bit;
                STANDARD_NO_PAD.encode(&bytes)
            });
            prop_assert!(organisation.open(&altered_written).is_err());
            prop_assert!(organisation.open(&written[..3 + cut % (written.len() - 3)]).is_err());
            for text in [&fields, &sealed] {
                let mut bytes = STANDARD_NO_PAD.decode(text).unwrap();
                let at = flip % bytes.len();
                bytes[at] ^= 1 << bit;
                let altered = STANDARD_NO_PAD.encode(&bytes);
                prop_assert!(organisation.open(&altered).is_err() || text == &fields);
                prop_assert!(key.decrypt(&altered).is_err());
                let cut_text = &text[..cut % text.len()];
                prop_assert!(key.decrypt(cut_text).is_err());
                prop_assert!(organisation.open(cut_text).is_err());
            }
            prop_assert!(key.decrypt(&junk).is_err());
            prop_assert!(organisation.open(&junk).is_err());
            prop_assert!(WrappingKey::from_token("t", Purpose::Session).unwrap_organisation_key(&junk).is_err());
        }
    }
}
