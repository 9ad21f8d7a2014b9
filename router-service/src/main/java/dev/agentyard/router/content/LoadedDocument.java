package dev.agentyard.router.content;

/**
 * A task's document, ready to classify.
 *
 * @param text the document's text (extracted from a PDF, decoded from bytes, or as given)
 * @param extracted true when the text came from bytes or a URI (so the router passes it on in
 *     {@code RoutedTask.extractedText} and workers do not extract it again)
 */
public record LoadedDocument(String text, boolean extracted) {}
