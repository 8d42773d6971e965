package io.loyalty.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  @Test
  void aKeyIsKnownByItsHashAndCarriesItsRole() {
    assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ApiKeys.hash("test"));
    ApiKeys keys = ApiKeys.parse("front-desk:register:" + ApiKeys.hash("r-key") + ", boss:MANAGER:" + ApiKeys.hash("m-key"));
    assertEquals(Optional.of(new Caller("front-desk", Role.REGISTER)), keys.authenticate("r-key"));
    assertEquals(Optional.of(new Caller("boss", Role.MANAGER)), keys.authenticate("m-key"));
    assertEquals(Optional.empty(), keys.authenticate("r-key "));
    assertEquals(Optional.empty(), keys.authenticate(null));
    assertEquals(Optional.empty(), ApiKeys.parse("").authenticate("r-key"), "no keys: nobody gets in");
    assertTrue(Role.ADMIN.allows(Role.MANAGER));
    assertTrue(Role.MANAGER.allows(Role.REGISTER));
    assertFalse(Role.REGISTER.allows(Role.MANAGER));
  }

  @Test
  void aMalformedEntryFailsTheStartWithoutEchoingIt() {
    IllegalArgumentException noHash = assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.parse("ok:admin:" + ApiKeys.hash("a") + ",broken:register:secret-in-clear"));
    assertEquals("api.keys entry 2 is not name:role:sha256-hex", noHash.getMessage());
    IllegalArgumentException badRole = assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.parse("x:owner:" + ApiKeys.hash("a")));
    assertEquals("api.keys entry 1 has role 'owner'; roles: monitor, register, manager, admin", badRole.getMessage());
  }
}
