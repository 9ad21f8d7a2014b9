package dev.agentyard.router.corpus;

import java.util.Arrays;
import java.util.Objects;

/**
 * One document of the labelled corpus.
 *
 * @param id stable id, e.g. {@code income-0042}
 * @param label the class: a route name, or {@code other} for documents none of the routes serve
 * @param template which template wrote it (for error analysis)
 * @param split {@code train} or {@code test}
 * @param mediaType {@code text/plain} or {@code application/pdf}
 * @param bytes the document as stored (UTF-8 text or PDF bytes); equality compares them by content
 */
public record LabelledDocument(
    String id, String label, String template, String split, String mediaType, byte[] bytes) {

  public static final String TRAIN = "train";
  public static final String TEST = "test";

  public boolean pdf() {
    return "application/pdf".equals(mediaType);
  }

  public String fileName() {
    return id + (pdf() ? ".pdf" : ".txt");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelledDocument d
        && id.equals(d.id)
        && label.equals(d.label)
        && template.equals(d.template)
        && split.equals(d.split)
        && mediaType.equals(d.mediaType)
        && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, label, template, split, mediaType) * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "LabelledDocument["
        + id
        + ", "
        + label
        + ", "
        + template
        + ", "
        + split
        + ", "
        + mediaType
        + ", "
        + bytes.length
        + " bytes]";
  }
}
