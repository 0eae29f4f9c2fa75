//! Random tokens and their hashes, in one place.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new random token of 256 bits, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token derived from a secret one for a purpose (`context`): the same
/// inputs give the same token, and it reveals nothing of the secret.
pub fn derived_token(secret: &str, context: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(context.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// An HMAC-SHA-256 under `secret` of `parts` one after the other, its first
/// `bytes` bytes in hex: a name derived from content that says nothing to
/// someone without the secret.
pub fn keyed_hex(secret: &str, parts: &[&[u8]], bytes: usize) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    for part in parts {
        mac.update(part);
    }
    hex(&mac.finalize().into_bytes()[..bytes])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored instead of a token: its SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares a presented token with a stored hash in constant time.
pub fn token_matches(token: &str, stored_hash: &str) -> bool {
    token_hash(token)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

/// Whether text has the shape of one of our tokens (so that anything else is
/// refused before it reaches the database).
pub fn looks_like_token(text: &str) -> bool {
    text.len() == 43
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A new device key: a random token and, after a dot, its tag under
/// `secret` (the instance's device secret), so that only keys this
/// instance issued are accepted.
pub fn new_device_key(secret: &str) -> String {
    let token = new_token();
    let tag = device_tag(secret, &token);
    format!("{token}.{tag}")
}

fn device_tag(secret: &str, token: &str) -> String {
    let tag = derived_token(secret, &format!("device key {token}"));
    // 128 bits of tag are plenty: a forger gets no oracle to try them on.
    tag[..22].to_string()
}

/// Whether `key` is a device key this instance issued (its tag checked in
/// constant time).
pub fn is_device_key(secret: &str, key: &str) -> bool {
    let Some((token, tag)) = key.split_once('.') else {
        return false;
    };
    looks_like_token(token)
        && tag.len() == 22
        && device_tag(secret, token)
            .as_bytes()
            .ct_eq(tag.as_bytes())
            .into()
}

/// A short code for check-in at the door: six characters from an alphabet
/// without look-alikes (no 0/O, 1/I/L).
pub fn new_short_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..6)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(looks_like_token(&a), "{a}");
        let hash = token_hash(&a);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&a));
        assert!(token_matches(&a, &hash));
        assert!(!token_matches(&b, &hash));
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token(&format!("{}%", &a[..42])));
    }

    #[test]
    fn derived_tokens_are_stable_per_purpose_and_look_like_tokens() {
        let secret = new_token();
        let a = derived_token(&secret, "feed 0");
        assert_eq!(a, derived_token(&secret, "feed 0"));
        assert_ne!(a, derived_token(&secret, "feed 1"));
        assert_ne!(a, derived_token(&new_token(), "feed 0"));
        assert!(looks_like_token(&a));
    }

    #[test]
    fn only_device_keys_issued_with_the_secret_are_accepted() {
        let secret = new_token();
        let key = new_device_key(&secret);
        assert!(is_device_key(&secret, &key));
        assert!(!is_device_key(&new_token(), &key), "another instance's key");
        let (token, _) = key.split_once('.').unwrap();
        assert!(!is_device_key(&secret, token), "an untagged key");
        let forged = format!("{token}.{}", "A".repeat(22));
        assert!(!is_device_key(&secret, &forged));
        assert!(!is_device_key(
            &secret,
            &format!("{}.{}", new_token(), &key[44..])
        ));
        assert!(!is_device_key(&secret, ""));
    }

    #[test]
    fn short_codes_avoid_look_alikes() {
        for _ in 0..100 {
            let code = new_short_code();
            assert_eq!(code.len(), 6);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }
}
