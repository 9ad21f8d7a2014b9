package dev.agentyard.tools.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Writes text as a simple PDF (Helvetica, Letter pages, long lines wrapped) with Apache PDFBox,
 * reproducibly: the same text gives the same bytes (fixed dates and document id).
 */
public final class PdfRenderer {

  private static final int LINES_PER_PAGE = 56;
  private static final int WRAP = 100;

  private PdfRenderer() {}

  public static byte[] render(String title, String text) {
    PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String safe = encodable(font, line);
      while (safe.length() > WRAP) {
        lines.add(safe.substring(0, WRAP));
        safe = safe.substring(WRAP);
      }
      lines.add(safe);
    }
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int start = 0; start < lines.size(); start += LINES_PER_PAGE) {
        PDPage page = new PDPage(PDRectangle.LETTER);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          cs.beginText();
          cs.setFont(font, 9);
          cs.setLeading(12.5f);
          cs.newLineAtOffset(48, 740);
          for (String line : lines.subList(start, Math.min(lines.size(), start + LINES_PER_PAGE))) {
            cs.showText(line);
            cs.newLine();
          }
          cs.endText();
        }
      }
      Calendar fixed = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
      fixed.clear();
      fixed.set(2026, Calendar.JANUARY, 1);
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle(title);
      info.setProducer("agentyard corpus generator");
      info.setCreationDate(fixed);
      info.setModificationDate(fixed);
      byte[] id =
          MessageDigest.getInstance("MD5").digest((title + text).getBytes(StandardCharsets.UTF_8));
      COSArray ids = new COSArray();
      ids.add(new COSString(id));
      ids.add(new COSString(id));
      doc.getDocument().getTrailer().setItem(COSName.ID, ids);
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encodable(PDType1Font font, String line) {
    StringBuilder b = new StringBuilder();
    line.codePoints()
        .forEach(
            cp -> {
              String s = new String(Character.toChars(cp));
              try {
                font.encode(s);
                b.append(s);
              } catch (IOException | IllegalArgumentException e) {
                b.append('?');
              }
            });
    return b.toString().replace("\t", "    ");
  }
}
