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

/// What is stored instead of a token: its SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
    fn short_codes_avoid_look_alikes() {
        for _ in 0..100 {
            let code = new_short_code();
            assert_eq!(code.len(), 6);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }
}
