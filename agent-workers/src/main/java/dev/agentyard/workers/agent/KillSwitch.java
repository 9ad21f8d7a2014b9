package dev.agentyard.workers.agent;

/** Answers whether a kill command covers a task now (by task, tenant, route or globally). */
@FunctionalInterface
public interface KillSwitch {

  KillSwitch NONE = (task, tenant, route) -> false;

  boolean killed(String taskId, String tenant, String route);
}
