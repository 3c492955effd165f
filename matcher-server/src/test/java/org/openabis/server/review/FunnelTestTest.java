package org.openabis.server.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outlier test on hand-made counts, where every number can be worked out by hand. */
class FunnelTestTest {
    /** A jurisdiction with the given identifications, hits and no-conviction hits; nothing else. */
    private static JurisdictionActivity j(String name, long identifications, long hits, long noConviction) {
        return new JurisdictionActivity(name, identifications, hits, List.of(hits, 0L, 0L, 0L), 0, noConviction, 0, 0, 0);
    }

    /** Ten jurisdictions at exactly 20 % no-conviction hits of 500, and one more. */
    private static List<JurisdictionActivity> tenAtTwentyPercentAnd(JurisdictionActivity extra) {
        List<JurisdictionActivity> list = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            list.add(j("j" + i, 1000, 500, 100));
        list.add(extra);
        return list;
    }

    private static FunnelTest.Point point(FunnelTest.Result result, String jurisdiction) {
        return result.points().stream().filter(p -> p.jurisdiction().equals(jurisdiction)).findFirst().orElseThrow();
    }

    @Test
    void zIsTheBinomialZScoreAgainstThePooledShareWhenJurisdictionsDifferByNoMoreThanChance() {
        // x: 115 of 500 = 0.23. Pooled = (1000 + 115) / 5500; all others sit exactly on 0.20, so phi < 1, tau^2 = 0.
        FunnelTest.Result result = FunnelTest.test(Share.NO_CONVICTION, tenAtTwentyPercentAnd(j("x", 1000, 500, 115)),
                ReviewMethod.defaults());
        double pooled = 1115.0 / 5500;
        assertEquals(pooled, result.pooled(), 1e-12);
        assertEquals(0, result.tau2());
        double expectedZ = (0.23 - pooled) / Math.sqrt(pooled * (1 - pooled) / 500);
        assertEquals(expectedZ, point(result, "x").z(), 1e-9);
        assertFalse(point(result, "x").flagged(), "z = " + expectedZ + " is inside 3.09");
        assertEquals(pooled + 3.09 * Math.sqrt(pooled * (1 - pooled) / 500), result.limit(500, 3.09, 1), 1e-12);
    }

    @Test
    void aShareBeyondTheUpperLimitIsFlaggedAndLeftOutOfTheReference() {
        FunnelTest.Result result = FunnelTest.test(Share.NO_CONVICTION, tenAtTwentyPercentAnd(j("x", 1000, 500, 200)),
                ReviewMethod.defaults());
        assertEquals(List.of("x"), result.flagged().stream().map(FunnelTest.Point::jurisdiction).toList());
        assertEquals(FunnelTest.Flag.HIGH, point(result, "x").flag());
        // Judged against the others alone: pooled 0.20, z = (0.40 - 0.20) / sqrt(0.2 * 0.8 / 500).
        assertEquals(List.of("x"), result.leftOutOfReference());
        assertEquals(0.20, result.pooled(), 1e-12);
        assertEquals(0.20 / Math.sqrt(0.16 / 500), point(result, "x").z(), 1e-9);
    }

    @Test
    void onlyTheHighSideIsFlaggedForNoConvictionHitsButBothSidesForTheHitRate() {
        // x: 2 of 100 hits with no conviction (0.02), and 100 hits of 1000 identifications (0.1, against 0.5).
        List<JurisdictionActivity> low = tenAtTwentyPercentAnd(j("x", 1000, 100, 2));
        FunnelTest.Result noConviction = FunnelTest.test(Share.NO_CONVICTION, low, ReviewMethod.defaults());
        assertTrue(point(noConviction, "x").z() < -3.09);
        assertFalse(point(noConviction, "x").flagged(), "few no-conviction hits are no concern");
        FunnelTest.Result hitRate = FunnelTest.test(Share.HIT_RATE, low, ReviewMethod.defaults());
        assertEquals(FunnelTest.Flag.LOW, point(hitRate, "x").flag());
    }

    @Test
    void theMinimumCountDecidesWhoIsTested() {
        // 24 of 40 hits with no conviction: far above 20 %, but 40 < 50.
        List<JurisdictionActivity> small = tenAtTwentyPercentAnd(j("x", 80, 40, 24));
        FunnelTest.Point atDefault = point(FunnelTest.test(Share.NO_CONVICTION, small, ReviewMethod.defaults()), "x");
        assertFalse(atDefault.tested());
        assertNull(atDefault.z());
        assertEquals("fewer than 50 counted", atDefault.notTestedReason());
        assertFalse(atDefault.flagged());
        FunnelTest.Point atForty = point(FunnelTest.test(Share.NO_CONVICTION, small, ReviewMethod.withMinCount(40)), "x");
        assertTrue(atForty.tested());
        assertTrue(atForty.flagged(), "z = " + atForty.z());
    }

    @Test
    void aTooSmallExpectedCountIsNotTested() {
        // Complaints: pooled about 0.002; 1000 identifications expect 2 complaints, below 5.
        List<JurisdictionActivity> list = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            list.add(new JurisdictionActivity("j" + i, 1000, 300, List.of(300L, 0L, 0L, 0L), 0, 60, 0, 0, 2));
        FunnelTest.Result result = FunnelTest.test(Share.COMPLAINTS_PER_IDENTIFICATION, list, ReviewMethod.defaults());
        assertEquals(0, result.tested());
        assertTrue(result.points().get(0).notTestedReason().startsWith("expected count below 5"));
    }

    @Test
    void jurisdictionsThatDifferByMoreThanChanceWidenTheLimits() {
        // Shares spread evenly from 0.14 to 0.26 over 2000 hits each: binomial z-scores reach about +-6.
        List<JurisdictionActivity> list = new ArrayList<>();
        for (int i = 0; i < 11; i++)
            list.add(j("j" + i, 4000, 2000, Math.round(2000 * (0.14 + 0.012 * i))));
        FunnelTest.Result result = FunnelTest.test(Share.NO_CONVICTION, list, ReviewMethod.defaults());
        double pooled = result.pooled();
        double binomialZ = (0.26 - pooled) / Math.sqrt(pooled * (1 - pooled) / 2000);
        assertTrue(binomialZ > 3.09, "without a correction the top one would be flagged: z = " + binomialZ);
        assertTrue(result.overdispersionCorrected());
        assertTrue(result.phiEstimate() > 1);
        assertTrue(result.flagged().isEmpty(), "an even spread has no outlier: " + result.flagged());
        assertTrue(result.limit(2000, 3.09, 1) > 0.26);
        // tau^2 from the winsorised z-scores, worked out here the long way.
        double[] z = new double[11];
        for (int i = 0; i < 11; i++)
            z[i] = (Math.round(2000 * (0.14 + 0.012 * i)) / 2000.0 - pooled) / Math.sqrt(pooled * (1 - pooled) / 2000);
        z[0] = z[1];
        z[10] = z[9];
        double phi = 0;
        for (double v : z)
            phi += v * v / 11;
        double w = 2000 / (pooled * (1 - pooled));
        double tau2 = (11 * phi - 10) / (11 * w - 11 * w * w / (11 * w));
        assertEquals(phi, result.phiEstimate(), 1e-9);
        assertEquals(tau2, result.tau2(), 1e-12);
    }

    @Test
    void nothingToTestWhenThePooledShareIsZero() {
        FunnelTest.Result result = FunnelTest.test(Share.MINOR_TRAFFIC_ONLY, tenAtTwentyPercentAnd(j("x", 1000, 500, 100)),
                ReviewMethod.defaults());
        assertEquals(0, result.tested());
        assertTrue(result.flagged().isEmpty());
    }
}
