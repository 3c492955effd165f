package org.openabis.server.records;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic synthetic records for demo and test subjects: the same subjects and seed always give
 * the same records. Names are drawn from short lists of common given and family names and combined at
 * random; every fact is invented. Nothing here describes a real person.
 *
 * <p>Each subject gets one of a fixed set of profiles (no history, minor traffic charges only, charges
 * without conviction, misdemeanours, repeat misdemeanours, a felony, two felonies, an aggravated felony,
 * a protected person with felonies, a citizen with a conviction), dealt from shuffled decks so that any
 * ten subjects in a row cover every profile, and so every priority level and safeguard.
 */
public final class SyntheticRecords {
    /** The seed of the records {@code serve --demo} loads. */
    public static final long DEMO_SEED = 2002;

    enum Profile {
        NO_HISTORY, MINOR_TRAFFIC_CHARGES, CHARGED_NOT_CONVICTED, MISDEMEANOURS, REPEAT_MISDEMEANOURS, FELONY,
        TWO_FELONIES, AGGRAVATED_FELONY, PROTECTED_WITH_FELONIES, CITIZEN_WITH_CONVICTION
    }

    private record Offence(OffenceCategory category, String name, int maxMonths, boolean aggravatedFelony) {
    }

    private static final List<Offence> MINOR_TRAFFIC = List.of(
            new Offence(OffenceCategory.MINOR_TRAFFIC, "speeding", 0, false),
            new Offence(OffenceCategory.MINOR_TRAFFIC, "running a red light", 0, false),
            new Offence(OffenceCategory.MINOR_TRAFFIC, "expired vehicle registration", 0, false),
            new Offence(OffenceCategory.MINOR_TRAFFIC, "driving without a valid licence", 6, false),
            new Offence(OffenceCategory.MINOR_TRAFFIC, "driving without insurance", 3, false));
    /** Punishable by one year or less. */
    private static final List<Offence> MISDEMEANOURS = List.of(
            new Offence(OffenceCategory.PROPERTY, "petty theft", 6, false),
            new Offence(OffenceCategory.PROPERTY, "shoplifting", 6, false),
            new Offence(OffenceCategory.PUBLIC_ORDER, "disorderly conduct", 6, false),
            new Offence(OffenceCategory.PUBLIC_ORDER, "trespassing", 3, false),
            new Offence(OffenceCategory.SERIOUS_TRAFFIC, "driving under the influence", 12, false),
            new Offence(OffenceCategory.VIOLENT, "simple assault", 12, false),
            new Offence(OffenceCategory.DRUG, "possession of a controlled substance", 12, false),
            new Offence(OffenceCategory.IMMIGRATION, "illegal entry", 6, false));
    /** Punishable by more than one year, not aggravated felonies. */
    private static final List<Offence> FELONIES = List.of(
            new Offence(OffenceCategory.PROPERTY, "receiving stolen property", 36, false),
            new Offence(OffenceCategory.FRAUD, "credit card fraud", 48, false),
            new Offence(OffenceCategory.SERIOUS_TRAFFIC, "felony driving under the influence", 36, false),
            new Offence(OffenceCategory.IMMIGRATION, "illegal re-entry", 24, false),
            new Offence(OffenceCategory.WEAPONS, "carrying a concealed weapon", 24, false));
    private static final List<Offence> AGGRAVATED_FELONIES = List.of(
            new Offence(OffenceCategory.DRUG, "drug trafficking", 240, true),
            new Offence(OffenceCategory.VIOLENT, "robbery", 180, true),
            new Offence(OffenceCategory.WEAPONS, "firearms trafficking", 120, true),
            new Offence(OffenceCategory.FRAUD, "fraud with a loss over $10,000", 120, true),
            new Offence(OffenceCategory.PROPERTY, "burglary", 84, true));

    private static final List<String> GIVEN_NAMES = List.of("Alex", "Maria", "Jose", "Wei", "Fatima", "Ivan", "Aisha",
            "Carlos", "Mei", "Olga", "Kwame", "Priya", "Juan", "Sofia", "Ahmed", "Ana", "Tomas", "Linh", "Daniel", "Grace",
            "Luis", "Nadia", "Samuel", "Elena", "Hiroshi", "Amara", "Pedro", "Irina", "Mohammed", "Rosa", "Chen", "Leila");
    private static final List<String> FAMILY_NAMES = List.of("Garcia", "Nguyen", "Smith", "Kowalski", "Okafor", "Haddad",
            "Lopez", "Kim", "Petrov", "Mensah", "Sharma", "Rodriguez", "Silva", "Tran", "Hernandez", "Ali", "Novak",
            "Martinez", "Chen", "Reyes", "Ibrahim", "Morales", "Santos", "Popescu", "Tanaka", "Diaz", "Kovacs", "Cruz");
    private static final List<String> COUNTRIES = List.of("MEX", "GTM", "HND", "SLV", "CAN", "GBR", "IND", "CHN", "PHL",
            "VNM", "NGA", "BRA", "COL", "POL", "UKR", "KOR", "HTI", "DOM", "ETH", "PER");
    private static final List<ImmigrationStatus> NON_CITIZEN = List.of(ImmigrationStatus.LAWFUL_PERMANENT_RESIDENT,
            ImmigrationStatus.VISA_HOLDER, ImmigrationStatus.NO_LAWFUL_STATUS, ImmigrationStatus.NO_LAWFUL_STATUS,
            ImmigrationStatus.UNKNOWN);
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1955, 1, 1);
    private static final LocalDate LATEST_EVENT = LocalDate.of(2025, 6, 30);

    private SyntheticRecords() {
    }

    public static List<PersonRecord> generate(Collection<String> subjectIds, long seed) {
        Random random = new Random(seed);
        List<Profile> deck = new ArrayList<>();
        List<PersonRecord> records = new ArrayList<>();
        for (String subject : subjectIds.stream().distinct().sorted().toList()) {
            if (deck.isEmpty()) {
                deck.addAll(List.of(Profile.values()));
                Collections.shuffle(deck, random);
            }
            records.add(person(subject, deck.remove(deck.size() - 1), random, seed));
        }
        return records;
    }

    private static PersonRecord person(String subject, Profile profile, Random random, long seed) {
        LocalDate birth = EARLIEST_BIRTH.plusDays(random.nextInt(50 * 365));
        boolean citizen = profile == Profile.CITIZEN_WITH_CONVICTION || profile == Profile.NO_HISTORY && random.nextInt(3) == 0;
        ImmigrationStatus status = citizen ? ImmigrationStatus.CITIZEN : pick(NON_CITIZEN, random);
        int priorRemovals = 0;
        boolean finalOrder = false;
        // Minor-traffic people keep a clean removal history, so the safeguard is what the demo shows for them.
        if (status == ImmigrationStatus.NO_LAWFUL_STATUS && profile != Profile.MINOR_TRAFFIC_CHARGES) {
            priorRemovals = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
            finalOrder = random.nextInt(5) == 0;
        }
        List<CriminalEvent> history = new ArrayList<>();
        List<ProtectedStatus> protections = new ArrayList<>();
        switch (profile) {
            case NO_HISTORY -> { }
            case MINOR_TRAFFIC_CHARGES -> add(history, Disposition.CHARGE, MINOR_TRAFFIC, 1 + random.nextInt(2), birth, random);
            case CHARGED_NOT_CONVICTED -> add(history, Disposition.CHARGE, FELONIES, 1, birth, random);
            case MISDEMEANOURS -> add(history, Disposition.CONVICTION, MISDEMEANOURS, 1 + random.nextInt(2), birth, random);
            case REPEAT_MISDEMEANOURS -> add(history, Disposition.CONVICTION, MISDEMEANOURS, 3 + random.nextInt(2), birth, random);
            case FELONY -> {
                add(history, Disposition.CONVICTION, FELONIES, 1, birth, random);
                add(history, Disposition.CHARGE, MINOR_TRAFFIC, random.nextInt(2), birth, random);
            }
            case TWO_FELONIES -> add(history, Disposition.CONVICTION, FELONIES, 2, birth, random);
            case AGGRAVATED_FELONY -> add(history, Disposition.CONVICTION, AGGRAVATED_FELONIES, 1, birth, random);
            case PROTECTED_WITH_FELONIES -> {
                add(history, Disposition.CONVICTION, FELONIES, 2, birth, random);
                ProtectionKind kind = pick(List.of(ProtectionKind.values()), random);
                protections.add(new ProtectedStatus(kind, date(birth.plusYears(18), random)));
            }
            case CITIZEN_WITH_CONVICTION -> add(history, Disposition.CONVICTION, FELONIES, 1, birth, random);
        }
        history.sort((a, b) -> a.date().compareTo(b.date()));
        return new PersonRecord(subject, fileNumber(subject, seed), pick(FAMILY_NAMES, random), pick(GIVEN_NAMES, random),
                birth, citizen ? "USA" : pick(COUNTRIES, random), status, priorRemovals, finalOrder, history, protections);
    }

    private static void add(List<CriminalEvent> history, Disposition disposition, List<Offence> offences, int count,
                            LocalDate birth, Random random) {
        for (int i = 0; i < count; i++) {
            Offence offence = pick(offences, random);
            history.add(new CriminalEvent(disposition, offence.category(), offence.name(), offence.aggravatedFelony(),
                    offence.maxMonths(), date(birth.plusYears(18), random)));
        }
    }

    /** A date from {@code from} (or 2000, if later) to mid-2025. */
    private static LocalDate date(LocalDate from, Random random) {
        LocalDate start = from.isAfter(LocalDate.of(2000, 1, 1)) ? from : LocalDate.of(2000, 1, 1);
        long days = Math.max(1, LATEST_EVENT.toEpochDay() - start.toEpochDay());
        return start.plusDays(Math.floorMod(random.nextLong(), days));
    }

    /** "SYN-" and 12 hex digits of a hash of seed and subject: stable, and plainly not a real file number. */
    private static String fileNumber(String subject, long seed) {
        long hash = seed * 0x9E3779B97F4A7C15L;
        for (char c : subject.toCharArray())
            hash = (hash ^ c) * 0x100000001B3L;
        return "SYN-" + String.format(Locale.ROOT, "%012X", hash & 0xFFFF_FFFF_FFFFL);
    }

    private static <T> T pick(List<T> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}
