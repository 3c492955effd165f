package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openabis.matcher.EngineSettings;
import org.openabis.server.ConnectionLimits;
import org.openabis.server.ServerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code serve}'s defaults are the settings' named constants, in what it does and in what its help says. */
class ServeDefaultsTest {
    private static ServeCommand parse(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "serve";
        System.arraycopy(args, 0, line, 1, args.length);
        return (ServeCommand) AfisCli.commandLine().parseArgs(line).subcommand().commandSpec().userObject();
    }

    @Test
    void serveWithoutOptionsRunsOnTheDefaultSettings() {
        // Fails if any option's default drifts from the constant of the setting it sets.
        assertEquals(ServerSettings.defaults(Path.of("data")), parse().settings());
        ServerSettings tuned = parse("--port", "7800", "--ring-size", "64", "--lookup-timeout", "5s", "--auth-delay", "1s").settings();
        assertEquals(7800, tuned.port());
        assertEquals(64, tuned.engine().ringSize());
        assertEquals(java.time.Duration.ofSeconds(5), tuned.lookupTimeout());
        assertEquals(java.time.Duration.ofSeconds(1), tuned.connectionLimits().authDelay());
    }

    @Test
    void wideningIsSetAndCheckedOnTheCommandLine() {
        assertEquals(java.util.List.of(0.1, 1.0), parse("--widen", "0.1,1").settings().engine().search().widening());
        assertEquals(java.util.List.of(), parse("--widen", "off").settings().engine().search().widening());
        for (String bad : new String[] {"0.5,0.3", "0.005", "1.5", "0.2;1", "x"}) {
            CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
                    () -> parse("--widen", bad).settings(), bad);
            assertTrue(e.getMessage().startsWith("--widen: widening"), e.getMessage());
        }
        // a share must lie above the first cut, so a larger --penetration refuses a lower round
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
                () -> parse("--penetration", "0.3", "--widen", "0.2,1").settings()).getMessage().contains("above the penetration"));
    }

    @Test
    void searchIsIndexedUnlessServeSaysExact() {
        // the default lives in IndexSettings.DEFAULTS alone; serve without --search runs on it, and its help says so
        assertEquals(org.openabis.matcher.SearchMode.INDEXED, parse().settings().engine().search().defaultMode());
        assertEquals(org.openabis.matcher.SearchMode.EXACT, parse("--search", "EXACT").settings().engine().search().defaultMode());
        String help = AfisCli.commandLine().getSubcommands().get("serve").getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("(default: indexed)"), help);
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
                () -> parse("--search", "fast"));
        assertTrue(e.getMessage().contains("expected exact or indexed, not 'fast'"), e.getMessage());
    }

    @Test
    void enumOptionsTakeAnyCaseAndNameTheirValuesWhenRefused() {
        // one converter (EnumOption) for every enum option: --search and --dedup alike
        assertEquals(org.openabis.matcher.DedupMode.FLAG, parse("--dedup", "Flag").settings().dedup());
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
                () -> parse("--dedup", "maybe"));
        assertTrue(e.getMessage().contains("expected off, flag or reject, not 'maybe'"), e.getMessage());
    }

    @Test
    void helpShowsTheNamedDefaults() {
        CommandLine serve = AfisCli.commandLine().getSubcommands().get("serve");
        for (OptionSpec option : serve.getCommandSpec().options())
            if (String.join(" ", option.description()).contains("${DEFAULT-VALUE}"))
                assertNotNull(option.defaultValueString(), option.longestName() + " says it has a default but has none");
        String help = serve.getUsageMessage();
        assertFalse(help.contains("default: null"), help);
        assertTrue(help.contains("(default: " + ServerSettings.DEFAULT_PORT + ")"), help);
        assertTrue(help.contains("(default: " + EngineSettings.DEFAULT_RING_SIZE + ")"), help);
        assertTrue(help.contains("(default: " + Durations.format(ConnectionLimits.DEFAULT_AUTH_LOCKOUT) + ")"), help);
        assertTrue(help.contains("(default: 2s)"), "--lookup-timeout in the CLI's duration format: " + help);
        assertTrue(help.contains("(default: 40)"), "--threshold as one would type it: " + help);
    }
}
