package dev.agentyard.router;

import dev.agentyard.router.content.PdfText;

/** Placeholder, filled in below. */
public final class RouterConfig {
  public static final double DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
  public static final PdfText DEFAULT_PDF = new PdfText(20, 64L * 1024 * 1024);
}
