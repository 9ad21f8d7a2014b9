package dev.agentyard.dlq.console;

/**
 * What every console page shows around its content: the title, who is signed in (empty when no one
 * is), the session's CSRF token for the page's forms, and the message of the last action.
 */
public record Chrome(
    String title,
    String section,
    String user,
    String roles,
    String csrf,
    String flash,
    String flashKind) {

  public boolean signedIn() {
    return user != null;
  }

  static Chrome anonymous(String title) {
    return new Chrome(title, "", null, null, null, null, null);
  }
}
