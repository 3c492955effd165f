package org.openabis.server.cli;

import org.openabis.server.client.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/afis} and of {@code java -jar afis.jar}. */
@Command(name = "afis", mixinStandardHelpOptions = true, versionProvider = AfisCli.Version.class,
        description = "Fingerprint identification server (ABIS) and its command-line client.",
        subcommands = {ServeCommand.class, EnrollCommand.class, IdentifyCommand.class, VerifyCommand.class,
                DeleteCommand.class, StatsCommand.class, PingCommand.class, DetainerCommand.class, InspectCommand.class,
                AgencyCommand.class, AuditCommand.class, ComplaintCommand.class, ReviewCommand.class, LoadCommand.class,
                SynthCommand.class, SynthLoadCommand.class, GalleryCommand.class, EvaluateCommand.class,
                PostgresCommand.class, ClusterCommand.class})
public final class AfisCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new AfisCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(java.time.Duration.class, Durations::parse)
                // A refused connection or unreadable file is the user's to fix: say what, without a stack trace.
                .setExecutionExceptionHandler((failure, command, parsed) -> {
                    Throwable cause = failure.getCause() != null && failure.getMessage() == null ? failure.getCause() : failure;
                    command.getErr().println("afis " + command.getCommandName() + ": " + cause.getMessage());
                    return failure instanceof ServerRefusal ? ServerRefusal.EXIT : 2;
                });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"afis " + ProjectVersion.get()
                    + ", SourceAFIS " + org.openabis.matcher.extract.TemplateExtractor.SOURCEAFIS_VERSION};
        }
    }
}
