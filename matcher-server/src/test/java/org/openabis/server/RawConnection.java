package org.openabis.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/** A plain blocking socket speaking the frame format by hand, so tests can send what no client would. */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    void sendFrame(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    void send(Request request) throws IOException {
        sendFrame(request.toByteArray());
    }

    /** Raw bytes, framing included or not: the caller decides. */
    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response receive() throws IOException {
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return Response.parseFrom(payload);
    }

    /** The next response if one arrives within {@code millis}, else null. */
    Response receiveWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return receive();
        } catch (java.net.SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** True once the server has closed its end (read returns end of stream). */
    boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
