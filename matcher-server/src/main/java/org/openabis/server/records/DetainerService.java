package org.openabis.server.records;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Issues detainers and writes the notice each one gives the person it holds.
 *
 * <p>Rules enforced here (and the 48 hours again by a check constraint in the database):
 * <ul>
 *   <li>a request names the requesting officer and agency; who may issue is decided by the server's
 *       access control, not here;</li>
 *   <li>a detainer holds for at most 48 hours after issue: a request for longer is refused;</li>
 *   <li>a subject needs a record on file, and one with an active detainer cannot be given a second
 *       (that would stretch the hold past 48 hours);</li>
 *   <li>where the rules recommend no detainer (citizen, minor traffic charges only, protected status,
 *       no priority), one is issued only with a written justification, which is kept with it.</li>
 * </ul>
 */
public final class DetainerService {
    public static final int MAX_HOURS = 48;
    /**
     * The civil-rights complaint line printed on every notice. A placeholder from the 555-01XX range
     * reserved for fiction: this is test software, and its deployment must put the real line here.
     */
    public static final String CIVIL_RIGHTS_LINE = "1-800-555-0199";
    /** Issuing is an officer's action, not a reply in flight: it may wait for the database longer than a lookup. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter NOTICE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final RecordsRepository repository;
    private final Clock clock;

    public DetainerService(RecordsRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * A request for a detainer.
     *
     * @param hours         how long the hold may last after issue: 1–48
     * @param justification why, when the rules recommend no detainer; may be null otherwise
     * @param agencyId      the authenticated agency that asks (its jurisdiction counts the detainer); null when
     *                      issued outside the server, from the command line
     */
    public record Request(String subjectId, String requestingOfficer, String requestingAgency, int hours,
                          String justification, String agencyId) {
        public Request(String subjectId, String requestingOfficer, String requestingAgency, int hours, String justification) {
            this(subjectId, requestingOfficer, requestingAgency, hours, justification, null);
        }
    }

    /** A request the rules refuse; the message says why, for the requesting officer. */
    public static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    public Detainer issue(Request request) throws RefusedException, SQLException {
        check(request);
        RecordOnFile record = repository.lookup(List.of(request.subjectId()), READ_TIMEOUT).get(request.subjectId());
        if (record == null)
            throw new RefusedException("no record on file for subject " + request.subjectId());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Optional<Detainer> active = record.detainers().stream().filter(d -> d.status(now) == Detainer.Status.ACTIVE).findFirst();
        if (active.isPresent())
            throw new RefusedException("detainer " + active.get().id() + " already holds this person until "
                    + NOTICE_TIME.format(active.get().expiresAt()) + "; a second detainer cannot extend the hold");
        Assessment assessment = record.assessment();
        if (!assessment.detainerRecommended() && isBlank(request.justification()))
            throw new RefusedException(assessment.detainerReason()
                    + " Issuing one anyway needs a written justification.");
        // The check above read without a lock; the insert re-checks under the person's row lock, so of two
        // requests at once only one detainer is issued.
        return repository.insertDetainerUnlessHeld(request.subjectId(), request.requestingOfficer().strip(),
                request.requestingAgency().strip(), isBlank(request.justification()) ? null : request.justification().strip(),
                request.agencyId(), now, now.plus(request.hours(), ChronoUnit.HOURS))
                .orElseThrow(() -> new RefusedException("another detainer was issued for subject " + request.subjectId()
                        + " a moment ago; a second detainer cannot extend the hold"));
    }

    public Optional<Detainer> find(long id) throws SQLException {
        return repository.findDetainer(id);
    }

    /** The checks that need no database: who asks, and for how long. */
    static void check(Request request) throws RefusedException {
        if (isBlank(request.subjectId()))
            throw new RefusedException("a detainer request must name the subject");
        if (isBlank(request.requestingOfficer()) || isBlank(request.requestingAgency()))
            throw new RefusedException("a detainer request must name the requesting officer and agency");
        if (request.hours() > MAX_HOURS)
            throw new RefusedException("a detainer may hold a person for at most " + MAX_HOURS + " hours after issue; "
                    + request.hours() + " hours were requested");
        if (request.hours() < 1)
            throw new RefusedException("a detainer must hold for at least 1 hour; " + request.hours() + " were requested");
    }

    /** The notice the detained person receives, in plain language, as it reads at {@code now}. */
    public static String notice(Detainer detainer, Instant now) {
        boolean expired = detainer.status(now) == Detainer.Status.EXPIRED;
        return String.join("\n",
                "NOTICE TO THE PERSON DETAINED — IMMIGRATION DETAINER No. " + detainer.id(),
                "",
                "To: " + detainer.personName() + ", born " + detainer.birthDate() + ", file number " + detainer.fileNumber(),
                "",
                "What this is: " + detainer.requestingAgency() + " (requesting officer: " + detainer.requestingOfficer() + ") has asked"
                        + " the facility holding you to keep you in custody so that immigration officers can take custody"
                        + " of you. A detainer is a request about your custody. It is not a criminal charge, and it says"
                        + " nothing about whether you committed a crime.",
                "",
                "How long: no more than 48 hours. This detainer was issued on " + NOTICE_TIME.format(detainer.issuedAt())
                        + " and ends on " + NOTICE_TIME.format(detainer.expiresAt()) + ". It gives no one the right"
                        + " to hold you after that time. If you are still held after it ends because of this detainer,"
                        + " tell the facility staff or your lawyer.",
                "",
                expired
                        ? "Status: EXPIRED. This detainer ended on " + NOTICE_TIME.format(detainer.expiresAt())
                                + " and no longer allows anyone to hold you."
                        : "Status: ACTIVE until " + NOTICE_TIME.format(detainer.expiresAt()) + ".",
                "",
                "Complaints: if you believe your civil rights have been violated, or you want to complain about this"
                        + " detainer, call " + CIVIL_RIGHTS_LINE + " (free of charge). Calling does not affect your case.",
                "",
                "(Synthetic record produced by test software; the telephone number is a placeholder.)");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
