package dev.groundwork.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What the fine-tuning fakes share: a socket, the files and jobs they hold, the requests they saw. */
abstract class FakeTuningServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final RawHttpServer server;
  /** Uploaded files, by id. */
  public final Map<String, byte[]> files = new ConcurrentHashMap<>();
  /** Every request as {@code METHOD PATH}, in order. */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  final Map<String, Map<String, Object>> jobs = new ConcurrentHashMap<>();
  /** How many times each job has been read (its state advances with each). */
  final Map<String, Integer> step = new ConcurrentHashMap<>();
  final AtomicInteger ids = new AtomicInteger();
  /** When true, jobs fail once they would start running. */
  public volatile boolean failJobs;

  FakeTuningServer() {
    server = new RawHttpServer(this::handle);
  }

  abstract void handle(RawHttpServer.Request req, RawHttpServer.Response res) throws IOException;

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  /** Deletes a job, as a provider that loses it would. */
  public void forget(String jobId) {
    jobs.remove(jobId);
  }

  @Override
  public void close() {
    server.close();
  }
}
