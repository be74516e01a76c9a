package dev.groundwork.web;

import dev.groundwork.http.HostResolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A resolver that refuses addresses a fetched URL must not reach (SSRF): loopback, private (RFC
 * 1918, IPv6 unique-local), link-local (169.254/16, where cloud metadata lives, and fe80::/10),
 * carrier-grade NAT (100.64/10), "this network" (0/8), multicast, broadcast and unspecified. A name
 * with any such address is refused whole, so a resolver that mixes public and private answers gains
 * nothing. Ranges in {@code allowed} pass (a test's loopback, an intranet the operator trusts).
 * The checks use parsed addresses, never strings. Thread-safe.
 */
public final class AddressGuard implements HostResolver {
  /** A CIDR range, e.g. {@code 127.0.0.1/32} or {@code fd00::/8}. */
  public record Range(InetAddress network, int prefix) {
    public Range {
      Objects.requireNonNull(network, "network");
      int max = network.getAddress().length * 8;
      if (prefix < 0 || prefix > max) throw new IllegalArgumentException("prefix must be in 0.." + max + ", got " + prefix);
    }

    /** Parses {@code ADDRESS/PREFIX}, or a bare address (a single host); names are not accepted. */
    public static Range parse(String cidr) {
      String s = cidr.strip();
      int slash = s.indexOf('/');
      String addr = slash < 0 ? s : s.substring(0, slash);
      if (!addr.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
        throw new IllegalArgumentException("'" + cidr + "' is not an IP range (like 127.0.0.1/32 or fd00::/8)");
      }
      InetAddress a;
      try {
        a = InetAddress.getByName(addr); // a literal: no lookup
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + cidr + "' is not an IP range: " + e.getMessage());
      }
      int prefix;
      try {
        prefix = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + cidr + "' has no numeric prefix length");
      }
      return new Range(a, prefix);
    }

    public boolean contains(InetAddress x) {
      byte[] n = network.getAddress(), b = x.getAddress();
      if (n.length != b.length) return false;
      int full = prefix / 8, rest = prefix % 8;
      for (int i = 0; i < full; i++) if (n[i] != b[i]) return false;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (n[full] & mask) == (b[full] & mask);
    }
  }

  private final HostResolver delegate;
  private final List<Range> allowed;

  public AddressGuard(HostResolver delegate, List<Range> allowed) {
    this.delegate = Objects.requireNonNull(delegate);
    this.allowed = List.copyOf(allowed);
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] all = delegate.resolve(host);
    List<InetAddress> ok = new ArrayList<>();
    for (InetAddress a : all) {
      String why = refusal(a);
      if (why != null && allowed.stream().noneMatch(r -> r.contains(a))) {
        throw new Refused(host + " resolves to " + a.getHostAddress() + ", " + why + "; fetching it is refused (allow it under web.allow)");
      }
      ok.add(a);
    }
    if (ok.isEmpty()) throw new UnknownHostException(host + ": no address");
    return ok.toArray(InetAddress[]::new);
  }

  /** Why {@code a} may not be reached, or null when it is a public address. */
  public static String refusal(InetAddress a) {
    if (a.isLoopbackAddress()) return "a loopback address";
    if (a.isAnyLocalAddress()) return "the unspecified address";
    if (a.isLinkLocalAddress()) return "a link-local address (where cloud metadata services live)";
    if (a.isSiteLocalAddress()) return "a private address";
    if (a.isMulticastAddress()) return "a multicast address";
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int x = b[0] & 0xff, y = b[1] & 0xff;
      if (x == 0) return "a 'this network' address";
      if (x == 100 && (y & 0xc0) == 64) return "a carrier-grade NAT address";
      if (x == 192 && y == 0 && (b[2] & 0xff) == 0) return "an IETF protocol address";
      if (x == 198 && (y & 0xfe) == 18) return "a benchmarking address";
      if (x >= 240) return "a reserved or broadcast address";
    } else if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) return "a private (unique-local) address";
      if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) return "a private (site-local) address";
      boolean mapped = true;
      for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          String inner = refusal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
          if (inner != null) return inner + " (IPv4-mapped)";
        } catch (UnknownHostException e) {
          return "a malformed address";
        }
      }
    }
    return null;
  }

  /** A name whose address may not be reached. An {@link UnknownHostException}, so clients treat it as "cannot connect". */
  public static final class Refused extends UnknownHostException {
    public Refused(String message) {
      super(message);
    }
  }
}
