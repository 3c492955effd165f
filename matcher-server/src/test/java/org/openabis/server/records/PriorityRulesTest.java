package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The program's priority levels and safeguards, boundary by boundary. History notation: see {@link Records#history}. */
class PriorityRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                                          | status                    | history      | removals | protection               | level   | detainer | discretion | safeguards                          | reason contains
            no history                                      | NO_LAWFUL_STATUS          | -            | -        | -                        | NONE    | false    | false      | -                                   | no criminal history
            one crime of 11 months                          | NO_LAWFUL_STATUS          | C11          | -        | -                        | LEVEL_3 | true     | false      | -                                   | a crime punishable by one year or less
            one crime of exactly 12 months: not a felony    | NO_LAWFUL_STATUS          | C12          | -        | -                        | LEVEL_3 | true     | false      | -                                   | one year or less
            one crime of 13 months: a felony                | NO_LAWFUL_STATUS          | C13          | -        | -                        | LEVEL_2 | true     | false      | -                                   | convicted of a felony
            a fine-only crime                               | VISA_HOLDER               | C0           | -        | -                        | LEVEL_3 | true     | false      | -                                   | fine only
            two crimes of 11 months                         | NO_LAWFUL_STATUS          | C11 C11      | -        | -                        | LEVEL_3 | true     | false      | -                                   | convicted of 2 crimes
            three crimes of 11 months                       | NO_LAWFUL_STATUS          | C11 C11 C11  | -        | -                        | LEVEL_2 | true     | false      | -                                   | 3 crimes each punishable by one year or less
            three crimes of exactly 12 months               | NO_LAWFUL_STATUS          | C12 C12 C12  | -        | -                        | LEVEL_2 | true     | false      | -                                   | 3 crimes each punishable by one year or less
            three fine-only crimes                          | NO_LAWFUL_STATUS          | C0 C0 C0     | -        | -                        | LEVEL_2 | true     | false      | -                                   | 3 crimes
            exactly two crimes over a year                  | NO_LAWFUL_STATUS          | C13 C13      | -        | -                        | LEVEL_1 | true     | false      | -                                   | 2 crimes each punishable by more than one year
            one over a year and one of exactly a year       | NO_LAWFUL_STATUS          | C13 C12      | -        | -                        | LEVEL_2 | true     | false      | -                                   | a felony
            a felony and two misdemeanours                  | NO_LAWFUL_STATUS          | C24 C6 C6    | -        | -                        | LEVEL_2 | true     | false      | -                                   | a felony
            three crimes over a year                        | NO_LAWFUL_STATUS          | C24 C36 C13  | -        | -                        | LEVEL_1 | true     | false      | -                                   | 3 crimes each punishable by more than one year
            aggravated felony with a short maximum          | NO_LAWFUL_STATUS          | A6           | -        | -                        | LEVEL_1 | true     | false      | -                                   | aggravated felony
            aggravated felony among misdemeanours           | VISA_HOLDER               | C6 A120 C6   | -        | -                        | LEVEL_1 | true     | false      | -                                   | aggravated felony
            charges never count                             | NO_LAWFUL_STATUS          | X60 X60 X60  | -        | -                        | NONE    | false    | false      | -                                   | never convicted
            a charge over a year beside a misdemeanour      | NO_LAWFUL_STATUS          | X60 C6       | -        | -                        | LEVEL_3 | true     | false      | -                                   | a crime punishable by one year or less
            one minor traffic charge                        | NO_LAWFUL_STATUS          | T            | -        | -                        | NONE    | false    | false      | MINOR_TRAFFIC_ONLY                  | minor traffic
            two minor traffic charges                       | VISA_HOLDER               | T T          | -        | -                        | NONE    | false    | false      | MINOR_TRAFFIC_ONLY                  | minor traffic
            minor traffic charge and a prior removal        | NO_LAWFUL_STATUS          | T            | PR       | -                        | NONE    | false    | false      | -                                   | never convicted
            minor traffic charge and a final removal order  | NO_LAWFUL_STATUS          | T            | FO       | -                        | NONE    | false    | false      | -                                   | never convicted
            minor traffic charge and another charge         | NO_LAWFUL_STATUS          | T X6         | -        | -                        | NONE    | false    | false      | -                                   | never convicted
            a conviction plus a traffic charge              | NO_LAWFUL_STATUS          | C11 T        | -        | -                        | LEVEL_3 | true     | false      | -                                   | a crime punishable by one year or less
            a felony plus a traffic charge                  | NO_LAWFUL_STATUS          | T C24        | -        | -                        | LEVEL_2 | true     | false      | -                                   | a felony
            a minor traffic conviction                      | NO_LAWFUL_STATUS          | CT           | -        | -                        | LEVEL_3 | true     | false      | -                                   | running a red light
            a protected level-1 person                      | NO_LAWFUL_STATUS          | C13 C13      | -        | DOMESTIC_VIOLENCE_VICTIM | LEVEL_1 | false    | true       | PROTECTED_STATUS                    | 2 crimes each punishable by more than one year
            a protected aggravated felon                    | NO_LAWFUL_STATUS          | A120         | PR FO    | CRIME_WITNESS            | LEVEL_1 | false    | true       | PROTECTED_STATUS                    | aggravated felony
            a protected person with no history              | VISA_HOLDER               | -            | -        | CRIME_VICTIM             | NONE    | false    | true       | PROTECTED_STATUS                    | no criminal history
            pending U visa at level 3                       | NO_LAWFUL_STATUS          | C6           | -        | PENDING_U_VISA           | LEVEL_3 | false    | true       | PROTECTED_STATUS                    | one year or less
            pending T visa at level 2                       | NO_LAWFUL_STATUS          | C13          | -        | PENDING_T_VISA           | LEVEL_2 | false    | true       | PROTECTED_STATUS                    | a felony
            a protected person with minor traffic charges   | NO_LAWFUL_STATUS          | T            | -        | CRIME_WITNESS            | NONE    | false    | true       | MINOR_TRAFFIC_ONLY PROTECTED_STATUS | minor traffic
            a citizen with an aggravated felony             | CITIZEN                   | A120 C13 C13 | -        | -                        | NONE    | false    | false      | CITIZEN_NOT_REMOVABLE               | citizen
            a citizen with minor traffic charges            | CITIZEN                   | T            | -        | -                        | NONE    | false    | false      | CITIZEN_NOT_REMOVABLE               | citizen
            a permanent resident with two felonies          | LAWFUL_PERMANENT_RESIDENT | C13 C13      | -        | -                        | LEVEL_1 | true     | false      | -                                   | more than one year
            status unknown with a felony                    | UNKNOWN                   | C24          | -        | -                        | LEVEL_2 | true     | false      | -                                   | a felony
            """)
    void levelsAndSafeguards(String description, ImmigrationStatus status, String history, String removals,
                             ProtectionKind protection, PriorityLevel level, boolean detainer, boolean discretion,
                             String safeguards, String reasonContains) {
        Assessment assessment = PriorityRules.assess(Records.person("s", status, history, removals == null ? "" : removals, protection));

        assertEquals(level, assessment.priority(), assessment.priorityReason());
        assertEquals(detainer, assessment.detainerRecommended(), assessment.detainerReason());
        assertEquals(discretion, assessment.discretionRequired());
        List<Safeguard> expected = safeguards == null ? List.of()
                : Arrays.stream(safeguards.split(" ")).map(Safeguard::valueOf).toList();
        assertEquals(expected, assessment.safeguards().stream().map(Assessment.SafeguardFlag::safeguard).toList());
        assertTrue(assessment.priorityReason().contains(reasonContains),
                "priority reason \"" + assessment.priorityReason() + "\" should contain \"" + reasonContains + "\"");
        // Every decision states its reason in words.
        assertTrue(assessment.detainerReason().startsWith(detainer ? "A detainer may be recommended" : "No detainer"),
                assessment.detainerReason());
        assessment.safeguards().forEach(flag -> assertTrue(flag.reason().length() > 40, flag.toString()));
    }

    @ParameterizedTest
    @EnumSource(ProtectionKind.class)
    void everyProtectedStatusBlocksTheDetainerWhateverTheLevel(ProtectionKind kind) {
        Assessment assessment = PriorityRules.assess(Records.person("s", ImmigrationStatus.NO_LAWFUL_STATUS, "A240 C24 C24", "PR FO", kind));
        assertEquals(PriorityLevel.LEVEL_1, assessment.priority());
        assertFalse(assessment.detainerRecommended());
        assertTrue(assessment.discretionRequired());
        assertTrue(assessment.detainerReason().contains("protected status"), assessment.detainerReason());
        String reason = assessment.safeguards().get(0).reason();
        assertTrue(reason.contains(kind.label) && reason.contains("discretion"), reason);
    }

    @ParameterizedTest
    @EnumSource(value = ImmigrationStatus.class, names = "CITIZEN", mode = EnumSource.Mode.EXCLUDE)
    void levelsDoNotDependOnTheNonCitizenStatus(ImmigrationStatus status) {
        assertEquals(PriorityLevel.LEVEL_1, PriorityRules.assess(Records.person("s", status, "A6", "", null)).priority());
        assertEquals(PriorityLevel.LEVEL_2, PriorityRules.assess(Records.person("s", status, "C11 C11 C11", "", null)).priority());
        assertEquals(PriorityLevel.LEVEL_3, PriorityRules.assess(Records.person("s", status, "C11", "", null)).priority());
    }
}
