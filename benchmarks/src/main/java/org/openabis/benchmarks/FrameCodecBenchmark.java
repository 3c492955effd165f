package org.openabis.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.server.ServerSettings;
import org.openabis.server.net.AfisServer;
import org.openabis.protocol.WireFingers;
import org.openabis.server.records.PersonRecord;
import org.openabis.server.records.RecordOnFile;
import org.openabis.server.records.RecordsWire;
import org.openabis.server.records.SyntheticRecords;
import org.openabis.wire.Candidate;
import org.openabis.wire.FingerScore;
import org.openabis.wire.Format;
import org.openabis.wire.Identified;
import org.openabis.wire.Identify;
import org.openabis.wire.ProbeFinger;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's codec on the event loop, through the real handler chain ({@link AfisServer.Codec}:
 * FrameDecoder, ProtobufDecoder, LengthFieldPrepender, ProtobufEncoder) in a Netty
 * {@code EmbeddedChannel}: decoding one framed IDENTIFY request whose probe is a SourceAFIS template
 * (≈450 bytes) or a TIFF image (≈90 kB), and encoding one IDENTIFY answer of 10 candidates with
 * their synthetic records into frames. Baselines (no SourceAFIS step applies): protobuf alone,
 * {@code Request.parseFrom} and {@code Response.toByteArray}, i.e. what the Netty handlers add.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar FrameCodecBenchmark -f 1 -wi 2 -i 3</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class FrameCodecBenchmark {
    private static final int CANDIDATES = 10;

    @Param({"template", "image"})
    public String probe;

    private EmbeddedChannel channel;
    private byte[] requestBytes;
    private ByteBuf requestFrame;
    private Response response;

    @Setup(Level.Trial)
    public void build() {
        BenchGallery.ProbePrint print = BenchGallery.extractReal().probes().get(0);
        Request request = Request.newBuilder().setRequestId(123_456).setIdentify(Identify.newBuilder()
                .addFingers("image".equals(probe)
                        ? WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI)
                        : WireFingers.finger(0, Format.SOURCEAFIS, print.template(), 0))
                .setMaxCandidates(CANDIDATES)).build();
        requestBytes = request.toByteArray();
        requestFrame = Unpooled.directBuffer(4 + requestBytes.length).writeInt(requestBytes.length).writeBytes(requestBytes);
        response = identified(request.getRequestId());
        channel = new EmbeddedChannel();
        new AfisServer.Codec(ServerSettings.DEFAULT_MAX_FRAME_BYTES).addTo(channel.pipeline());
        System.out.printf("%n[codec] request %d bytes, response %d bytes%n", requestBytes.length, response.getSerializedSize());
    }

    /** An IDENTIFY answer as the server sends it: candidates with finger scores and records. */
    private static Response identified(long requestId) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CANDIDATES; i++)
            ids.add("fvc2002-db1-b/" + (101 + i));
        List<PersonRecord> people = SyntheticRecords.generate(ids, SyntheticRecords.DEMO_SEED);
        Identified.Builder identified = Identified.newBuilder().setGallerySize(1_000_000)
                .addProbe(ProbeFinger.newBuilder().setPosition(0).setMinutiae(48).setQuality(-1));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < CANDIDATES; i++)
            identified.addCandidates(Candidate.newBuilder().setSubjectId(ids.get(i)).setScore(180.5 - 12 * i)
                    .addFingers(FingerScore.newBuilder().setProbePosition(0).setGalleryPosition(0).setScore(180.5 - 12 * i))
                    .setRecord(RecordsWire.summary(new RecordOnFile(people.get(i), List.of()), now)));
        return Response.newBuilder().setRequestId(requestId).setIdentified(identified).build();
    }

    @Benchmark
    public Request decodeFrameThroughPipeline() {
        channel.writeInbound(requestFrame.retainedDuplicate());
        return channel.readInbound();
    }

    @Benchmark
    public Request protobufParseRequest() throws InvalidProtocolBufferException {
        return Request.parseFrom(requestBytes);
    }

    @Benchmark
    public int encodeFrameThroughPipeline() {
        channel.writeOutbound(response);
        int bytes = 0;
        for (Object out; (out = channel.readOutbound()) != null; ) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }

    @Benchmark
    public byte[] protobufSerializeResponse() {
        return response.toByteArray();
    }

    @TearDown(Level.Trial)
    public void close() {
        channel.finishAndReleaseAll();
        requestFrame.release();
    }
}
