package dev.agentyard.router.corpus;

/**
 * One document of the labelled corpus.
 *
 * @param id stable id, e.g. {@code income-0042}
 * @param label the class: a route name, or {@code other} for documents none of the routes serve
 * @param template which template wrote it (for error analysis)
 * @param split {@code train} or {@code test}
 * @param mediaType {@code text/plain} or {@code application/pdf}
 * @param bytes the document as stored (UTF-8 text or PDF bytes)
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
}
