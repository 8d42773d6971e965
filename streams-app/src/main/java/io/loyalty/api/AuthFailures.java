package io.loyalty.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Slows down key guessing: a client address that failed authentication {@code limit} times within the window is
 * answered 429 (with the seconds until its oldest failure leaves the window) without its key being checked, so
 * keys cannot be tried at line speed. A success does not clear the count: a caller holding one valid key cannot
 * use it to go on guessing others. The addresses tracked are bounded (the least recently failed go first).
 *
 * <p>Behind a load balancer or an ingress every request comes from the proxy's address, so the operator names
 * its proxies ({@code api.trusted.proxies}): a request from one of them counts against the nearest address of its
 * {@code X-Forwarded-For} that is not a trusted proxy. Only addresses the proxies appended are believed: what a
 * client wrote into the header itself stands left of them, and a request straight from a client is counted
 * against its own address whatever it sends.
 */
public final class AuthFailures {
  private static final int ADDRESSES_TRACKED = 10_000;
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  /** Dotted quads of octets only (InetAddress would look "999.1.1.1" up in DNS) or text with a colon (IPv6). */
  private static final Pattern IP_LITERAL = Pattern.compile(OCTET + "(\\." + OCTET + "){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*");

  private final int limit;
  private final Duration window;
  private final Set<String> trustedProxies;
  private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
      return size() > ADDRESSES_TRACKED;
    }
  };

  /**
   * @param limit failed authentications an address may have within the window before it is answered 429
   * @param trustedProxies addresses of the operator's proxies, as {@link InetAddress#getHostAddress()} writes them
   */
  public AuthFailures(int limit, Duration window, Set<String> trustedProxies) {
    this.limit = limit;
    this.window = window;
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  /** {@code api.trusted.proxies}: comma-separated IP addresses; anything else (a host name too) stops the start. */
  public static Set<String> parseProxies(String setting) {
    Set<String> proxies = new HashSet<>();
    for (String entry : setting.split(",")) {
      if (!entry.isBlank()) {
        proxies.add(ipLiteral(entry.strip()).orElseThrow(() ->
            new IllegalArgumentException("api.trusted.proxies entry '" + entry.strip() + "': an IPv4 or IPv6 address")));
      }
    }
    return proxies;
  }

  /** The address a request's failures count against: its peer, or behind trusted proxies the client they name. */
  String client(InetAddress peer, List<String> forwardedFor) {
    String address = peer.getHostAddress();
    if (!trustedProxies.contains(address)) {
      return address;
    }
    List<String> hops = new ArrayList<>();
    forwardedFor.forEach(header -> Stream.of(header.split(",")).map(String::strip).filter(hop -> !hop.isEmpty()).forEach(hops::add));
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = ipLiteral(hops.get(i)).orElse(hops.get(i));
      if (!trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return address;
  }

  /** An IP address written as the JDK writes it, never resolving a name: a DNS lookup per request would be a lever. */
  private static Optional<String> ipLiteral(String text) {
    if (!IP_LITERAL.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text).getHostAddress());
    } catch (UnknownHostException malformed) {
      return Optional.empty();
    }
  }

  /** How long the address must wait, when it failed too often within the window. */
  synchronized Optional<Duration> blocked(String address, Instant now) {
    Deque<Instant> recent = failures.get(address);
    if (recent == null) {
      return Optional.empty();
    }
    forgetBefore(recent, now.minus(window));
    if (recent.size() < limit) {
      return Optional.empty();
    }
    Duration wait = Duration.between(now, recent.peekFirst().plus(window));
    return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
  }

  synchronized void failed(String address, Instant now) {
    Deque<Instant> recent = failures.computeIfAbsent(address, any -> new ArrayDeque<>());
    forgetBefore(recent, now.minus(window));
    recent.addLast(now);
    // Only the last `limit` failures decide: the count per address stays bounded.
    while (recent.size() > limit) {
      recent.removeFirst();
    }
  }

  private static void forgetBefore(Deque<Instant> recent, Instant start) {
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(start)) {
      recent.removeFirst();
    }
  }
}
