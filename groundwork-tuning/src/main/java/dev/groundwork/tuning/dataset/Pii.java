package dev.groundwork.tuning.dataset;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Personal data and secrets in text, found by kind and optionally replaced by {@code [KIND]}. Each
 * detector confirms what its pattern finds: card numbers by the Luhn check, IBANs by their mod-97
 * check digits, IP addresses by parsing, phone numbers by libphonenumber's validity rules. More
 * detectors plug in through {@link Detector}. Thread-safe.
 */
public final class Pii {
  /** One finding: its kind and where it is. */
  public record Match(String kind, int start, int end) {}

  /** A detector of one kind of personal data. */
  public interface Detector {
    String kind();

    List<Match> find(String text);
  }

  private final List<Detector> detectors;

  public Pii(List<Detector> detectors) {
    this.detectors = List.copyOf(detectors);
  }

  /** The built-in detectors, phone numbers read as {@code defaultRegion} when they have no country code. */
  public static Pii standard(String defaultRegion) {
    return new Pii(List.of(regex("email", "(?<![\\w.+-])[\\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b", s -> true),
        regex("card", "(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?![\\d-])", Pii::luhn),
        regex("iban", "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b", Pii::iban),
        regex("ip", "(?<![\\w.:])(?:(?:\\d{1,3}\\.){3}\\d{1,3}|(?=[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:)[0-9A-Fa-f:]{2,39})(?![\\w:]|\\.\\d)", Pii::ip),
        regex("secret", "\\b(?:sk-(?:proj-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[baprs]-[A-Za-z0-9-]{10,}"
            + "|gw_[0-9a-f]{12}_[0-9a-f]{64}|AIza[0-9A-Za-z_-]{35}|sk_(?:live|test)_[0-9A-Za-z]{24,})\\b", s -> true),
        phones(defaultRegion)));
  }

  /** Only the detectors of {@code kinds}. */
  public Pii only(java.util.Set<String> kinds) {
    return new Pii(detectors.stream().filter(d -> kinds.contains(d.kind())).toList());
  }

  /** This detector set with {@code more} added. */
  public Pii with(Detector more) {
    List<Detector> all = new ArrayList<>(detectors);
    all.add(more);
    return new Pii(all);
  }

  /** Every finding, in text order; where two overlap, the first detector's wins. */
  public List<Match> find(String text) {
    List<Match> all = new ArrayList<>();
    for (Detector d : detectors) {
      for (Match m : d.find(text)) {
        if (all.stream().noneMatch(x -> x.start() < m.end() && m.start() < x.end())) all.add(m);
      }
    }
    all.sort(Comparator.comparingInt(Match::start));
    return all;
  }

  /** {@code text} with every finding replaced by {@code [KIND]}. */
  public String scrub(String text) {
    StringBuilder sb = new StringBuilder(text);
    List<Match> found = find(text);
    for (int i = found.size() - 1; i >= 0; i--) {
      Match m = found.get(i);
      sb.replace(m.start(), m.end(), "[" + m.kind().toUpperCase(Locale.ROOT) + "]");
    }
    return sb.toString();
  }

  private static Detector regex(String kind, String pattern, java.util.function.Predicate<String> confirm) {
    Pattern p = Pattern.compile(pattern);
    return new Detector() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public List<Match> find(String text) {
        List<Match> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) if (confirm.test(m.group())) out.add(new Match(kind, m.start(), m.end()));
        return out;
      }
    };
  }

  private static Detector phones(String region) {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    return new Detector() {
      @Override
      public String kind() {
        return "phone";
      }

      @Override
      public List<Match> find(String text) {
        List<Match> out = new ArrayList<>();
        for (PhoneNumberMatch m : util.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
          out.add(new Match("phone", m.start(), m.end()));
        }
        return out;
      }
    };
  }

  /** The Luhn check of a card number (spaces and dashes ignored). */
  static boolean luhn(String s) {
    String d = s.replaceAll("[ -]", "");
    if (d.length() < 13 || d.length() > 19) return false;
    int sum = 0;
    for (int i = 0; i < d.length(); i++) {
      int x = d.charAt(d.length() - 1 - i) - '0';
      if (i % 2 == 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    return sum % 10 == 0;
  }

  /** The ISO 13616 mod-97 check of an IBAN (spaces ignored). */
  static boolean iban(String s) {
    String x = s.replace(" ", "");
    if (x.length() < 15 || x.length() > 34) return false;
    String r = x.substring(4) + x.substring(0, 4);
    StringBuilder digits = new StringBuilder();
    for (char c : r.toCharArray()) digits.append(Character.isLetter(c) ? String.valueOf(c - 'A' + 10) : String.valueOf(c));
    return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }

  /** A literal IPv4 (each part 0..255) or IPv6 address, parsed, never looked up. */
  static boolean ip(String s) {
    if (s.contains(".")) {
      String[] parts = s.split("\\.");
      if (parts.length != 4) return false;
      for (String p : parts) if (p.length() > 1 && p.startsWith("0") || Integer.parseInt(p) > 255) return false;
      return true;
    }
    if (s.chars().filter(c -> c == ':').count() < 2) return false;
    try {
      return InetAddress.getByName(s) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException | RuntimeException e) {
      return false;
    }
  }
}
