package org.openabis.server.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.openabis.matcher.image.GrayImage;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.nist.NistPrint;
import org.openabis.matcher.nist.NistTransaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code afis inspect}: shows, without a server, which prints the server takes from an ANSI/NIST
 * transaction (slap segments included) and which records it skips; can save every print as PNG so a
 * person can check the segmentation.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the prints the server would use from an ANSI/NIST-ITL transaction; --crops saves them as PNG.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "An .an2/.eft transaction.")
    Path file;

    @Option(names = "--crops", paramLabel = "DIR", description = "Write each print (slap segments included) as a PNG here.")
    Path crops;

    @Override
    public Integer call() throws Exception {
        NistTransaction.Contents contents = NistTransaction.read(Files.readAllBytes(file), RequestLimits.defaults());
        if (crops != null)
            Files.createDirectories(crops);
        int index = 0;
        for (NistPrint print : contents.prints()) {
            index++;
            GrayImage image = print.image();
            String line = String.format("%2d. position %2d  %4dx%-4d %4.0f dpi  %s", index, print.position(),
                    image.width(), image.height(), print.dpi(), print.source());
            if (crops != null) {
                Path png = crops.resolve(String.format("%02d-position-%02d.png", index, print.position()));
                BufferedImage gray = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
                gray.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
                ImageIO.write(gray, "png", png.toFile());
                line += "  -> " + png;
            }
            System.out.println(line);
        }
        for (String skipped : contents.skipped())
            System.out.println("skipped: " + skipped);
        return 0;
    }
}
