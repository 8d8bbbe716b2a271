package com.example.links;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.test.NluQuality;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How well the local NLU, trained on this plugin's intents, entities and data, understands phrasings it never
 * saw ({@code src/test/resources/nlu-heldout/links.tsv}). Keep the held-out file apart from the training
 * material: it measures how well the material generalises.
 */
class LinksNluQualityTest {
  @Test
  void understandsHeldOutPhrasings() throws IOException {
    LocalNlu nlu = LocalNlu.train(List.of(new LinksPlugin().trainingSet().orElseThrow()));
    List<NluQuality.Case> cases;
    try (InputStream in = getClass().getResourceAsStream("/nlu-heldout/links.tsv")) {
      cases = NluQuality.read(in);
    }

    NluQuality.Report report = NluQuality.evaluate(nlu, cases);

    System.out.println("NLU held-out links: " + report);
    report.misses().forEach(m -> System.out.println("  " + m));
    assertThat(report.intentAccuracy()).as("%s", report).isGreaterThanOrEqualTo(0.95);
    assertThat(report.parameterAccuracy()).as("%s", report).isGreaterThanOrEqualTo(0.95);
  }
}
