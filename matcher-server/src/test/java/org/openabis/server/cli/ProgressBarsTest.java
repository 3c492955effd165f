package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.junit.jupiter.api.Test;

/** A progress bar written to a file or pipe, where frames do not overwrite each other. */
class ProgressBarsTest {
    @Test
    void theLastFrameIsWrittenOnceOffATerminal() throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(written, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("enroll").setInitialMax(4).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ProgressBars.DistinctFrames(out)).setUpdateIntervalMillis(10).hideEta().build()) {
            for (int i = 0; i < 4; i++)
                bar.step();
            Thread.sleep(100); // the bar's own refresh shows 4/4 before close() refreshes once more
        }
        String text = written.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.split("4/4", -1).length - 1, text);
    }
}
