package org.openabis.server.cli;

import static java.util.Map.entry;

import java.util.Locale;
import java.util.Map;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.index.IndexSettings;
import org.openabis.server.ConnectionLimits;
import org.openabis.server.ServerSettings;
import org.openabis.server.cluster.ClusterSettings;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The default of each {@code serve} option, read from the named constant of the setting it sets, so that
 * the help ({@code ${DEFAULT-VALUE}}) and the server cannot disagree. Options not listed have no default
 * here: their help says what an absent value means (one per core, a quarter of the heap, no TLS).
 */
final class ServeDefaults implements IDefaultValueProvider {
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            entry("--bind", ServerSettings.DEFAULT_BIND_HOST),
            entry("--port", String.valueOf(ServerSettings.DEFAULT_PORT)),
            entry("--ring-size", String.valueOf(EngineSettings.DEFAULT_RING_SIZE)),
            entry("--capacity", String.valueOf(EngineSettings.DEFAULT_GALLERY_CAPACITY)),
            entry("--entry-bytes", String.valueOf(EngineSettings.DEFAULT_GALLERY_ENTRY_BYTES)),
            entry("--threshold", plain(EngineSettings.DEFAULT_THRESHOLD)),
            entry("--search", IndexSettings.DEFAULTS.defaultMode().name().toLowerCase(Locale.ROOT)),
            entry("--penetration", plain(IndexSettings.DEFAULTS.penetration())),
            entry("--widen", widening(IndexSettings.DEFAULTS)),
            entry("--dedup", ServerSettings.DEFAULT_DEDUP.name().toLowerCase(Locale.ROOT)),
            entry("--min-quality", String.valueOf(EngineSettings.DEFAULT_MIN_QUALITY)),
            entry("--max-frame-bytes", String.valueOf(ServerSettings.DEFAULT_MAX_FRAME_BYTES)),
            entry("--lookup-threads", String.valueOf(ServerSettings.DEFAULT_LOOKUP_THREADS)),
            entry("--lookup-timeout", Durations.format(ServerSettings.DEFAULT_LOOKUP_TIMEOUT)),
            entry("--max-auth-failures", String.valueOf(ServerSettings.DEFAULT_MAX_AUTH_FAILURES)),
            entry("--audit-batch", String.valueOf(ServerSettings.DEFAULT_AUDIT_BATCH_SIZE)),
            entry("--max-image-pixels", String.valueOf(RequestLimits.DEFAULT_MAX_IMAGE_PIXELS)),
            entry("--max-scaled-pixels", String.valueOf(RequestLimits.DEFAULT_MAX_SCALED_PIXELS)),
            entry("--request-timeout", Durations.format(RequestLimits.DEFAULT_REQUEST_TIMEOUT)),
            entry("--idle-timeout", Durations.format(ConnectionLimits.DEFAULT_IDLE_TIMEOUT)),
            entry("--frame-timeout", Durations.format(ConnectionLimits.DEFAULT_FRAME_TIMEOUT)),
            entry("--max-connections", String.valueOf(ConnectionLimits.DEFAULT_MAX_CONNECTIONS)),
            entry("--max-connections-per-address", String.valueOf(ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS)),
            entry("--auth-free-failures", String.valueOf(ConnectionLimits.DEFAULT_AUTH_FREE_FAILURES)),
            entry("--auth-delay", Durations.format(ConnectionLimits.DEFAULT_AUTH_DELAY)),
            entry("--auth-lockout-failures", String.valueOf(ConnectionLimits.DEFAULT_AUTH_LOCKOUT_FAILURES)),
            entry("--auth-lockout", Durations.format(ConnectionLimits.DEFAULT_AUTH_LOCKOUT)),
            entry("--cluster-port", String.valueOf(ClusterSettings.DEFAULT_PORT)),
            entry("--backups", String.valueOf(ClusterSettings.DEFAULT_BACKUPS)),
            entry("--failure-detection", Durations.format(ClusterSettings.DEFAULT_FAILURE_DETECTION)));

    @Override
    public String defaultValue(ArgSpec argument) {
        return argument instanceof OptionSpec option ? DEFAULTS.get(option.longestName()) : null;
    }

    /** {@code 0.3,1}, or {@code off}: as {@code --widen} takes it. */
    private static String widening(IndexSettings settings) {
        return settings.widening().isEmpty() ? "off"
                : String.join(",", settings.widening().stream().map(ServeDefaults::plain).toList());
    }

    /** 40 rather than 40.0: the help shows what one would type. */
    private static String plain(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
