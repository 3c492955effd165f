package org.openabis.server.cli;

import java.io.PrintStream;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bars every command shows on standard error (docs/CLI.md): one look, one place. */
final class ProgressBars {
    private ProgressBars() {
    }

    /** A bar counting to {@code max}, with speed when {@code speed}, else without an ETA. */
    static ProgressBar bar(String task, long max, boolean speed) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new DistinctFrames(System.err)).setUpdateIntervalMillis(500);
        return (speed ? builder.showSpeed() : builder.hideEta()).build();
    }

    /**
     * Writes a frame only if it shows other progress than the last one written. On a terminal each frame
     * overwrites the last; written to a file or pipe every frame stays, and the bar's closing refresh
     * repeated the final frame.
     */
    static final class DistinctFrames implements ProgressBarConsumer {
        /** The elapsed time and speed change while the count does not: not progress. */
        private static final Pattern CLOCK = Pattern.compile("\\d+:\\d\\d:\\d\\d|[\\d.]+/s");
        private final ConsoleProgressBarConsumer console;
        private String last;

        DistinctFrames(PrintStream out) {
            this.console = new ConsoleProgressBarConsumer(out);
        }

        @Override
        public int getMaxRenderedLength() {
            return console.getMaxRenderedLength();
        }

        @Override
        public synchronized void accept(String frame) {
            String progress = CLOCK.matcher(frame).replaceAll("");
            if (progress.equals(last))
                return;
            last = progress;
            console.accept(frame);
        }

        @Override
        public void close() {
            console.close();
        }
    }
}
