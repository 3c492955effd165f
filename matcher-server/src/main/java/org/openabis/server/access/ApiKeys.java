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

    /** Whether {@code key} hashes to {@code expectedHex}; compared in constant time. */
    static boolean matches(String key, String saltHex, String expectedHex, String algorithm) {
        byte[] actual = HEX.parseHex(hash(key, saltHex, algorithm));
        return MessageDigest.isEqual(actual, HEX.parseHex(expectedHex));
    }
}
