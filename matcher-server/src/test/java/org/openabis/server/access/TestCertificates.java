package org.openabis.server.access;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time (EC P-256, valid for a day), and certificates it issues, written as
 * PEM files the way an operator would hand them to {@code afis serve}: no key material is kept in the repository.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate chain file and its PKCS#8 key file. */
    public record Issued(Path certificate, Path key) {
    }

    private final Path folder;
    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    /** The CA's certificate, PEM: what the other side trusts. */
    public final Path certificateFile;

    private TestCertificates(Path folder, String name, KeyPair keys, X509Certificate certificate) throws IOException {
        this.folder = folder;
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
        this.certificateFile = writeCertificate(folder.resolve(name + "-ca.pem"), certificate);
    }

    public static TestCertificates authority(Path folder, String name) throws Exception {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name + " test CA");
        X509v3CertificateBuilder builder = builder(subject, subject, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestCertificates(Files.createDirectories(folder), name, keys, sign(builder, keys.getPrivate()));
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Issued server(String host) throws Exception {
        return issue(host, KeyPurposeId.id_kp_serverAuth, true);
    }

    /** A client certificate. */
    public Issued client(String holder) throws Exception {
        return issue(holder, KeyPurposeId.id_kp_clientAuth, false);
    }

    private Issued issue(String holder, KeyPurposeId purpose, boolean server) throws Exception {
        KeyPair holderKeys = keyPair();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name + " test CA"), new X500Name("CN=" + holder), holderKeys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (server)
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        X509Certificate issued = sign(builder, keys.getPrivate());
        Path certificateFile = writeCertificate(folder.resolve(name + "-" + holder + ".pem"), issued);
        Path keyFile = writeKey(folder.resolve(name + "-" + holder + "-key.pem"), holderKeys.getPrivate());
        return new Issued(certificateFile, keyFile);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static Path writeCertificate(Path file, X509Certificate certificate) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(certificate);
        }
        return Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
    }

    /** PKCS#8, the key format Netty's JDK provider reads. */
    private static Path writeKey(Path file, PrivateKey key) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
    }
}
