package io.loyalty.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  void aKeyIsKnownByItsHashAndCarriesItsRoleAndOrganizations() {
    assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ApiKeys.hash("test"));
    ApiKeys keys = ApiKeys.parse("front-desk:register:greenleaf:" + ApiKeys.hash("r-key") + ", boss:MANAGER:greenleaf/harbor:"
        + ApiKeys.hash("m-key") + ",platform:admin:*:" + ApiKeys.hash("p-key"));
    Caller register = keys.authenticate("r-key", NOW).orElseThrow();
    assertEquals(new Caller("front-desk", Role.REGISTER, Set.of("greenleaf")), register);
    assertTrue(register.actsFor("greenleaf"));
    assertFalse(register.actsFor("harbor"));
    assertEquals(new Caller("boss", Role.MANAGER, Set.of("greenleaf", "harbor")), keys.authenticate("m-key", NOW).orElseThrow());
    Caller platform = keys.authenticate("p-key", NOW).orElseThrow();
    assertTrue(platform.actsForAll() && platform.actsFor("harbor") && platform.actsFor("any"));
    assertFalse(register.actsForAll());
    assertEquals(Optional.empty(), keys.authenticate("r-key ", NOW));
    assertEquals(Optional.empty(), keys.authenticate(null, NOW));
    assertEquals(Optional.empty(), ApiKeys.parse("").authenticate("r-key", NOW), "no keys: nobody gets in");
    assertTrue(Role.ADMIN.allows(Role.MANAGER));
    assertTrue(Role.MANAGER.allows(Role.REGISTER));
    assertFalse(Role.REGISTER.allows(Role.MANAGER));
  }

  @Test
  void anEntryOfTheEarlierFormActsForEveryOrganization() {
    Caller legacy = ApiKeys.parse("ops:manager:" + ApiKeys.hash("o-key")).authenticate("o-key", NOW).orElseThrow();
    assertEquals(Caller.ofAll("ops", Role.MANAGER), legacy);
    assertTrue(legacy.actsForAll());
  }

  @Test
  void aKeyWorksThroughItsLastDayAndTwoKeysOfOneNameBothWorkDuringARotation() {
    ApiKeys keys = ApiKeys.parse("till:register:greenleaf:" + ApiKeys.hash("old") + ":2026-12-06,till:register:greenleaf:"
        + ApiKeys.hash("new"));
    assertEquals("till", keys.authenticate("old", Instant.parse("2026-12-06T23:59:59Z")).orElseThrow().name());
    assertEquals(Optional.empty(), keys.authenticate("old", Instant.parse("2026-12-07T00:00:00Z")), "past its last day");
    assertEquals("till", keys.authenticate("new", Instant.parse("2027-06-01T00:00:00Z")).orElseThrow().name());
  }

  @Test
  void hashKeyPrintsAWholeEntryThatParsesBack() {
    String entry = ApiKeys.entry("till", Role.REGISTER, List.of("greenleaf", "harbor"), "secret", Optional.of(LocalDate.parse("2027-01-31")));
    assertEquals("till:register:greenleaf/harbor:" + ApiKeys.hash("secret") + ":2027-01-31", entry);
    assertEquals(new Caller("till", Role.REGISTER, Set.of("greenleaf", "harbor")),
        ApiKeys.parse(entry).authenticate("secret", NOW).orElseThrow());
    assertEquals("ops:admin:*:" + ApiKeys.hash("secret"), ApiKeys.entry("ops", Role.ADMIN, List.of("*"), "secret", Optional.empty()));
    assertThrows(IllegalArgumentException.class, () -> ApiKeys.entry("x", Role.ADMIN, List.of("bad org"), "secret", Optional.empty()));
  }

  @Test
  void aMalformedEntryFailsTheStartWithoutEchoingIt() {
    IllegalArgumentException noHash = assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.parse("ok:admin:*:" + ApiKeys.hash("a") + ",broken:register:greenleaf:secret-in-clear"));
    assertEquals("api.keys entry 2 is not name:role:organizations:sha256-hex[:expires]", noHash.getMessage());
    IllegalArgumentException badRole = assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.parse("x:owner:*:" + ApiKeys.hash("a")));
    assertEquals("api.keys entry 1 has role 'owner'; roles: monitor, register, manager, admin", badRole.getMessage());
    IllegalArgumentException badOrganizations = assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.parse("x:admin:greenleaf//harbor:" + ApiKeys.hash("a")));
    assertEquals("api.keys entry 1 names organizations 'greenleaf//harbor': organization ids separated by '/', or * for all",
        badOrganizations.getMessage());
    IllegalArgumentException badDay = assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.parse("x:admin:*:" + ApiKeys.hash("a") + ":31/01/2027"));
    assertEquals("api.keys entry 1 expires '31/01/2027': a date, yyyy-MM-dd", badDay.getMessage());
  }

  @Test
  void anAddressThatFailedTooOftenWaitsUntilItsOldestFailureLeavesTheWindow() {
    AuthFailures failures = new AuthFailures(3, Duration.ofMinutes(5), Set.of());
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), failures.blocked("10.0.0.1", NOW.plusSeconds(i)));
      failures.failed("10.0.0.1", NOW.plusSeconds(i));
    }
    assertEquals(Optional.of(Duration.ofSeconds(290)), failures.blocked("10.0.0.1", NOW.plusSeconds(10)));
    assertEquals(Optional.empty(), failures.blocked("10.0.0.2", NOW.plusSeconds(10)), "another address is not slowed down");
    assertEquals(Optional.empty(), failures.blocked("10.0.0.1", NOW.plusSeconds(300)), "the first failure left the window");
  }

  @Test
  void behindTrustedProxiesFailuresCountAgainstTheClientTheyNameAndNothingAClientWrites() throws Exception {
    AuthFailures failures = new AuthFailures(3, Duration.ofMinutes(5), AuthFailures.parseProxies(" 10.0.0.10, ::1 ,"));
    InetAddress proxy = InetAddress.getByName("10.0.0.10");
    assertEquals("203.0.113.7", failures.client(proxy, List.of("203.0.113.7")));
    assertEquals("203.0.113.7", failures.client(InetAddress.getByName("0:0:0:0:0:0:0:1"), List.of("198.51.100.1, 203.0.113.7")),
        "the nearest hop: what stands left of it the client may have written");
    assertEquals("203.0.113.7", failures.client(proxy, List.of("198.51.100.1, 203.0.113.7", "::1")),
        "two proxies appended, in two header lines");
    assertEquals("10.0.0.10", failures.client(proxy, List.of()), "no header: the proxy itself");
    assertEquals("10.0.0.10", failures.client(proxy, List.of("::1, 10.0.0.10")), "only proxies: the proxy itself");
    assertEquals("not-an-address", failures.client(proxy, List.of("not-an-address")), "counted as written, never looked up");
    InetAddress client = InetAddress.getByName("198.51.100.9");
    assertEquals("198.51.100.9", failures.client(client, List.of("203.0.113.7")),
        "a client that is no trusted proxy is counted against itself whatever it writes");
    assertEquals(Set.of(), AuthFailures.parseProxies(""));
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> AuthFailures.parseProxies("10.0.0.1,ingress"));
    assertEquals("api.trusted.proxies entry 'ingress': an IPv4 or IPv6 address", name.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AuthFailures.parseProxies("999.1.1.1"));
  }
}
