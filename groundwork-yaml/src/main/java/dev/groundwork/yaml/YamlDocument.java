package dev.groundwork.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** Parses the bytes of a YAML file, with the same messages for every file Groundwork reads. */
public final class YamlDocument {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private YamlDocument() {}

  /**
   * @param name the file as the user knows it, put at the start of every message
   * @param errors makes the caller's exception for a message
   * @return the document's root (null for an empty file)
   */
  public static JsonNode parse(String name, byte[] bytes, Function<String, ? extends RuntimeException> errors) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw errors.apply(name + ": not valid UTF-8; save it as UTF-8");
    }
    try {
      return YAML.readTree(bytes);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw errors.apply(name + ": malformed YAML" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
          + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw errors.apply(name + ": cannot read: " + e.getMessage());
    }
  }
}
