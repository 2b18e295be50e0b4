package io.ordersaga.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The project's schema compatibility rule, FULL_TRANSITIVE, checked with Avro's own
 * {@link SchemaCompatibility} before anything runs: every current schema must read data written with
 * every released version of it (backward) and every released version must read data written with the
 * current one (forward). Released versions live in {@code schemas/avro/released/vN/}, laid out like
 * {@code src/main/avro}. The same rule is set in the registry (see schemas/avro/README.md).
 */
public final class CompatibilityCheck {

    /** The rule's name, as the registry spells it. */
    public static final String RULE = "FULL_TRANSITIVE";

    private CompatibilityCheck() {
    }

    /**
     * Checks one candidate against earlier versions.
     *
     * @return one line per breach: schema, direction, released version, field location and Avro's message; empty when compatible
     */
    public static List<String> breaches(Schema candidate, String releasedVersion, Schema released) {
        List<String> breaches = new ArrayList<>();
        describe(breaches, candidate.getFullName(), "backward: the new schema cannot read " + releasedVersion + " data",
                candidate, SchemaCompatibility.checkReaderWriterCompatibility(candidate, released));
        describe(breaches, candidate.getFullName(), "forward: " + releasedVersion + " readers cannot read new data",
                released, SchemaCompatibility.checkReaderWriterCompatibility(released, candidate));
        return breaches;
    }

    /**
     * Checks every schema of {@code current} against every released version under {@code releasedRoot}.
     * A schema with no released version is new and passes.
     *
     * @return every breach, as in {@link #breaches}; empty when all are compatible
     * @throws UncheckedIOException when the released directory cannot be listed
     */
    public static List<String> check(SchemaSet current, Path releasedRoot) {
        List<String> breaches = new ArrayList<>();
        for (Path versionDir : versions(releasedRoot)) {
            Map<String, Schema> released = SchemaSet.load(versionDir).schemas();
            current.schemas().forEach((name, schema) -> {
                Schema old = released.get(name);
                if (old != null) {
                    breaches.addAll(breaches(schema, versionDir.getFileName().toString(), old));
                }
            });
        }
        return breaches;
    }

    private static List<Path> versions(Path releasedRoot) {
        if (!Files.isDirectory(releasedRoot)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(releasedRoot)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void describe(List<String> out, String name, String direction, Schema reader,
                                 SchemaCompatibility.SchemaPairCompatibility result) {
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            out.add(name + " breaks " + RULE + " (" + direction + "): " + i.getType() + " at " + i.getLocation()
                    + fieldPath(reader, i.getLocation()) + ": " + i.getMessage());
        }
    }

    /**
     * The field names along an Avro location such as {@code /fields/6/type} in {@code reader}, as
     * {@code " (field total)"}; empty when the location names no record field.
     */
    static String fieldPath(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        Schema current = reader;
        String[] parts = location.split("/");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("fields") && current.getType() == Schema.Type.RECORD && parts[i + 1].matches("\\d+")) {
                int index = Integer.parseInt(parts[++i]);
                if (index >= current.getFields().size()) {
                    break;
                }
                Schema.Field field = current.getFields().get(index);
                names.add(field.name());
                current = field.schema();
            }
        }
        return names.isEmpty() ? "" : " (field " + String.join(".", names) + ")";
    }
}
