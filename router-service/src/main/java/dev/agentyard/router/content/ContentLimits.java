package dev.agentyard.router.content;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the router accepts as a document.
 *
 * @param maxInlineBytes largest inline document (text in UTF-8 bytes, or bytes)
 * @param maxFetchBytes largest document fetched by URI
 * @param maxTextChars largest text after extraction
 * @param mediaTypes media types accepted
 * @param fetchTimeout connect-and-read limit of one URI fetch
 * @param fileRoots directories {@code file:} URIs may point into; empty means {@code file:} is
 *     refused
 * @param allowedHosts hosts {@code http(s):} URIs may point to; empty means any host
 * @param pdfMaxPages pages of a PDF that are read
 * @param pdfCacheChars characters of extracted PDF text kept, by the SHA-256 of the PDF's bytes, so
 *     the same PDF (a resubmission, a replay) is not parsed again; 0 keeps none
 */
public record ContentLimits(
    long maxInlineBytes,
    long maxFetchBytes,
    int maxTextChars,
    Set<String> mediaTypes,
    Duration fetchTimeout,
    List<Path> fileRoots,
    Set<String> allowedHosts,
    int pdfMaxPages,
    long pdfCacheChars) {

  public ContentLimits {
    mediaTypes = Set.copyOf(mediaTypes);
    fileRoots = fileRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    allowedHosts = Set.copyOf(allowedHosts);
    if (maxInlineBytes <= 0
        || maxFetchBytes <= 0
        || maxTextChars <= 0
        || pdfMaxPages <= 0
        || pdfCacheChars < 0) {
      throw new IllegalArgumentException("document limits must be positive");
    }
  }
}
