package org.openabis.server.access;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * API keys and their stored form. A key is 32 random bytes (base64url, 43 characters) shown once; the
 * database keeps a random 16-byte salt and PBKDF2-HMAC-SHA256 of salt + key. The algorithm name stored
 * with each agency carries the iteration count ("PBKDF2WithHmacSHA256:20000"), so a later change of the
 * count applies to new keys without a migration and old keys still verify.
 *
 * <p>The keys are random, not chosen by people, so no dictionary applies and the iteration count only has
 * to make a stolen table costly to test guesses against, not resist a password list: 20 000 iterations cost
 * a few milliseconds per connection, spent off the event loop.
 */
public final class ApiKeys {
    static final String PBKDF2 = "PBKDF2WithHmacSHA256";
    static final int ITERATIONS = 20_000;
    static final String CURRENT_ALGORITHM = PBKDF2 + ":" + ITERATIONS;
    private static final int KEY_BYTES = 32;
    /** Base64 of 32 bytes without padding. */
    private static final int KEY_CHARACTERS = 43;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private ApiKeys() {
    }

    /** A new random API key. */
    public static String newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** A new random salt, hex. */
    static String newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return HEX.formatHex(salt);
    }

    /** The hex hash of {@code key} under {@code saltHex} by the named algorithm. */
    static String hash(String key, String saltHex, String algorithm) {
        String[] parts = algorithm.split(":");
        if (parts.length != 2 || !parts[0].equals(PBKDF2))
            throw new IllegalArgumentException("unknown key hash algorithm " + algorithm);
        int iterations = Integer.parseInt(parts[1]);
        try {
            PBEKeySpec spec = new PBEKeySpec(key.toCharArray(), HEX.parseHex(saltHex), iterations, HASH_BITS);
            try {
                return HEX.formatHex(SecretKeyFactory.getInstance(PBKDF2).generateSecret(spec).getEncoded());
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + PBKDF2, e);
        }
    }

    /**
     * Whether {@code key} is a well-formed key (see {@link #wellFormed}) that hashes to {@code expectedHex}; the
     * hashes are compared in constant time. The hash is computed even for a malformed key, so the answer takes
     * as long either way.
     */
    static boolean matches(String key, String saltHex, String expectedHex, String algorithm) {
        byte[] actual = HEX.parseHex(hash(key, saltHex, algorithm));
        return MessageDigest.isEqual(actual, HEX.parseHex(expectedHex)) & wellFormed(key);
    }

    /**
     * Exactly the form {@link #newKey} gives: 43 base64url characters, no padding, decoding to 32 bytes and
     * encoding back to the same text. Checked because PBKDF2's HMAC pads its key with zero bytes, so a key
     * followed by NUL characters hashes exactly like the key itself.
     */
    static boolean wellFormed(String key) {
        if (key.length() != KEY_CHARACTERS)
            return false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'))
                return false;
        }
        byte[] decoded = Base64.getUrlDecoder().decode(key);
        return decoded.length == KEY_BYTES && Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(key);
    }
}
