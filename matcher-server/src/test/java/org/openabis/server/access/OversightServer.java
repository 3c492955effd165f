package org.openabis.server.access;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.client.AfisClient;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.server.net.AfisServer;
import org.openabis.server.net.Oversight;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.PersonRecord;
import org.openabis.server.records.RecordLookup;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.records.RecordsRepository;
import org.openabis.server.records.SyntheticRecords;

/**
 * A server as {@code afis serve} wires it — engine, records database, lookup stage, agencies, audit writer,
 * TCP on a loopback port — with impression 1 of FVC2002 DB1 B's ten fingers enrolled and their synthetic
 * records loaded.
 */
public final class OversightServer implements AutoCloseable {
    public final AfisConfig config;
    public final MatchEngine engine;
    public final RecordsDatabase database;
    public final RecordsRepository repository;
    public final AgencyStore agencies;
    public final AuditTrail trail;
    public final Map<String, PersonRecord> records;
    private final RecordLookup lookup;
    private final AuditLog audit;
    private final AfisServer server;

    private OversightServer(AfisConfig config, MatchEngine engine, RecordsDatabase database, RecordLookup lookup, AuditLog audit,
                            AfisServer server, Map<String, PersonRecord> records) {
        this.config = config;
        this.engine = engine;
        this.database = database;
        this.repository = new RecordsRepository(database.dataSource());
        this.agencies = new AgencyStore(database.dataSource(), Clock.systemUTC());
        this.trail = new AuditTrail(database.dataSource());
        this.lookup = lookup;
        this.audit = audit;
        this.server = server;
        this.records = records;
    }

    public static final List<FvcPrint> GALLERY = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 1);

    public static OversightServer start(AfisConfig config) throws Exception {
        return start(config, DedupMode.OFF);
    }

    /** As above, with {@code dedup} the server's duplicate check of ENROLLs that name none (serve --dedup). */
    public static OversightServer start(AfisConfig config, DedupMode dedup) throws Exception {
        config = config.withBind("127.0.0.1", 0).withGalleryCapacity(1_000);
        MatchEngine engine = MatchEngine.open(config);
        RecordsDatabase database = null;
        RecordLookup lookup = null;
        AuditLog audit = null;
        try {
            List<CompletableFuture<MatchResult>> enrolled = new ArrayList<>();
            for (FvcPrint print : GALLERY)
                enrolled.add(engine.submit(MatchRequest.enroll(print.fingerId(),
                        List.of(FingerSample.image(0, print.tiff(), TestFingerprints.DPI)))));
            enrolled.forEach(CompletableFuture::join);
            database = RecordsDatabase.open(config);
            RecordsRepository repository = new RecordsRepository(database.dataSource());
            List<PersonRecord> people = SyntheticRecords.generate(GALLERY.stream().map(FvcPrint::fingerId).toList(), SyntheticRecords.DEMO_SEED);
            repository.save(people);
            lookup = new RecordLookup(repository, config, Clock.systemUTC());
            audit = new AuditLog(database.dataSource(), config, Clock.systemUTC());
            Oversight oversight = new Oversight(new AgencyStore(database.dataSource(), Clock.systemUTC()), audit,
                    new AuditTrail(database.dataSource()), new DetainerService(repository, Clock.systemUTC()),
                    new ComplaintService(database.dataSource(), Clock.systemUTC()), repository, Clock.systemUTC());
            AfisServer server = AfisServer.start(config, engine, lookup, oversight, dedup);
            return new OversightServer(config, engine, database, lookup, audit, server,
                    people.stream().collect(Collectors.toMap(PersonRecord::subjectId, Function.identity())));
        } catch (Exception e) {
            if (audit != null)
                audit.close();
            if (lookup != null)
                lookup.close();
            if (database != null)
                database.close();
            engine.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
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
        server.close();
        engine.close();
        lookup.close();
        audit.close();
        database.close();
    }
}
