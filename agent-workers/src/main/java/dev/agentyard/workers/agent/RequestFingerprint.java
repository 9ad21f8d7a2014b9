package dev.agentyard.workers.agent;

import dev.agentyard.workers.provider.CallOptions;
import dev.agentyard.workers.provider.ChatRequest;
import dev.agentyard.workers.provider.Message;
import dev.agentyard.workers.provider.Part;
import dev.agentyard.workers.provider.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over what decides a turn's answer: system prompt, messages, tools and output cap (not the
 * model, which a fallback changes, nor the attempt id). A journaled answer is reused only for a
 * request with the same fingerprint, so a changed prompt or tool set after a deploy sends the call
 * again instead of resuming a conversation that no longer matches.
 */
public final class RequestFingerprint {

  private RequestFingerprint() {}

  public static String of(ChatRequest r) {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    field(d, r.systemPrompt());
    field(d, Integer.toString(r.maxTokens()));
    for (ToolDefinition t : r.tools()) {
      field(d, t.name());
      field(d, t.description());
      field(d, t.inputSchema().toString());
    }
    if (!r.options().equals(CallOptions.DEFAULT)) {
      // only when set, so journals written before options existed still match
      field(d, r.options().toString());
    }
    for (Message m : r.messages()) {
      field(d, m.role().name());
      for (Part p : m.parts()) {
        switch (p) {
          case Part.Text t -> {
            field(d, "text");
            field(d, t.text());
          }
          case Part.ToolUse u -> {
            field(d, "tool_use");
            field(d, u.id());
            field(d, u.name());
            field(d, u.input().toString());
          }
          case Part.ToolResult tr -> {
            field(d, "tool_result");
            field(d, tr.toolUseId());
            field(d, tr.content());
            field(d, Boolean.toString(tr.error()));
          }
          case Part.Opaque o -> {
            field(d, "opaque");
            field(d, o.format());
            field(d, o.block().toString());
          }
        }
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static void field(MessageDigest d, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.update((byte) (b.length >>> 24));
    d.update((byte) (b.length >>> 16));
    d.update((byte) (b.length >>> 8));
    d.update((byte) b.length);
    d.update(b);
  }
}
