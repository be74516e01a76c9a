package dev.groundwork.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.app.GroundworkException;
import dev.groundwork.app.Limits;
import java.io.IOException;

/**
 * Fuzzes what a chat request body goes through before a model sees it: JSON parsing, the strict
 * schema checks, the message readers and the question's cleaning. A request may be refused (a 400:
 * {@link Http.BadRequest} or a bad-input {@link GroundworkException}); anything else thrown would be
 * a 500, and is a finding. Without {@code JAZZER_FUZZ} it replays the committed seeds as a test.
 */
class RequestFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void chatRequest(byte[] data) {
    JsonNode body;
    try {
      body = Http.JSON.readTree(data);
    } catch (IOException e) {
      return; // a 400 "not valid JSON", as Http.body answers
    }
    if (body == null || !body.isObject()) return;
    try {
      RequestChecks.chat(body);
      String q = ChatRequests.lastUserMessage(body);
      ChatRequests.toChatRequest(body);
      Limits.query(q, "messages");
    } catch (Http.BadRequest e) {
      // refused with a 400 naming the parameter
    } catch (GroundworkException e) {
      if (e.kind() != dev.groundwork.app.ErrorKind.BAD_INPUT) throw e;
    }
  }

  @FuzzTest(maxDuration = "30s")
  void askRequest(byte[] data) {
    JsonNode body;
    try {
      body = Http.JSON.readTree(data);
    } catch (IOException e) {
      return;
    }
    if (body == null || !body.isObject()) return;
    try {
      RequestChecks.ask(body);
      Limits.query(body.path("question").asText(""), "question");
    } catch (Http.BadRequest e) {
      // a 400
    } catch (GroundworkException e) {
      if (e.kind() != dev.groundwork.app.ErrorKind.BAD_INPUT) throw e;
    }
  }
}
