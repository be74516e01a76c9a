package dev.groundwork.tuning.jobs;

import java.io.IOException;
import java.util.List;

/**
 * A hosted fine-tuning service: files in, a job out, its state read until it is done. Each
 * implementation speaks one provider's documented wire API and maps its states onto {@link State#status}.
 * Thread-safe.
 */
public interface FineTuningApi {
  /**
   * A job as the provider reports it.
   *
   * @param status {@code queued}, {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
   *     (the provider's own word is {@code providerStatus})
   * @param fineTunedModel the model to call once it succeeded, else null
   */
  record State(String id, String status, String providerStatus, String fineTunedModel, String error, Long trainedTokens) {}

  String name();

  /** Uploads a training or validation file; returns its file id. */
  String upload(String filename, byte[] content) throws IOException;

  /** @param method {@code sft} or {@code dpo}; @param epochs null for the provider's default */
  State create(String model, String trainingFile, String validationFile, String method, Integer epochs, String suffix, Long seed) throws IOException;

  State get(String jobId) throws IOException;

  /** The job's event messages, oldest first. */
  List<String> events(String jobId) throws IOException;

  State cancel(String jobId) throws IOException;
}
