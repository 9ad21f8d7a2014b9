package dev.agentyard.router.classify;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The classifier the router runs now: the one it started with, replaced when the registry's {@code
 * current} model changes (a promotion or a rollback). A task is classified by one model from start
 * to end: {@link #get} is read once per decision.
 */
public final class ActiveClassifier implements Supplier<DocumentClassifier> {

  private final AtomicReference<DocumentClassifier> current;

  public ActiveClassifier(DocumentClassifier initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial));
  }

  @Override
  public DocumentClassifier get() {
    return current.get();
  }

  /**
   * Runs {@code next} from now on.
   *
   * @return the model it replaced
   */
  public DocumentClassifier replace(DocumentClassifier next) {
    return current.getAndSet(Objects.requireNonNull(next));
  }
}
