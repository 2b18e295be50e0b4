package io.ordersaga.common.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Apicurio Registry's v3 API that Apicurio's deserializer calls, on 127.0.0.1 and a free port:
 * {@code GET /apis/registry/v3/ids/contentIds/{id}} (the schema, or 404 with the registry's problem document
 * for an id it does not hold) and {@code .../references} (none). {@link #answer503(boolean)} makes every
 * request answer 503, as a registry whose storage is down does; {@link #close()} stops listening, so the
 * serde meets "connection refused", as when the registry process is gone. For the tests of the exception
 * handlers, which need the exceptions the real serde throws.
 */
public final class FakeRegistry implements AutoCloseable {

    private static final Pattern CONTENT = Pattern.compile("/apis/registry/v3/ids/contentIds/(\\d+)(/references)?");

    private final HttpServer server;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private volatile boolean unavailable;

    private FakeRegistry(HttpServer server) {
        this.server = server;
    }

    /** Starts one, holding no schema yet. */
    public static FakeRegistry start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeRegistry registry = new FakeRegistry(server);
            server.createContext("/", registry::handle);
            server.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base URL, as {@code EventSerdes.registry} takes it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code schema} under content id {@code id}. */
    public FakeRegistry hold(int id, Schema schema) {
        schemas.put(id, schema);
        return this;
    }

    /** While true, every request answers 503 with an empty body. */
    public void answer503(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /** Stops listening at once; later requests are refused. */
    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A value in the Confluent wire format: magic byte 0, {@code id} as 4 bytes big-endian, then {@code record}
     * as Avro binary written with its own class's schema.
     */
    public static byte[] confluent(int id, SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (unavailable) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            Matcher matcher = CONTENT.matcher(exchange.getRequestURI().getPath());
            Schema schema = matcher.matches() ? schemas.get(Integer.parseInt(matcher.group(1))) : null;
            if (schema == null) {
                send(exchange, 404, "application/problem+json", "{\"status\":404,\"name\":\"ContentNotFoundException\","
                        + "\"title\":\"No content with id '" + (matcher.matches() ? matcher.group(1) : "?") + "' was found.\"}");
            } else if (matcher.group(2) != null) {
                send(exchange, 200, "application/json", "[]");
            } else {
                send(exchange, 200, "application/json", schema.toString());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
