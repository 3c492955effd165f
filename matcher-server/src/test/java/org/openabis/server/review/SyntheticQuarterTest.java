package org.openabis.server.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A synthetic quarter as of an instant: the whole quarter's events up to it, and nothing later. */
class SyntheticQuarterTest {
    private static final Quarter Q4 = Quarter.parse("2025Q4");

    @Test
    void asOfAnInstantTheQuarterIsTheWholeQuartersEventsUpToIt() {
        Instant asOf = Instant.parse("2025-11-15T12:00:00Z");
        SyntheticQuarter.Generated whole = SyntheticQuarter.generate(SyntheticQuarter.Settings.of(Q4, 9)
                .asOf(Q4.end().plusSeconds(60L * 24 * 3600)));
        SyntheticQuarter.Generated sofar = SyntheticQuarter.generate(SyntheticQuarter.Settings.of(Q4, 9).asOf(asOf));

        assertTrue(whole.complaints().stream().anyMatch(c -> c.filedAt().isAfter(Q4.end())), "complaints spill into the next quarter");
        assertEquals(whole.audit().stream().filter(r -> !r.recordedAt().isAfter(asOf)).toList(), sofar.audit());
        assertEquals(whole.detainers().stream().filter(d -> !d.issuedAt().isAfter(asOf)).toList(), sofar.detainers());
        assertEquals(whole.complaints().stream().filter(c -> !c.filedAt().isAfter(asOf)).count(), sofar.complaints().size());
        assertTrue(sofar.complaints().size() > 0 && sofar.complaints().size() < whole.complaints().size());
        for (SyntheticQuarter.FiledComplaint complaint : sofar.complaints()) {
            assertFalse(complaint.filedAt().isAfter(asOf), complaint.toString());
            if (complaint.detainerIndex() != null) {
                SyntheticQuarter.IssuedDetainer about = sofar.detainers().get(complaint.detainerIndex());
                assertFalse(about.issuedAt().isAfter(complaint.filedAt()), "the complaint names the detainer it was about");
                assertTrue(whole.complaints().stream().anyMatch(c -> c.filedAt().equals(complaint.filedAt())
                        && c.detainerIndex() != null && whole.detainers().get(c.detainerIndex()).equals(about)), complaint.toString());
            } else {
                assertTrue(sofar.audit().stream().anyMatch(r -> r.transactionRef().equals(complaint.transactionRef())), complaint.toString());
            }
        }
    }

    @Test
    void aQuarterThatHasNotBegunIsRefused() {
        var refused = assertThrows(IllegalArgumentException.class,
                () -> SyntheticQuarter.Settings.of(Q4, 1).asOf(Q4.start().minusSeconds(1)));
        assertTrue(refused.getMessage().contains("has not begun"), refused.getMessage());
    }
}
