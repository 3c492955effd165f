package org.openabis.server.records;

import java.time.Instant;
import org.openabis.wire.DetainerSummary;
import org.openabis.wire.RecordSummary;
import org.openabis.wire.SafeguardFlag;

/** A candidate's record on file as the wire's RecordSummary, with the rules' decisions and reasons. */
public final class RecordsWire {
    private static final RecordSummary NOT_ON_FILE = RecordSummary.newBuilder().setOnFile(false).build();

    private RecordsWire() {
    }

    /** The summary of a looked-up subject; {@code record} null = no record on file. */
    public static RecordSummary summary(RecordOnFile record, Instant readAt) {
        if (record == null)
            return NOT_ON_FILE;
        PersonRecord person = record.person();
        Assessment assessment = record.assessment();
        RecordSummary.Builder summary = RecordSummary.newBuilder()
                .setOnFile(true)
                .setFileNumber(person.fileNumber())
                .setFamilyName(person.familyName())
                .setGivenNames(person.givenNames())
                .setBirthDate(person.birthDate().toString())
                .setCitizenship(person.citizenship())
                .setStatus(status(person.status()))
                .setPriorRemovals(person.priorRemovals())
                .setFinalRemovalOrder(person.finalRemovalOrder())
                .setConvictions((int) person.history().stream().filter(CriminalEvent::conviction).count())
                .setCharges((int) person.history().stream().filter(e -> !e.conviction()).count())
                .setPriorityValue(assessment.priority().number)
                .setPriorityReason(assessment.priorityReason())
                .setDetainerRecommended(assessment.detainerRecommended())
                .setDetainerReason(assessment.detainerReason())
                .setDiscretionRequired(assessment.discretionRequired());
        for (Assessment.SafeguardFlag flag : assessment.safeguards())
            summary.addSafeguards(SafeguardFlag.newBuilder().setSafeguard(safeguard(flag.safeguard())).setReason(flag.reason()));
        for (Detainer detainer : record.detainers())
            summary.addDetainers(DetainerSummary.newBuilder()
                    .setDetainerId(detainer.id())
                    .setRequestingAgency(detainer.requestingAgency())
                    .setIssuedAt(detainer.issuedAt().toString())
                    .setExpiresAt(detainer.expiresAt().toString())
                    .setActive(detainer.status(readAt) == Detainer.Status.ACTIVE));
        return summary.build();
    }

    private static org.openabis.wire.ImmigrationStatus status(ImmigrationStatus status) {
        return switch (status) {
            case CITIZEN -> org.openabis.wire.ImmigrationStatus.CITIZEN;
            case LAWFUL_PERMANENT_RESIDENT -> org.openabis.wire.ImmigrationStatus.LAWFUL_PERMANENT_RESIDENT;
            case VISA_HOLDER -> org.openabis.wire.ImmigrationStatus.VISA_HOLDER;
            case NO_LAWFUL_STATUS -> org.openabis.wire.ImmigrationStatus.NO_LAWFUL_STATUS;
            case UNKNOWN -> org.openabis.wire.ImmigrationStatus.STATUS_UNKNOWN;
        };
    }

    private static org.openabis.wire.Safeguard safeguard(Safeguard safeguard) {
        return switch (safeguard) {
            case CITIZEN_NOT_REMOVABLE -> org.openabis.wire.Safeguard.CITIZEN_NOT_REMOVABLE;
            case MINOR_TRAFFIC_ONLY -> org.openabis.wire.Safeguard.MINOR_TRAFFIC_ONLY;
            case PROTECTED_STATUS -> org.openabis.wire.Safeguard.PROTECTED_STATUS;
        };
    }
}
