package io.ordersaga.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the build, before any service is built, when a schema in src/main/avro breaks FULL_TRANSITIVE
 * against a released version in released/.
 */
class SchemaCompatibilityTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("released");

    @Test
    void everyCurrentSchemaIsFullyCompatibleWithEveryReleasedVersion() {
        List<String> breaches = CompatibilityCheck.check(SchemaSet.load(CURRENT), RELEASED);
        assertThat(breaches)
                .as("Incompatible schema change. Add fields only with a default, never remove or retype one; "
                        + "see schemas/avro/README.md")
                .isEmpty();
    }

    @Test
    void everyTopicAndStoreSchemaHasAReleasedVersion() {
        assertThat(SchemaSet.load(RELEASED.resolve("v2")).schemas().keySet())
                .containsAll(SchemaSet.load(CURRENT).schemas().keySet());
    }

    @Test
    void anOptionalFieldWithADefaultIsCompatible() {
        Schema v1 = SchemaSet.load(CURRENT).schemas().get("io.ordersaga.events.Product");
        Schema v2 = withField(v1, SchemaBuilder.builder().unionOf().nullType().and().stringType().endUnion(), true);
        assertThat(CompatibilityCheck.breaches(v2, "v1", v1)).isEmpty();
    }

    @Test
    void aRequiredNewFieldIsRejectedNamingTheFieldAndTheRule() {
        Schema v1 = SchemaSet.load(CURRENT).schemas().get("io.ordersaga.events.Product");
        Schema v3 = withField(v1, SchemaBuilder.builder().stringType(), false);
        assertThat(CompatibilityCheck.breaches(v3, "v1", v1))
                .singleElement().asString()
                .contains("FULL_TRANSITIVE", "backward", "READER_FIELD_MISSING_DEFAULT_VALUE", "currency");
    }

    @Test
    void aRetypedFieldIsRejectedInBothDirections() {
        Schema v1 = SchemaSet.load(CURRENT).schemas().get("io.ordersaga.events.Product");
        String json = v1.toString().replace("{\"name\":\"unitPrice\",\"type\":\"long\"", "{\"name\":\"unitPrice\",\"type\":\"string\"");
        Schema retyped = new Schema.Parser().parse(json);
        assertThat(CompatibilityCheck.breaches(retyped, "v1", v1))
                .hasSize(2)
                .allMatch(b -> b.contains("/fields/2/type") && b.contains("(field unitPrice)"));
    }

    private static Schema withField(Schema base, Schema type, boolean optional) {
        var fields = new java.util.ArrayList<Schema.Field>();
        base.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(optional ? new Schema.Field("currency", type, "ISO 4217 code", Schema.Field.NULL_DEFAULT_VALUE)
                : new Schema.Field("currency", type, "ISO 4217 code"));
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }
}
