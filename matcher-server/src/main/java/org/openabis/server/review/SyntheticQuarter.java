package org.openabis.server.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;
import org.openabis.server.ServerSettings;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.records.RecordsRepository;
import org.openabis.server.records.SyntheticRecords;

/**
 * A seeded, synthetic quarter of oversight data: for each of about ten invented counties, a booking agency
 * or two and an immigration office, the quarter's IDENTIFY answers in the audit trail (with the hit fields
 * the review counts), other audit rows the review must not count, detainers issued on hits, and
 * complaints. One jurisdiction can be made to over-report non-criminal hits. The same settings always give
 * the same quarter. Nothing here describes a real place, agency or person.
 *
 * <p>What it models, per jurisdiction: a size (identifications) drawn log-uniformly from 300 to 3000; a
 * hit rate of 35 % ± 1 point; hits split as no record 2 %, minor-traffic-only 6 %, other no-conviction
 * 15 % ± 1 point, convicted but no priority 7 %, priority 3 / 2 / 1 at 30 / 25 / 15 %; a detainer for
 * 50 % ± 2 points of the priority hits; a complaint about 0.4 % of identifications and 4 % of detainers,
 * filed up to three weeks later (so some fall in the next quarter); besides, an enrollment for 10 % and a
 * failed search (LOW_QUALITY) for 2 % of identifications, rows the review must not count. (The constants
 * below are these numbers; the spreads are half-widths of uniform draws.) The small spreads between
 * jurisdictions are deliberate: real jurisdictions differ by more than chance, which is what the
 * review's overdispersion correction is for.
 *
 * <p>A quarter is past activity: nothing is dated after {@link Settings#asOf} (the present, from the command
 * line). The quarter is generated whole and cut there, so the current quarter holds what happened so far, the
 * same rows as the whole quarter's up to that instant, and a complaint that would be filed later is not on
 * file yet; a quarter that has not begun is refused.
 *
 * <p>Audit rows are written by the audit writer itself ({@link AuditLog}), with the generated times and
 * transaction references: they continue the trail wherever it ends, chained and anchored like any other
 * entries, so {@code afis audit verify} checks a database with a synthetic quarter like any other, and a
 * server appending at the same time only interleaves its entries with them.
 */
public final class SyntheticQuarter {
    public static final int DEFAULT_JURISDICTIONS = 10;
    private static final List<String> COUNTIES = List.of("alder", "birch", "cedar", "dogwood", "elm", "fir", "hawthorn",
            "juniper", "laurel", "maple", "oak", "willow");
    private static final int MIN_IDENTIFICATIONS = 300;
    private static final int MAX_IDENTIFICATIONS = 3000;
    private static final double HIT_RATE = 0.35;
    private static final double HIT_RATE_SPREAD = 0.01;
    /** Hit profiles' weights, in {@link Profile} order. */
    private static final double[] PROFILE_WEIGHTS = {0.02, 0.06, 0.15, 0.07, 0.30, 0.25, 0.15};
    private static final double NO_CONVICTION_SPREAD = 0.01;
    private static final double DETAINER_RATE = 0.5;
    private static final double DETAINER_SPREAD = 0.02;
    private static final double COMPLAINTS_PER_IDENTIFICATION = 0.004;
    private static final double COMPLAINTS_PER_DETAINER = 0.04;
    private static final double ENROLLMENTS_PER_IDENTIFICATION = 0.10;
    private static final double FAILED_IDENTIFICATIONS = 0.02;

    private SyntheticQuarter() {
    }

    /** What the best candidate of a hit turned out to be. */
    enum Profile {
        NO_RECORD(null, null, null), MINOR_TRAFFIC_ONLY(0, true, true), NO_CONVICTION(0, true, false),
        CONVICTED_NO_PRIORITY(0, false, false), LEVEL_3(3, false, false), LEVEL_2(2, false, false), LEVEL_1(1, false, false);

        final Integer level;
        final Boolean noConviction;
        final Boolean minorTrafficOnly;

        Profile(Integer level, Boolean noConviction, Boolean minorTrafficOnly) {
            this.level = level;
            this.noConviction = noConviction;
            this.minorTrafficOnly = minorTrafficOnly;
        }
    }

    /**
     * @param overReporting                 the jurisdiction that over-reports non-criminal hits, or null for none
     * @param overReportedNoConvictionShare the share of its hits with no conviction (the others' is about 0.21)
     * @param asOf                          the present: nothing generated is dated after it
     */
    public record Settings(Quarter quarter, long seed, int jurisdictions, String overReporting,
                           double overReportedNoConvictionShare, Instant asOf) {
        public Settings {
            if (!quarter.start().isBefore(asOf))
                throw new IllegalArgumentException("quarter " + quarter + " has not begun on " + asOf
                        + ": a synthetic quarter is past activity");
            if (jurisdictions < 2)
                throw new IllegalArgumentException("a review compares at least 2 jurisdictions");
            if (overReporting != null && !jurisdictionNames(jurisdictions).contains(overReporting))
                throw new IllegalArgumentException("no jurisdiction '" + overReporting + "' among " + jurisdictionNames(jurisdictions));
            if (overReporting != null && !(overReportedNoConvictionShare > 0 && overReportedNoConvictionShare <= 1))
                throw new IllegalArgumentException("the over-reported share is in (0, 1]");
        }

        /** The quarter as it stands now. */
        public static Settings of(Quarter quarter, long seed) {
            return new Settings(quarter, seed, DEFAULT_JURISDICTIONS, null, 0, Instant.now());
        }

        public Settings withOverReporting(String jurisdiction, double noConvictionShare) {
            return new Settings(quarter, seed, jurisdictions, jurisdiction, noConvictionShare, asOf);
        }

        /** The same quarter as it stood at {@code asOf}. */
        public Settings asOf(Instant asOf) {
            return new Settings(quarter, seed, jurisdictions, overReporting, overReportedNoConvictionShare, asOf);
        }
    }

    public record Agency(String agencyId, String displayName, String jurisdiction, String role) {
    }

    /** An audit row. For IDENTIFY: hit fields as the review reads them; null where the schema says null. */
    public record AuditRow(Instant recordedAt, String agencyId, String jurisdiction, String operation, long requestId,
                           String transactionRef, String subjectIds, String outcome, Boolean hit, Integer priorityLevel,
                           Boolean noConviction, Boolean minorTrafficOnly) {
    }

    public record IssuedDetainer(String subjectId, Agency agency, Instant issuedAt, Instant expiresAt) {
    }

    /** About a transaction or the detainer at {@code detainerIndex} of the generated list. */
    public record FiledComplaint(String jurisdiction, Instant filedAt, String transactionRef, Integer detainerIndex,
                                 String description) {
    }

    public record Generated(Settings settings, List<Agency> agencies, List<AuditRow> audit, List<IssuedDetainer> detainers,
                            List<FiledComplaint> complaints) {
    }

    /** The jurisdictions a quarter of this many has: invented counties, numbered past the twelfth. */
    public static List<String> jurisdictionNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++)
            names.add(COUNTIES.get(i % COUNTIES.size()) + "-county" + (i < COUNTIES.size() ? "" : "-" + (i / COUNTIES.size() + 1)));
        return names;
    }

    /** The quarter in memory; nothing is written. */
    public static Generated generate(Settings settings) {
        Quarter quarter = settings.quarter();
        String tag = quarter + "-" + Long.toHexString(settings.seed());
        long quarterMillis = Duration.between(quarter.start(), quarter.end()).toMillis();
        List<Agency> agencies = new ArrayList<>();
        List<AuditRow> audit = new ArrayList<>();
        List<IssuedDetainer> detainers = new ArrayList<>();
        List<FiledComplaint> complaints = new ArrayList<>();
        int subjects = 0;
        List<String> names = jurisdictionNames(settings.jurisdictions());
        for (int index = 0; index < names.size(); index++) {
            String jurisdiction = names.get(index);
            // A stream per jurisdiction, and another for over-reporting: a quarter with an over-reporting
            // jurisdiction differs from the same seed's quarter without one in that jurisdiction only.
            Random random = new Random(settings.seed() * 1_000_003L + index);
            Random overReport = new Random(~(settings.seed() * 1_000_003L + index));
            String county = jurisdiction.replace("-county", "");
            String countyName = Character.toUpperCase(county.charAt(0)) + county.substring(1).replace('-', ' ');
            List<Agency> booking = new ArrayList<>();
            booking.add(new Agency(jurisdiction + "-sheriff", countyName + " County Sheriff's Office (synthetic)", jurisdiction, "BOOKING"));
            if (random.nextBoolean())
                booking.add(new Agency(jurisdiction + "-city-police", countyName + " City Police Department (synthetic)", jurisdiction, "BOOKING"));
            Agency office = new Agency(jurisdiction + "-immigration-office", countyName + " County Immigration Office (synthetic)",
                    jurisdiction, "IMMIGRATION_OFFICER");
            agencies.addAll(booking);
            agencies.add(office);
            long[] requestIds = new long[booking.size()];

            int identifications = (int) Math.round(Math.exp(Math.log(MIN_IDENTIFICATIONS)
                    + random.nextDouble() * Math.log((double) MAX_IDENTIFICATIONS / MIN_IDENTIFICATIONS)));
            double hitRate = HIT_RATE + spread(random, HIT_RATE_SPREAD);
            double[] weights = PROFILE_WEIGHTS.clone();
            weights[Profile.NO_CONVICTION.ordinal()] += spread(random, NO_CONVICTION_SPREAD);
            double total = 0;
            for (double w : weights)
                total += w;
            double noConvictionShare = (weights[Profile.MINOR_TRAFFIC_ONLY.ordinal()] + weights[Profile.NO_CONVICTION.ordinal()]) / total;
            // The over-reporting jurisdiction adds hits on people with no conviction until they make up the set share.
            double forcedNoConviction = jurisdiction.equals(settings.overReporting())
                    ? Math.max(0, (settings.overReportedNoConvictionShare() - noConvictionShare) / (1 - noConvictionShare)) : 0;
            double detainerRate = DETAINER_RATE + spread(random, DETAINER_SPREAD);

            for (int i = 0; i < identifications; i++) {
                int by = random.nextInt(booking.size());
                Agency agency = booking.get(by);
                Instant at = quarter.start().plusMillis((long) (random.nextDouble() * quarterMillis));
                String ref = ref(tag, audit.size());
                if (random.nextDouble() >= hitRate) {
                    audit.add(new AuditRow(at, agency.agencyId(), jurisdiction, "IDENTIFY", ++requestIds[by], ref, "", "NO_HIT",
                            false, null, null, null));
                } else {
                    Profile profile = pick(weights, total, random);
                    if (forcedNoConviction > 0 && overReport.nextDouble() < forcedNoConviction)
                        profile = Profile.NO_CONVICTION;
                    String subject = "synq-" + tag + "/p" + subjects++;
                    audit.add(new AuditRow(at, agency.agencyId(), jurisdiction, "IDENTIFY", ++requestIds[by], ref, subject, "HIT",
                            true, profile.level, profile.noConviction, profile.minorTrafficOnly));
                    if (profile.level != null && profile.level > 0 && random.nextDouble() < detainerRate) {
                        Instant issued = at.plus(random.nextInt(180), ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
                        detainers.add(new IssuedDetainer(subject, office, issued, issued.plus(random.nextBoolean() ? 48 : 24, ChronoUnit.HOURS)));
                        if (random.nextDouble() < COMPLAINTS_PER_DETAINER)
                            complaints.add(new FiledComplaint(jurisdiction, later(issued, random), null, detainers.size() - 1,
                                    "The person says the detainer was served without the notice being explained (synthetic)."));
                    }
                }
                if (random.nextDouble() < COMPLAINTS_PER_IDENTIFICATION)
                    complaints.add(new FiledComplaint(jurisdiction, later(at, random), ref, null,
                            "The person says their prints were taken at a traffic stop without arrest (synthetic)."));
                // Rows the review must not count: enrollments, and searches that failed.
                if (random.nextDouble() < ENROLLMENTS_PER_IDENTIFICATION)
                    audit.add(new AuditRow(at.plusSeconds(1), agency.agencyId(), jurisdiction, "ENROLL", ++requestIds[by],
                            ref(tag, audit.size()), "synq-" + tag + "/e" + audit.size(), "OK", null, null, null, null));
                if (random.nextDouble() < FAILED_IDENTIFICATIONS)
                    audit.add(new AuditRow(at.plusSeconds(2), agency.agencyId(), jurisdiction, "IDENTIFY", ++requestIds[by],
                            ref(tag, audit.size()), "", "LOW_QUALITY", null, null, null, null));
            }
        }
        audit.sort(Comparator.comparing(AuditRow::recordedAt));
        return asOf(new Generated(settings, List.copyOf(agencies), List.copyOf(audit), List.copyOf(detainers),
                List.copyOf(complaints)), settings.asOf());
    }

    /**
     * The part of a whole quarter dated up to {@code asOf}. Every event follows what it is about (a detainer its
     * hit, a complaint its transaction or detainer), so nothing kept refers to something cut.
     */
    private static Generated asOf(Generated whole, Instant asOf) {
        List<AuditRow> audit = whole.audit().stream().filter(row -> !row.recordedAt().isAfter(asOf)).toList();
        List<IssuedDetainer> detainers = new ArrayList<>();
        int[] newIndex = new int[whole.detainers().size()];
        for (int i = 0; i < whole.detainers().size(); i++) {
            IssuedDetainer detainer = whole.detainers().get(i);
            newIndex[i] = detainer.issuedAt().isAfter(asOf) ? -1 : detainers.size();
            if (newIndex[i] >= 0)
                detainers.add(detainer);
        }
        List<FiledComplaint> complaints = new ArrayList<>();
        for (FiledComplaint complaint : whole.complaints())
            if (!complaint.filedAt().isAfter(asOf))
                complaints.add(complaint.detainerIndex() == null ? complaint : new FiledComplaint(complaint.jurisdiction(),
                        complaint.filedAt(), null, newIndex[complaint.detainerIndex()], complaint.description()));
        return new Generated(whole.settings(), whole.agencies(), audit, List.copyOf(detainers), List.copyOf(complaints));
    }

    /**
     * Generates the quarter and writes it: the audit rows through the audit writer ({@link AuditLog#importAndWait},
     * chained onto the trail and its head file like any other entries), then persons (synthetic records) for the
     * subjects given detainers, and agencies not yet on file, detainers and complaints in one transaction.
     * Refuses a quarter and seed already loaded. Meant for test and demo databases.
     *
     * @param config where the trail's head file is kept (its data folder) and the audit writer's batch size
     */
    public static Generated load(DataSource dataSource, ServerSettings config, Settings settings)
            throws SQLException, AuditLog.UnavailableException, InterruptedException {
        Generated quarter = generate(settings);
        if (quarter.audit().isEmpty())
            throw new IllegalStateException("synthetic quarter " + settings.quarter() + " has no activity yet on " + settings.asOf());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement loaded = connection.prepareStatement("SELECT 1 FROM audit_entry WHERE transaction_ref = ?")) {
            loaded.setString(1, quarter.audit().get(0).transactionRef());
            try (ResultSet rows = loaded.executeQuery()) {
                if (rows.next())
                    throw new IllegalStateException("synthetic quarter " + settings.quarter() + " with seed "
                            + settings.seed() + " is already loaded");
            }
        }
        List<AuditLog.Imported> entries = new ArrayList<>(quarter.audit().size());
        for (AuditRow row : quarter.audit())
            entries.add(new AuditLog.Imported(new AuditDraft(row.agencyId(), row.jurisdiction(), AuditOperation.valueOf(row.operation()),
                    row.requestId(), row.subjectIds().isEmpty() ? List.of() : List.of(row.subjectIds()), row.outcome(), row.hit(),
                    row.priorityLevel(), row.noConviction(), row.minorTrafficOnly(), ""), row.recordedAt(), row.transactionRef()));
        try (AuditLog audit = new AuditLog(dataSource, config, Clock.systemUTC())) {
            audit.importAndWait(entries);
        }
        new RecordsRepository(dataSource).save(SyntheticRecords.generate(
                quarter.detainers().stream().map(IssuedDetainer::subjectId).toList(), settings.seed()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insertAgencies(connection, quarter.agencies(), settings);
                List<Long> detainerIds = insertDetainers(connection, quarter.detainers());
                insertComplaints(connection, quarter.complaints(), detainerIds);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return quarter;
    }

    private static void insertAgencies(Connection connection, List<Agency> agencies, Settings settings) throws SQLException {
        Random random = new Random(settings.seed() ^ 0x5A17L);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO agency (agency_id, display_name, jurisdiction, role, key_salt, key_hash, key_hash_algorithm, created_at)
                SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM agency WHERE agency_id = ?)""")) {
            for (Agency agency : agencies) {
                // No key exists for a synthetic agency: salt and hash are random, and the algorithm name matches no scheme.
                byte[] salt = new byte[16];
                byte[] hash = new byte[32];
                random.nextBytes(salt);
                random.nextBytes(hash);
                insert.setString(1, agency.agencyId());
                insert.setString(2, agency.displayName());
                insert.setString(3, agency.jurisdiction());
                insert.setString(4, agency.role());
                insert.setString(5, HexFormat.of().formatHex(salt));
                insert.setString(6, HexFormat.of().formatHex(hash));
                insert.setString(7, "SYNTHETIC-NO-KEY");
                insert.setObject(8, settings.quarter().start().minus(30, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC));
                insert.setString(9, agency.agencyId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static List<Long> insertDetainers(Connection connection, List<IssuedDetainer> detainers) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO detainer (person_id, requesting_officer, requesting_agency, justification, issued_at, expires_at, agency_id)
                VALUES ((SELECT person_id FROM person WHERE subject_id = ?), ?, ?, NULL, ?, ?, ?)""",
                Statement.RETURN_GENERATED_KEYS)) {
            for (IssuedDetainer detainer : detainers) {
                insert.setString(1, detainer.subjectId());
                insert.setString(2, "Officer " + (char) ('A' + ids.size() % 26) + ". Synthetic #" + (4000 + ids.size() % 1000));
                insert.setString(3, detainer.agency().displayName());
                insert.setObject(4, detainer.issuedAt().atOffset(ZoneOffset.UTC));
                insert.setObject(5, detainer.expiresAt().atOffset(ZoneOffset.UTC));
                insert.setString(6, detainer.agency().agencyId());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    ids.add(keys.getLong("detainer_id"));
                }
            }
        }
        return ids;
    }

    private static void insertComplaints(Connection connection, List<FiledComplaint> complaints, List<Long> detainerIds)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO complaint (filed_at, jurisdiction, transaction_ref, detainer_id, filed_by, description)
                VALUES (?, ?, ?, ?, NULL, ?)""")) {
            for (FiledComplaint complaint : complaints) {
                insert.setObject(1, complaint.filedAt().atOffset(ZoneOffset.UTC));
                insert.setString(2, complaint.jurisdiction());
                insert.setString(3, complaint.transactionRef());
                if (complaint.detainerIndex() == null)
                    insert.setNull(4, Types.BIGINT);
                else
                    insert.setLong(4, detainerIds.get(complaint.detainerIndex()));
                insert.setString(5, complaint.description());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static Profile pick(double[] weights, double total, Random random) {
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0)
                return Profile.values()[i];
        }
        return Profile.values()[weights.length - 1];
    }

    private static double spread(Random random, double halfWidth) {
        return (random.nextDouble() * 2 - 1) * halfWidth;
    }

    /** Up to three weeks after {@code at}. */
    private static Instant later(Instant at, Random random) {
        return at.plusSeconds(random.nextInt(21 * 24 * 3600)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static String ref(String tag, int index) {
        return String.format(Locale.ROOT, "SYN-%s-%08d", tag, index);
    }
}
