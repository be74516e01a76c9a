package dev.groundwork.tuning.jobs;

import java.util.List;
import java.util.Map;

/**
 * A fine-tuning job as Groundwork keeps it: the provider's state and what went into it.
 *
 * @param status the provider's status: {@code validating_files}, {@code queued}, {@code running},
 *     {@code succeeded}, {@code failed} or {@code cancelled}
 * @param fineTunedModel the trained model's name once the job succeeded, else null
 * @param datasetHash SHA-256 of the training file, the lineage of the model
 * @param version the {@code model} version the tuned model was registered as, once it succeeded
 */
public record TuningJob(String provider, String id, String baseModel, String status, String fineTunedModel, String trainingFile, String validationFile,
    String datasetHash, String method, Map<String, Object> hyperparameters, String error, Long trainedTokens, String createdAt, String updatedAt,
    List<String> events, String version) {
  public static final List<String> FINAL = List.of("succeeded", "failed", "cancelled");

  public TuningJob {
    hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    events = events == null ? List.of() : List.copyOf(events);
  }

  public TuningJob withVersion(String v) {
    return new TuningJob(provider, id, baseModel, status, fineTunedModel, trainingFile, validationFile, datasetHash, method, hyperparameters, error,
        trainedTokens, createdAt, updatedAt, events, v);
  }

  public boolean done() {
    return FINAL.contains(status);
  }
}
