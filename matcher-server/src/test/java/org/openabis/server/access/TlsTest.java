package org.openabis.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Format;
import org.openabis.wire.Ping;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/** TLS on the TCP port with certificates made at test time: TLS only with client certificates, and TLS optional. */
class TlsTest {
    @TempDir
    Path temp;

    @Test
    void mutualTlsAuthenticatesAndAnswersWhilePlaintextAndMissingClientCertificatesAreRefused() throws Exception {
        TestCertificates serverCa = TestCertificates.authority(temp.resolve("pki"), "servers");
        TestCertificates.Issued serverCertificate = serverCa.server("afis");
        TestCertificates clientCa = TestCertificates.authority(temp.resolve("pki"), "clients");
        TestCertificates.Issued clientCertificate = clientCa.client("field-office");
        TestCertificates stranger = TestCertificates.authority(temp.resolve("pki"), "stranger");

        ServerSettings config = ServerSettings.defaults(temp.resolve("data")).withEngine(e -> e.withRing(64, 2, 2))
                .withTls(serverCertificate.certificate(), serverCertificate.key(), clientCa.certificateFile, false);
        try (OversightServer server = OversightServer.start(config)) {
            AfisClient.Credentials officer = server.agency("tls-officer", "county-t", Role.IMMIGRATION_OFFICER);
            AfisClient.Tls tls = new AfisClient.Tls(serverCa.certificateFile, clientCertificate.certificate(), clientCertificate.key());
            try (AfisClient client = server.connect(tls, officer)) {
                FvcPrint probe = new FvcPrint(TestFingerprints.FvcSet.FVC2002_DB1_B, 103, 2);
                Response hit = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, probe.tiff(), TestFingerprints.DPI)), 3, null)
                        .get(60, TimeUnit.SECONDS);
                assertEquals("fvc2002-db1-b/103", hit.getIdentified().getCandidates(0).getSubjectId());
                assertTrue(hit.getIdentified().getCandidates(0).getRecord().getOnFile());
                assertFalse(hit.getTransactionRef().isEmpty());
            }

            // No client certificate: the handshake fails.
            assertThrows(IOException.class, () -> server.connect(new AfisClient.Tls(serverCa.certificateFile, null, null), officer).close());
            // A server certificate the client does not trust.
            TestCertificates.Issued strangerCertificate = stranger.client("intruder");
            assertThrows(IOException.class, () -> server.connect(new AfisClient.Tls(stranger.certificateFile,
                    clientCertificate.certificate(), clientCertificate.key()), officer).close());
            // A client certificate from another CA.
            assertThrows(IOException.class, () -> server.connect(new AfisClient.Tls(serverCa.certificateFile,
                    strangerCertificate.certificate(), strangerCertificate.key()), officer).close());
            // Plaintext: the server closes the connection without answering.
            assertTrue(plaintextPingIsRefused(server.port()));
            assertTrue(server.trail.verify().intact());
        }
    }

    @Test
    void optionalTlsAcceptsBothTlsAndPlaintextOnOnePort() throws Exception {
        TestCertificates ca = TestCertificates.authority(temp.resolve("pki"), "servers");
        TestCertificates.Issued certificate = ca.server("afis");
        ServerSettings config = ServerSettings.defaults(temp.resolve("data")).withEngine(e -> e.withRing(64, 2, 2))
                .withTls(certificate.certificate(), certificate.key(), null, true);
        try (OversightServer server = OversightServer.start(config)) {
            AfisClient.Credentials auditor = server.agency("tls-auditor", "state", Role.AUDITOR);
            try (AfisClient overTls = server.connect(new AfisClient.Tls(ca.certificateFile, null, null), auditor);
                 AfisClient plain = server.connect(null, auditor)) {
                assertTrue(overTls.stats().get(30, TimeUnit.SECONDS).hasStats());
                assertTrue(plain.stats().get(30, TimeUnit.SECONDS).hasStats());
            }
        }
    }

    /** Sends a well-formed plaintext PING frame and reads until the server closes: true if it closed without a reply frame. */
    private static boolean plaintextPingIsRefused(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            byte[] ping = Request.newBuilder().setRequestId(1).setPing(Ping.getDefaultInstance()).build().toByteArray();
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(ping.length);
            out.write(ping);
            out.flush();
            byte[] answer = socket.getInputStream().readAllBytes();   // returns at end of stream: the server closed
            // Nothing, or at most a TLS alert record (content type 21): never a protobuf frame.
            return answer.length == 0 || answer[0] == 21;
        }
    }
}
