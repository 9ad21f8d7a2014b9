package dev.agentyard.router.content;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.agentyard.avro.Document;
import dev.agentyard.avro.DocumentUri;
import dev.agentyard.avro.InlineBytes;
import dev.agentyard.avro.InlineText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns a task's {@link Document} into text: inline text as is; inline bytes decoded (UTF-8 text)
 * or extracted (PDF, with PDFBox); a URI (claim check) fetched with a timeout and a size cap and
 * checked against its sha256. Every refusal is a {@link DocumentException} naming the problem.
 */
public final class DocumentLoader {

  private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);

  private final ContentLimits limits;
  private final PdfText pdf;
  private final HttpClient http;

  /**
   * Extracted text by the SHA-256 of the PDF's bytes (hex), weighed in characters; null when off.
   * Extraction is most of a PDF task's routing time (milliseconds against microseconds for the
   * digest), and the same PDF comes again: resubmitted, replayed, fanned out to several tenants.
   */
  private final Cache<String, String> pdfTexts;

  public DocumentLoader(ContentLimits limits, HttpClient http) {
    this.limits = limits;
    this.pdf = new PdfText(limits.pdfMaxPages());
    this.http = http;
    this.pdfTexts =
        limits.pdfCacheChars() == 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(limits.pdfCacheChars())
                .<String, String>weigher((k, text) -> text.length())
                .recordStats()
                .build();
  }

  /** Hits and misses of the PDF text cache (empty when it is off). */
  public java.util.Optional<CacheStats> pdfCacheStats() {
    return java.util.Optional.ofNullable(pdfTexts).map(Cache::stats);
  }

  public ContentLimits limits() {
    return limits;
  }

  public LoadedDocument load(Document doc) {
    if (doc == null || doc.getContent() == null) {
      throw new DocumentException(DocumentException.Kind.MISSING, "the task has no document");
    }
    String mediaType = mediaType(doc.getMediaType());
    if (!limits.mediaTypes().contains(mediaType)) {
      throw new DocumentException(
          DocumentException.Kind.UNSUPPORTED_MEDIA_TYPE,
          "media type '"
              + mediaType
              + "' is not accepted (accepted: "
              + limits.mediaTypes().stream().sorted().toList()
              + ")");
    }
    Object content = doc.getContent();
    LoadedDocument loaded;
    if (content instanceof InlineText t) {
      long size = t.getText().getBytes(StandardCharsets.UTF_8).length;
      if (size > limits.maxInlineBytes()) {
        throw tooLarge("inline text", size, limits.maxInlineBytes());
      }
      loaded = new LoadedDocument(t.getText(), false);
    } else if (content instanceof InlineBytes b) {
      byte[] bytes = bytes(b.getData());
      if (bytes.length > limits.maxInlineBytes()) {
        throw tooLarge("inline document", bytes.length, limits.maxInlineBytes());
      }
      loaded = new LoadedDocument(decode(bytes, mediaType), true);
    } else if (content instanceof DocumentUri u) {
      byte[] bytes = fetch(u);
      loaded = new LoadedDocument(decode(bytes, mediaType), true);
    } else {
      throw new DocumentException(
          DocumentException.Kind.MISSING,
          "unknown document content " + content.getClass().getSimpleName());
    }
    if (loaded.text().isBlank()) {
      throw new DocumentException(
          DocumentException.Kind.MISSING,
          "the document has no text"
              + (mediaType.equals("application/pdf")
                  ? " (a PDF without a text layer needs OCR before it is submitted)"
                  : ""));
    }
    if (loaded.text().length() > limits.maxTextChars()) {
      throw new DocumentException(
          DocumentException.Kind.TOO_LARGE,
          "document text is "
              + loaded.text().length()
              + " characters; the cap is "
              + limits.maxTextChars());
    }
    return loaded;
  }

  private static String mediaType(String declared) {
    if (declared == null) {
      return "";
    }
    int semi = declared.indexOf(';');
    return (semi < 0 ? declared : declared.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static byte[] bytes(ByteBuffer buf) {
    ByteBuffer b = buf.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private String decode(byte[] bytes, String mediaType) {
    if (mediaType.equals("application/pdf")) {
      if (bytes.length < PDF_MAGIC.length
          || !Arrays.equals(bytes, 0, PDF_MAGIC.length, PDF_MAGIC, 0, PDF_MAGIC.length)) {
        throw new DocumentException(
            DocumentException.Kind.UNREADABLE,
            "declared application/pdf but the bytes are not a PDF");
      }
      if (pdfTexts == null) {
        return pdf.extract(bytes);
      }
      String digest = sha256(bytes);
      String text = pdfTexts.getIfPresent(digest);
      if (text == null) {
        // extracted outside the cache's lock (two threads may parse the same new PDF at once; a
        // get() would block every thread whose key hashed near it meanwhile); a failed extraction
        // throws before it is cached, so the same bytes fail again
        text = pdf.extract(bytes);
        pdfTexts.put(digest, text);
      }
      return text;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DocumentException(
          DocumentException.Kind.UNREADABLE,
          "declared " + mediaType + " but the bytes are not UTF-8 text");
    }
  }

  private byte[] fetch(DocumentUri ref) {
    if (ref.getSizeBytes() != null && ref.getSizeBytes() > limits.maxFetchBytes()) {
      throw tooLarge(
          "document at the URI (declared size)", ref.getSizeBytes(), limits.maxFetchBytes());
    }
    URI uri;
    try {
      uri = new URI(ref.getUri());
    } catch (URISyntaxException e) {
      throw new DocumentException(
          DocumentException.Kind.FORBIDDEN_URI, "not a valid URI: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    byte[] bytes =
        switch (scheme) {
          case "file" -> readFile(uri);
          case "http", "https" -> download(uri);
          default ->
              throw new DocumentException(
                  DocumentException.Kind.FORBIDDEN_URI,
                  "URI scheme '" + scheme + "' is not supported (file, http, https)");
        };
    if (ref.getSha256() != null && !ref.getSha256().isBlank()) {
      String actual = sha256(bytes);
      if (!actual.equalsIgnoreCase(ref.getSha256().trim())) {
        throw new DocumentException(
            DocumentException.Kind.INTEGRITY,
            "sha256 of the fetched document is "
                + actual
                + ", the task declared "
                + ref.getSha256());
      }
    }
    return bytes;
  }

  private byte[] readFile(URI uri) {
    if (limits.fileRoots().isEmpty()) {
      throw new DocumentException(
          DocumentException.Kind.FORBIDDEN_URI,
          "file: URIs are not allowed (no router.document.file-roots configured)");
    }
    Path path;
    try {
      path = Path.of(uri).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      throw new DocumentException(
          DocumentException.Kind.FORBIDDEN_URI, "not a usable file URI: " + e.getMessage());
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new DocumentException(DocumentException.Kind.UNAVAILABLE, "no such file: " + path);
    } catch (IOException e) {
      throw new DocumentException(
          DocumentException.Kind.UNAVAILABLE,
          "cannot read " + path + ": " + e.getClass().getSimpleName());
    }
    // the real path (links resolved) must be inside a root, so a symlink cannot lead out of it
    boolean inside =
        limits.fileRoots().stream()
            .anyMatch(
                root -> {
                  try {
                    return real.startsWith(root.toRealPath());
                  } catch (IOException e) {
                    return false;
                  }
                });
    if (!inside) {
      throw new DocumentException(
          DocumentException.Kind.FORBIDDEN_URI, "file " + path + " is outside the allowed roots");
    }
    try {
      long size = Files.size(real);
      if (size > limits.maxFetchBytes()) {
        throw tooLarge("file", size, limits.maxFetchBytes());
      }
      try (InputStream in = Files.newInputStream(real)) {
        return readCapped(in, "file");
      }
    } catch (IOException e) {
      throw new DocumentException(
          DocumentException.Kind.UNAVAILABLE,
          "cannot read " + path + ": " + e.getClass().getSimpleName());
    }
  }

  private byte[] download(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!limits.allowedHosts().isEmpty() && !limits.allowedHosts().contains(host)) {
      throw new DocumentException(
          DocumentException.Kind.FORBIDDEN_URI,
          "host '" + host + "' is not in router.document.allowed-hosts");
    }
    // never echo the query string: a pre-signed URL carries its credential there
    String shown =
        uri.getScheme()
            + "://"
            + uri.getRawAuthority()
            + (uri.getRawPath() == null ? "" : uri.getRawPath());
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(limits.fetchTimeout()).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw new DocumentException(
              DocumentException.Kind.UNAVAILABLE,
              "GET " + shown + " answered HTTP " + response.statusCode());
        }
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > limits.maxFetchBytes()) {
          throw tooLarge("document at " + shown, declared, limits.maxFetchBytes());
        }
        return readCapped(body, "document at " + shown);
      }
    } catch (HttpTimeoutException e) {
      throw new DocumentException(
          DocumentException.Kind.UNAVAILABLE,
          "GET " + shown + " timed out after " + limits.fetchTimeout());
    } catch (IOException e) {
      throw new DocumentException(
          DocumentException.Kind.UNAVAILABLE,
          "GET " + shown + " failed: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DocumentException(
          DocumentException.Kind.UNAVAILABLE, "GET " + shown + " interrupted");
    }
  }

  /**
   * Reads at most the cap; one byte more means the document is too large (a lying Content-Length
   * cannot get past).
   */
  private byte[] readCapped(InputStream in, String what) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFetchBytes() + 1));
    if (bytes.length > limits.maxFetchBytes()) {
      // reading stopped one byte past the cap: the true size is unknown
      throw new DocumentException(
          DocumentException.Kind.TOO_LARGE,
          what
              + " is over "
              + limits.maxFetchBytes()
              + " bytes; the cap is "
              + limits.maxFetchBytes());
    }
    return bytes;
  }

  private static DocumentException tooLarge(String what, long size, long cap) {
    return new DocumentException(
        DocumentException.Kind.TOO_LARGE, what + " is " + size + " bytes; the cap is " + cap);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
