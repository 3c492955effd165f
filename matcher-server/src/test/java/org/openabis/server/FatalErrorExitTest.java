package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.pipeline.FatalErrorHandler;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Format;

/**
 * An Error in a ring stage leaves the JVM unsound, so the server process ends with a non-zero status for its
 * supervisor to restart it — rather than answering PING and STATS while every search goes unanswered. Shown
 * for real: a child server with a small heap and the image limits lifted runs out of memory extracting a
 * 2000 × 2000 image at 100 dpi, which SourceAFIS scales up to 10000 × 10000 (the case, made worse).
 */
class FatalErrorExitTest {
    @TempDir
    Path data;
    @TempDir
    Path logs;

    @Test
    void outOfMemoryInAStageEndsTheProcessWithStatus70() throws Exception {
        BufferedImage flat = new BufferedImage(2000, 2000, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(flat, "png", png);
        try (ChildServer child = ChildServer.startWithHeap("160m", data, logs.resolve("console.txt"), "--no-auth", "--max-image-pixels", "1000000000",
                "--max-scaled-pixels", "1000000000", "--extract-threads", "1", "--partitions", "1");
             AfisClient client = AfisClient.connect("127.0.0.1", child.port())) {
            var answer = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, png.toByteArray(), 100)), 10, null);
            var status = child.exitWithin(60);
            // By the time the process has ended the answer has usually failed with the connection: getNow would throw that
            // instead of checking the exit status.
            String answered = answer.isDone() ? answer.handle((r, e) -> String.valueOf(r != null ? r : e)).join() : "none";
            assertTrue(status.isPresent(), "the process ended; answer " + answered + "\n" + child.output());
            assertEquals(FatalErrorHandler.EXIT_STATUS, status.getAsInt(), child.output());
            assertTrue(child.output().contains("FATAL"), child.output());
        }
    }
}
