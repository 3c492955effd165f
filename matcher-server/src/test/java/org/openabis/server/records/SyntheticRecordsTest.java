package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticRecordsTest {
    private static final List<String> SUBJECTS = IntStream.rangeClosed(1, 30).mapToObj(i -> "subject-" + i).toList();

    @Test
    void theSameSeedGivesTheSameRecordsWhateverTheOrder() {
        List<PersonRecord> first = SyntheticRecords.generate(SUBJECTS, 7);
        List<String> reversed = new java.util.ArrayList<>(SUBJECTS);
        java.util.Collections.reverse(reversed);
        assertEquals(first, SyntheticRecords.generate(reversed, 7));
        assertNotEquals(first, SyntheticRecords.generate(SUBJECTS, 8));
        assertEquals(SUBJECTS.size(), first.stream().map(PersonRecord::fileNumber).distinct().count());
        first.forEach(p -> assertTrue(p.fileNumber().startsWith("SYN-"), p.fileNumber()));
    }

    @Test
    void anyTenSubjectsShowEveryLevelAndSafeguard() {
        for (long seed : new long[] {SyntheticRecords.DEMO_SEED, 1, 2, 3}) {
            List<Assessment> assessed = SyntheticRecords.generate(SUBJECTS.subList(0, 10), seed).stream()
                    .map(PriorityRules::assess).toList();
            Set<PriorityLevel> levels = assessed.stream().map(Assessment::priority).collect(Collectors.toSet());
            assertEquals(EnumSet.allOf(PriorityLevel.class), levels, "seed " + seed);
            Set<Safeguard> safeguards = assessed.stream().flatMap(a -> a.safeguards().stream())
                    .map(Assessment.SafeguardFlag::safeguard).collect(Collectors.toSet());
            assertEquals(EnumSet.allOf(Safeguard.class), safeguards, "seed " + seed);
            assertTrue(assessed.stream().anyMatch(Assessment::detainerRecommended));
        }
    }

    @Test
    void recordsAreInternallyConsistent() {
        for (PersonRecord person : SyntheticRecords.generate(SUBJECTS, SyntheticRecords.DEMO_SEED)) {
            assertEquals(person.status() == ImmigrationStatus.CITIZEN, person.citizenship().equals("USA"), person.toString());
            person.history().forEach(event -> assertTrue(event.date().isAfter(person.birthDate().plusYears(17)), person.toString()));
            if (person.status() != ImmigrationStatus.NO_LAWFUL_STATUS)
                assertEquals(0, person.priorRemovals(), person.toString());
        }
    }
}
