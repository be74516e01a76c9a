package dev.groundwork.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads a {@code multipart/form-data} request as the fakes need it: text fields, and the part named {@code file}. */
final class RawMultipart {
  private RawMultipart() {}

  /** Fills {@code fields} with the text parts; returns the {@code file} part's bytes, or null when there is none or the body is not multipart. */
  static byte[] parse(RawHttpServer.Request req, Map<String, String> fields) {
    String type = req.header("content-type");
    if (type == null || !type.startsWith("multipart/form-data; boundary=")) return null;
    String boundary = type.substring(type.indexOf("boundary=") + 9);
    String body = new String(req.body(), StandardCharsets.ISO_8859_1);
    byte[] file = null;
    for (String part : body.split("--" + Pattern.quote(boundary))) {
      int headerEnd = part.indexOf("\r\n\r\n");
      if (headerEnd < 0) continue;
      String headers = part.substring(0, headerEnd);
      String value = part.substring(headerEnd + 4, part.endsWith("\r\n") ? part.length() - 2 : part.length());
      var name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
      if (!name.find()) continue;
      if (name.group(1).equals("file")) {
        file = value.getBytes(StandardCharsets.ISO_8859_1);
        var fn = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
        if (fn.find()) fields.put("filename", fn.group(1));
      } else {
        fields.put(name.group(1), new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
      }
    }
    return file;
  }
}
