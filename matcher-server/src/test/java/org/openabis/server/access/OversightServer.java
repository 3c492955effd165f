package org.openabis.server.access;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerAssembly;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.client.AfisClient;
import org.openabis.server.records.PersonRecord;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.records.RecordsRepository;
import org.openabis.server.records.SyntheticRecords;

/**
 * A server as {@code afis serve} wires it (ServerAssembly with oversight) — engine, records database, lookup stage,
 * agencies, audit writer, TCP on a loopback port — with impression 1 of FVC2002 DB1 B's ten fingers enrolled and
 * their synthetic records loaded before it serves.
 */
public final class OversightServer implements AutoCloseable {
    public final ServerSettings config;
    public final MatchEngine engine;
    public final RecordsDatabase database;
    public final RecordsRepository repository;
    public final AgencyStore agencies;
    public final AuditTrail trail;
    public final Map<String, PersonRecord> records;
    private final ServerAssembly assembly;

    private OversightServer(ServerAssembly assembly, Map<String, PersonRecord> records) {
        this.assembly = assembly;
        this.config = assembly.settings();
        this.engine = assembly.engine();
        this.database = assembly.records();
        this.repository = assembly.oversight().records();
        this.agencies = assembly.oversight().agencies();
        this.trail = assembly.oversight().trail();
        this.records = records;
    }

    public static final List<FvcPrint> GALLERY = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 1);

    public static OversightServer start(ServerSettings config) throws Exception {
        return start(config, new CompositeMeterRegistry());
    }

    /** A server whose meters are registered in {@code metrics} (what /metrics is scraped from). */
    public static OversightServer start(ServerSettings config, MeterRegistry metrics) throws Exception {
        List<PersonRecord> people = SyntheticRecords.generate(GALLERY.stream().map(FvcPrint::fingerId).toList(), SyntheticRecords.DEMO_SEED);
        ServerAssembly assembly = ServerAssembly.open(config.withBind("127.0.0.1", 0).withEngine(e -> e.withGalleryCapacity(1_000)),
                ServerAssembly.Parts.OVERSIGHT, new ServerAssembly.StartUp() {
                    @Override
                    public void beforeServing(ServerAssembly opened) throws Exception {
                        List<CompletableFuture<MatchResult>> enrolled = new ArrayList<>();
                        for (FvcPrint print : GALLERY)
                            enrolled.add(opened.engine().submit(MatchRequest.enroll(print.fingerId(),
                                    List.of(FingerSample.image(0, print.tiff(), TestFingerprints.DPI)))));
                        enrolled.forEach(CompletableFuture::join);
                        opened.oversight().records().save(people);
                    }
                }, metrics);
        return new OversightServer(assembly, people.stream().collect(Collectors.toMap(PersonRecord::subjectId, Function.identity())));
    }

    /** The audit writer, for the readiness check that it runs. */
    public AuditLog audit() {
        return assembly.oversight().audit();
    }

    public int port() {
        return assembly.port();
    }

    /** A plaintext connection, unauthenticated. */
    public AfisClient connect() throws IOException {
        return AfisClient.connect("127.0.0.1", port());
    }

    public AfisClient connect(AfisClient.Tls tls, AfisClient.Credentials credentials) throws IOException {
        return AfisClient.connect("127.0.0.1", port(), tls, credentials);
    }

    /** Adds an agency and returns the credentials to connect as it. */
    public AfisClient.Credentials agency(String id, String jurisdiction, Role role) throws Exception {
        return new AfisClient.Credentials(id, agencies.add(id, "Test agency " + id, jurisdiction, role).apiKey());
    }

    @Override
    public void close() {
        assembly.close();
    }
}
