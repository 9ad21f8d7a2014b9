package dev.agentyard.router.content;

import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Extracts the text of a PDF with Apache PDFBox, within limits: at most {@code maxPages} pages are
 * read and the parser's memory is capped, so a hostile PDF cannot exhaust the router. A PDF without
 * a text layer (a pure scan) extracts to blank text, which the router treats as a document it
 * cannot classify.
 */
public final class PdfText {

  /** Memory the parser may use for one PDF (the inline cap is 1 MiB; decompressed streams grow). */
  static final long MAX_PARSER_MEMORY_BYTES = 64L * 1024 * 1024;

  private final int maxPages;

  public PdfText(int maxPages) {
    this.maxPages = maxPages;
  }

  /** The text of the PDF's first pages. */
  public String extract(byte[] pdf) {
    try (PDDocument doc =
        Loader.loadPDF(
            new RandomAccessReadBuffer(pdf),
            null,
            null,
            null,
            MemoryUsageSetting.setupMainMemoryOnly(MAX_PARSER_MEMORY_BYTES).streamCache)) {
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setStartPage(1);
      stripper.setEndPage(Math.min(maxPages, doc.getNumberOfPages()));
      stripper.setSortByPosition(true);
      return stripper.getText(doc);
    } catch (InvalidPasswordException e) {
      throw new DocumentException(DocumentException.Kind.UNREADABLE, "the PDF is encrypted");
    } catch (IOException | RuntimeException e) {
      throw new DocumentException(
          DocumentException.Kind.UNREADABLE, "not a readable PDF: " + e.getMessage());
    }
  }
}
