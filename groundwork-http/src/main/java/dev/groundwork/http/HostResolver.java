package dev.groundwork.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Host name to addresses, for {@link Http1Client}: the client connects only to the addresses this
 * returns and looks the name up nowhere else, so a resolver that checks the addresses (an SSRF
 * guard) decides where the client can go. Implementations are thread-safe.
 */
@FunctionalInterface
public interface HostResolver {
  /** The system's resolver. */
  HostResolver SYSTEM = InetAddress::getAllByName;

  /** @throws UnknownHostException when the name has no address, or none that may be used */
  InetAddress[] resolve(String host) throws UnknownHostException;
}
