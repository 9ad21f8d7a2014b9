package dev.agentyard.dlq.console;

import dev.agentyard.dlq.http.BearerAuth;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's signed-in users, in memory (ADR 0021): a session is a random 256-bit id in an
 * HttpOnly cookie, with the principal its token stood for and a CSRF token of its own; it ends on
 * sign-out or after {@code idle} without a request. A restart signs everyone out.
 */
public final class ConsoleSessions {

  /** One signed-in user; {@code flash} is the message of their last action, shown once. */
  public static final class Session {
    final String id;
    final BearerAuth.Principal principal;
    final String csrf;
    volatile Instant lastSeen;
    volatile String flash;
    volatile String flashKind;

    Session(String id, BearerAuth.Principal principal, String csrf, Instant now) {
      this.id = id;
      this.principal = principal;
      this.csrf = csrf;
      this.lastSeen = now;
    }

    public BearerAuth.Principal principal() {
      return principal;
    }

    public String csrf() {
      return csrf;
    }

    void flash(String text, String kind) {
      this.flash = text;
      this.flashKind = kind;
    }

    /** The pending message, once. */
    String[] takeFlash() {
      String[] f = {flash, flashKind};
      flash = null;
      flashKind = null;
      return f;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration idle;

  public ConsoleSessions(Clock clock, Duration idle) {
    this.clock = clock;
    this.idle = idle;
  }

  /** Starts a session for a principal; returns it (its id goes in the cookie). */
  public Session open(BearerAuth.Principal principal) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> s.lastSeen.plus(idle).isBefore(now));
    Session s = new Session(random(), principal, random(), now);
    sessions.put(s.id, s);
    return s;
  }

  /** The live session with this id, touched; empty when unknown or idle too long. */
  public Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    Instant now = clock.instant();
    if (s == null || s.lastSeen.plus(idle).isBefore(now)) {
      if (s != null) {
        sessions.remove(id);
      }
      return Optional.empty();
    }
    s.lastSeen = now;
    return Optional.of(s);
  }

  public void close(Session s) {
    sessions.remove(s.id);
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
