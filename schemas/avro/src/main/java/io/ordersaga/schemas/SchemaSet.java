package io.ordersaga.schemas;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory of {@code .avsc} files laid out as {@code src/main/avro}: shared types in {@code common/},
 * topic value schemas at the top, state-store values in {@code state/}. Parsed in that order (plus
 * {@code OrderEvent.avsc} before {@code state/}, which embeds it) with one parser, so names resolve.
 */
public final class SchemaSet {

    private final Map<String, Schema> byFullName;

    private SchemaSet(Map<String, Schema> byFullName) {
        this.byFullName = byFullName;
    }

    /**
     * Parses every {@code .avsc} under {@code root}.
     *
     * @throws UncheckedIOException when a file cannot be read
     * @throws org.apache.avro.SchemaParseException when a file is not valid Avro
     */
    public static SchemaSet load(Path root) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Path file : ordered(root)) {
            try {
                Schema schema = parser.parse(file.toFile());
                schemas.put(schema.getFullName(), schema);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new SchemaSet(schemas);
    }

    private static List<Path> ordered(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = new ArrayList<>(files.filter(f -> f.toString().endsWith(".avsc")).toList());
            all.sort(Comparator.comparingInt((Path f) -> rank(root.relativize(f))).thenComparing(Path::toString));
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int rank(Path relative) {
        if (relative.startsWith("common")) {
            return 0;
        }
        if (relative.toString().equals("OrderEvent.avsc")) {
            return 1;
        }
        return relative.startsWith("state") ? 3 : 2;
    }

    /** Every top-level schema of the set, by full name (for example {@code io.ordersaga.events.OrderEvent}). */
    public Map<String, Schema> schemas() {
        return byFullName;
    }
}
