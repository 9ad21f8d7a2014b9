package dev.agentyard.router.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.agentyard.router.Fixtures;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentLoaderTest {

  /** The router's default document limits (its bundled defaults file). */
  static final ContentLimits DEFAULTS = RouterConfig.withDefaults(Map.of()).limits();

  @TempDir Path root;
  @TempDir Path outside;
  HttpServer server;
  final CountDownLatch release = new CountDownLatch(1);
  final byte[] small =
      "Form W-2 Wage and Tax Statement\nWages 84,200.00\n".getBytes(StandardCharsets.UTF_8);

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/small.txt",
        ex -> {
          ex.sendResponseHeaders(200, small.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(small);
          }
        });
    server.createContext(
        "/big-declared.txt",
        ex -> {
          ex.sendResponseHeaders(200, 5_000);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(new byte[5_000]);
          }
        });
    server.createContext(
        "/big-chunked.txt",
        ex -> {
          ex.sendResponseHeaders(200, 0); // chunked: no Content-Length, the cap must still hold
          try (OutputStream o = ex.getResponseBody()) {
            for (int i = 0; i < 50; i++) {
              o.write("x".repeat(100).getBytes(StandardCharsets.UTF_8));
            }
          }
        });
    server.createContext(
        "/slow.txt",
        ex -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private DocumentLoader loader(Set<String> hosts) {
    return new DocumentLoader(
        new ContentLimits(
            2_000,
            1_000,
            100_000,
            DEFAULTS.mediaTypes(),
            Duration.ofMillis(500),
            List.of(root),
            hosts,
            5,
            10_000),
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** A one-page PDF with these lines, written with PDFBox. */
  private static byte[] pdf(String... lines) throws IOException {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage(PDRectangle.LETTER);
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 10);
        cs.setLeading(14f);
        cs.newLineAtOffset(48, 740);
        for (String line : lines) {
          cs.showText(line);
          cs.newLine();
        }
        cs.endText();
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  private static DocumentException.Kind kindOf(Runnable r) {
    try {
      r.run();
    } catch (DocumentException e) {
      return e.kind();
    }
    throw new AssertionError("no DocumentException");
  }

  @Test
  void inlineTextAndPdfBytes() throws IOException {
    LoadedDocument t = loader(Set.of()).load(Fixtures.textTask("t", "hello W-2").getDocument());
    assertThat(t.text()).isEqualTo("hello W-2");
    assertThat(t.extracted()).isFalse();
    byte[] pdf = pdf("Uniform Residential Appraisal Report", "Indicated Value $ 410,000.00");
    LoadedDocument p =
        new DocumentLoader(DEFAULTS, HttpClient.newHttpClient())
            .load(Fixtures.bytesTask("p", "application/pdf", pdf).getDocument());
    assertThat(p.text()).contains("Uniform Residential Appraisal Report").contains("410,000.00");
    assertThat(p.extracted()).isTrue();
  }

  /**
   * The PDF text cache changes nothing but the work: the same bytes give the same text from the
   * cache, other bytes are extracted anew, text documents never touch it, a PDF that cannot be read
   * fails every time (never cached), and with the cache off every PDF is extracted.
   */
  @Test
  void aPdfSeenAgainIsNotParsedAgainAndGetsTheSameText() throws IOException {
    DocumentLoader loader = new DocumentLoader(DEFAULTS, HttpClient.newHttpClient());
    var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    new dev.agentyard.router.RouterMetrics(meters).pdfTextCache(loader);
    byte[] first = pdf("IRS Form 1040", "Adjusted gross income 84,200");
    byte[] second = pdf("Bank statement", "Closing balance 12,004.17");
    String a = loader.load(Fixtures.bytesTask("a", "application/pdf", first).getDocument()).text();
    String again =
        loader.load(Fixtures.bytesTask("b", "application/pdf", first.clone()).getDocument()).text();
    String other =
        loader.load(Fixtures.bytesTask("c", "application/pdf", second).getDocument()).text();
    loader.load(Fixtures.textTask("d", "plain text W-2").getDocument());
    assertThat(again).isEqualTo(a).contains("Adjusted gross income 84,200");
    assertThat(other).contains("Closing balance 12,004.17");
    assertThat(loader.pdfCacheStats().orElseThrow().hitCount()).isEqualTo(1);
    assertThat(loader.pdfCacheStats().orElseThrow().missCount()).isEqualTo(2);
    assertThat(
            meters
                .get("agentyard.router.pdf.text.cache")
                .tag("result", "hit")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("agentyard.router.pdf.text.cache")
                .tag("result", "miss")
                .functionCounter()
                .count())
        .isEqualTo(2);

    byte[] broken = Arrays.copyOf(first, 40); // the PDF header, then nothing a parser can use
    for (String id : List.of("e", "f")) {
      assertThat(
              kindOf(
                  () ->
                      loader.load(Fixtures.bytesTask(id, "application/pdf", broken).getDocument())))
          .isEqualTo(DocumentException.Kind.UNREADABLE);
    }
    assertThat(loader.pdfCacheStats().orElseThrow().hitCount()).isEqualTo(1);

    ContentLimits off =
        new ContentLimits(
            DEFAULTS.maxInlineBytes(),
            DEFAULTS.maxFetchBytes(),
            DEFAULTS.maxTextChars(),
            DEFAULTS.mediaTypes(),
            DEFAULTS.fetchTimeout(),
            DEFAULTS.fileRoots(),
            DEFAULTS.allowedHosts(),
            DEFAULTS.pdfMaxPages(),
            0);
    DocumentLoader uncached = new DocumentLoader(off, HttpClient.newHttpClient());
    assertThat(
            uncached.load(Fixtures.bytesTask("g", "application/pdf", first).getDocument()).text())
        .isEqualTo(a);
    assertThat(uncached.pdfCacheStats()).isEmpty();
  }

  @Test
  void refusesWhatItCannotUseWithAReasonForTheDeadLetter() {
    DocumentLoader l = loader(Set.of());
    assertThat(kindOf(() -> l.load(Fixtures.textTask("t", "x".repeat(2_001)).getDocument())))
        .isEqualTo(DocumentException.Kind.TOO_LARGE);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.bytesTask("t", "application/pdf", "%PDF-1.7 garbage".getBytes())
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.UNREADABLE);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.bytesTask("t", "text/plain", new byte[] {(byte) 0xC3, 0x28})
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.UNREADABLE);
    assertThat(
            kindOf(
                () -> l.load(Fixtures.bytesTask("t", "image/jpeg", new byte[] {1}).getDocument())))
        .isEqualTo(DocumentException.Kind.UNSUPPORTED_MEDIA_TYPE);
    assertThatThrownBy(() -> l.load(Fixtures.textTask("t", "x".repeat(2_001)).getDocument()))
        .isInstanceOfSatisfying(
            DocumentException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TOO_LARGE));
  }

  @Test
  void fileClaimChecksStayInsideTheRootsAndMatchTheirHash() throws Exception {
    DocumentLoader l = loader(Set.of());
    Path f = Files.write(root.resolve("w2.txt"), small);
    String sha = DocumentLoader.sha256(small);
    assertThat(
            l.load(Fixtures.uriTask("t", "text/plain", f.toUri().toString(), sha).getDocument())
                .text())
        .contains("W-2");
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", f.toUri().toString(), "00".repeat(32))
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.INTEGRITY);
    Path elsewhere = Files.write(outside.resolve("secret.txt"), small);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", elsewhere.toUri().toString(), null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.FORBIDDEN_URI);
    Path link = Files.createSymbolicLink(root.resolve("link.txt"), elsewhere);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", link.toUri().toString(), null)
                            .getDocument())))
        .as("a symlink cannot lead out of the root")
        .isEqualTo(DocumentException.Kind.FORBIDDEN_URI);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask(
                                "t",
                                "text/plain",
                                root.resolve("nope.txt").toUri().toString(),
                                null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.UNAVAILABLE);
    Path big = Files.write(root.resolve("big.txt"), new byte[1_001]);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", big.toUri().toString(), null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.TOO_LARGE);
    DocumentLoader noRoots = new DocumentLoader(DEFAULTS, HttpClient.newHttpClient());
    assertThat(
            kindOf(
                () ->
                    noRoots.load(
                        Fixtures.uriTask("t", "text/plain", f.toUri().toString(), null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.FORBIDDEN_URI);
  }

  @Test
  void httpClaimChecksAreCappedTimedOutAndHostChecked() {
    DocumentLoader l = loader(Set.of());
    assertThat(
            l.load(
                    Fixtures.uriTask(
                            "t", "text/plain", url("/small.txt"), DocumentLoader.sha256(small))
                        .getDocument())
                .text())
        .contains("Wages");
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", url("/big-declared.txt"), null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.TOO_LARGE);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", url("/big-chunked.txt"), null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.TOO_LARGE);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", url("/missing.txt"), null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.UNAVAILABLE);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", url("/slow.txt"), null).getDocument())))
        .isEqualTo(DocumentException.Kind.UNAVAILABLE);
    assertThat(
            kindOf(
                () ->
                    loader(Set.of("docs.example.com"))
                        .load(
                            Fixtures.uriTask("t", "text/plain", url("/small.txt"), null)
                                .getDocument())))
        .isEqualTo(DocumentException.Kind.FORBIDDEN_URI);
    assertThat(
            kindOf(
                () ->
                    l.load(
                        Fixtures.uriTask("t", "text/plain", "ftp://127.0.0.1/x", null)
                            .getDocument())))
        .isEqualTo(DocumentException.Kind.FORBIDDEN_URI);
  }

  @Test
  void aPresignedUrlsQueryNeverAppearsInTheError() {
    DocumentLoader l = loader(Set.of());
    assertThatThrownBy(
            () ->
                l.load(
                    Fixtures.uriTask(
                            "t", "text/plain", url("/missing.txt?X-Amz-Signature=s3cr3t"), null)
                        .getDocument()))
        .isInstanceOf(DocumentException.class)
        .message()
        .doesNotContain("s3cr3t")
        .contains("/missing.txt");
  }
}
