package dev.groundwork.app.versions;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One version of something the project learned or chose: a configuration, a prompt, a retrieval
 * adapter, a router, a fine-tuned model. Stored as {@code .groundwork/versions/<id>/version.json}
 * (format {@code groundwork-version} v1) beside its artifact.
 *
 * @param id {@code <kind>-<yyyyMMdd-HHmmss>-<hash>}, unique in the project
 * @param created when it was made, an ISO-8601 instant
 * @param parent the version of the same kind that was promoted when this one was made, or null
 * @param inputs what it was made from: a name per input and the SHA-256 of its content
 * @param settings how it was made (free-form, JSON-ready)
 * @param metrics what was measured when it was made (free-form, JSON-ready)
 * @param artifact the file in the version's folder that holds it (e.g. {@code groundwork.yaml})
 * @param sha256 the artifact's SHA-256
 */
public record Version(String format, int version, String id, String kind, String created, String parent, Map<String, String> inputs,
    Map<String, Object> settings, Map<String, Object> metrics, String note, String artifact, @JsonProperty("sha256") String sha256) {
  public static final String FORMAT = "groundwork-version";

  public Version {
    inputs = inputs == null ? Map.of() : new LinkedHashMap<>(inputs);
    settings = settings == null ? Map.of() : new LinkedHashMap<>(settings);
    metrics = metrics == null ? Map.of() : new LinkedHashMap<>(metrics);
  }
}
