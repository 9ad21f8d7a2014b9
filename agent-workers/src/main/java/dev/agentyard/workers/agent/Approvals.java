package dev.agentyard.workers.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentyard.avro.ApprovalGrant;
import dev.agentyard.runtime.approval.ApprovalGrants;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's side of human approvals: whether an {@link ApprovalGrant} lets the agent execute an
 * irreversible tool call, and which grants are already used. A grant is used once: this instance
 * claims it before executing, and every instance learns of grants used elsewhere from the results
 * and review items that name them. Without a signing key no grant verifies, so no irreversible
 * action is ever executed.
 */
public final class Approvals {

  private final Optional<ApprovalGrants> grants;
  private final Map<String, Boolean> used;

  public Approvals(Optional<ApprovalGrants> grants, int maxRemembered) {
    this.grants = grants;
    this.used =
        new LinkedHashMap<>(256, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > maxRemembered;
          }
        };
  }

  /** No signing key: every grant is refused. */
  public static Approvals none() {
    return new Approvals(Optional.empty(), 1);
  }

  /** Why the grant does not allow this call, or empty when it does (and it has not been used). */
  public Optional<String> refusal(ApprovalGrant grant, String taskId, String tool, JsonNode input) {
    if (grants.isEmpty()) {
      return Optional.of("this worker has no approval signing key");
    }
    Optional<String> refused = grants.get().refusal(grant, taskId, tool, input);
    if (refused.isPresent()) {
      return refused;
    }
    synchronized (used) {
      return used.containsKey(grant.getGrantId()) ? Optional.of("already used") : Optional.empty();
    }
  }

  /** Marks the grant used; false when it already was (another call got there first). */
  public boolean claim(String grantId) {
    synchronized (used) {
      return used.put(grantId, Boolean.TRUE) == null;
    }
  }

  /** Records a grant used by any instance (read back from a result or review item). */
  public void markUsed(String grantId) {
    synchronized (used) {
      used.put(grantId, Boolean.TRUE);
    }
  }
}
