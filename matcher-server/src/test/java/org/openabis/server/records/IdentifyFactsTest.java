package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The review's minor-traffic count is the safeguard {@link PriorityRules} applied, not a second rule. The
 * server used to count "charged only with minor traffic offences" from the history alone, so a person with a
 * prior removal, a final removal order or citizenship (rows marked *) was counted under the safeguard that
 * the priority decision had not applied.
 */
class IdentifyFactsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                                            | status           | history | removals | protection    | minor traffic only | no conviction
            one minor traffic charge                          | NO_LAWFUL_STATUS | T       | -        | -             | true               | true
            minor traffic charges, protected                  | NO_LAWFUL_STATUS | T T     | -        | CRIME_WITNESS | true               | true
            * minor traffic charge and a prior removal        | NO_LAWFUL_STATUS | T       | PR       | -             | false              | true
            * minor traffic charge and a final removal order  | NO_LAWFUL_STATUS | T       | FO       | -             | false              | true
            * a citizen with minor traffic charges            | CITIZEN          | T       | -        | -             | false              | true
            minor traffic charge and another charge           | NO_LAWFUL_STATUS | T X6    | -        | -             | false              | true
            a minor traffic conviction                        | NO_LAWFUL_STATUS | CT      | -        | -             | false              | false
            no history                                        | NO_LAWFUL_STATUS | -       | -        | -             | false              | true
            """)
    void minorTrafficOnlyIsTheSafeguardThePriorityDecisionApplied(String description, ImmigrationStatus status, String history,
                                                                   String removals, ProtectionKind protection,
                                                                   boolean minorTrafficOnly, boolean noConviction) {
        PersonRecord person = Records.person("s", status, history, removals == null ? "" : removals, protection);
        IdentifyFacts facts = IdentifyFacts.hitOn(new RecordOnFile(person, List.of()));

        assertTrue(facts.hit());
        assertEquals(PriorityRules.assess(person).priority().number, facts.priorityLevel());
        assertEquals(minorTrafficOnly, facts.minorTrafficOnly(), description);
        assertEquals(PriorityRules.assess(person).safeguards().stream()
                .anyMatch(f -> f.safeguard() == Safeguard.MINOR_TRAFFIC_ONLY), facts.minorTrafficOnly());
        assertEquals(noConviction, facts.noConviction());
    }
}
