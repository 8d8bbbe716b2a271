package ai.chatops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metadata IDEs complete the properties from, as the jar ships it. */
class ConfigurationMetadataTest {
  @Test
  void describesEveryStoreAndAdminPropertyAndTheStoreKinds() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the generated metadata").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    List<String> names = new ArrayList<>();
    metadata.path("properties").forEach(p -> names.add(p.path("name").asText()));

    assertThat(names).contains("chatops.store", "chatops.dynamodb.table", "chatops.dynamodb.region",
        "chatops.dynamodb.endpoint", "chatops.dynamodb.create-table", "chatops.datastore.project-id",
        "chatops.datastore.namespace", "chatops.datastore.emulator-host", "chatops.admin-token",
        "chatops.admin-secret", "chatops.keys", "chatops.keys-file");
    List<String> kinds = new ArrayList<>();
    metadata.path("hints").forEach(h -> {
      if (h.path("name").asText().equals("chatops.store")) {
        h.path("values").forEach(v -> kinds.add(v.path("value").asText()));
      }
    });
    assertThat(kinds).containsExactly("memory", "dynamodb", "datastore");
  }
}
