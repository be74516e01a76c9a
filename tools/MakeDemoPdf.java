// Generates the demo corpus PDF (groundwork-cli/src/main/resources/demo/corpus/cloud-sla.pdf).
// Run from the repo root after a build:
//   java -cp "groundwork-cli/target/lib/*" tools/MakeDemoPdf.java
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

public class MakeDemoPdf {
  static final String[][] PAGES = {
    {
      "#Tidewater Cloud Service Level Agreement",
      "This Service Level Agreement (SLA) applies to the Business and Enterprise plans of Tidewater Cloud, the hosted Tidewater service. It does not apply to the Starter plan or to self-hosted Tidewater.",
      "#1. Availability commitment",
      "Tidewater Cloud will be available 99.95 percent of the time in each calendar month on the Business plan, and 99.99 percent of the time on the Enterprise plan.",
      "The service is unavailable when more than 5 percent of enqueue requests fail with a server error or time out within any period of one minute. Monthly availability is the share of minutes in the month in which the service was not unavailable.",
    },
    {
      "#2. Service credits",
      "If monthly availability falls below the commitment, the customer receives a service credit against the next invoice: 10 percent of the monthly fee for availability below the commitment but at least 99.0 percent, and 25 percent of the monthly fee for availability below 99.0 percent.",
      "Service credits must be requested within 30 days of the end of the affected month by writing to support. Credits are the sole remedy for unavailability and may not exceed 25 percent of the monthly fee.",
      "#3. Exclusions",
      "The commitment does not cover unavailability caused by scheduled maintenance announced at least 72 hours in advance, by the customer's own software or network, or by requests above the plan's rate limits.",
    },
    {
      "#4. Support response times",
      "Enterprise customers receive a first response within 1 hour for urgent incidents, at any time of day. Business customers receive a first response by email within one business day.",
      "#5. Data durability",
      "Every acknowledged job is stored on three brokers in three availability zones before the enqueue request succeeds. Backups of every cluster are taken every 6 hours and kept for 30 days.",
      "This agreement was last updated on 1 February 2026.",
    },
  };

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "groundwork-cli/src/main/resources/demo/corpus/cloud-sla.pdf");
    try (PDDocument doc = new PDDocument()) {
      doc.getDocumentInformation().setTitle("Tidewater Cloud Service Level Agreement");
      var regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      var bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      for (String[] page : PAGES) {
        PDPage p = new PDPage(PDRectangle.A4);
        doc.addPage(p);
        try (PDPageContentStream cs = new PDPageContentStream(doc, p)) {
          float y = 780;
          for (String para : page) {
            boolean heading = para.startsWith("#");
            String text = heading ? para.substring(1) : para;
            var font = heading ? bold : regular;
            float size = heading ? 14 : 11;
            for (String line : wrap(text, font, size, 480)) {
              cs.beginText();
              cs.setFont(font, size);
              cs.newLineAtOffset(60, y);
              cs.showText(line);
              cs.endText();
              y -= size + 4;
            }
            y -= 12;
          }
        }
      }
      doc.save(out.toFile());
    }
  }

  static List<String> wrap(String text, PDType1Font font, float size, float width) throws Exception {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (font.getStringWidth(candidate) / 1000 * size > width && !line.isEmpty()) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (!line.isEmpty()) lines.add(line.toString());
    return lines;
  }
}
