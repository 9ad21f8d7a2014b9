package dev.agentyard.workers.budget;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.BudgetOp;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.runtime.budget.BudgetIds;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.workers.WorkerConfig;
import dev.agentyard.workers.agent.BudgetGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the budget ledger (ADR 0023). Knows every budget from {@code
 * agent.budget.definitions.v1}; before a call is sent, holds its worst case against each budget its
 * tenant and route fall under:
 *
 * <ul>
 *   <li><b>hard</b> budgets: a RESERVE to the ledger and its committed reply, per call (overshoot
 *       zero: the ledger grants only what is unheld, and the usage event settles the hold);
 *   <li><b>lease</b> budgets: from this instance's lease, a slice the ledger granted from what is
 *       unheld — no round trip per call; the lease grows when it runs low, is renewed every quarter
 *       of its TTL, is not used past 80 % of its TTL unrenewed, and is returned at shutdown. The
 *       usage event names the lease, so the ledger charges it and not the rest of the budget.
 * </ul>
 *
 * Replies come on {@code agent.budget.replies.v1} keyed by this instance; a call that gets none
 * within the reserve timeout is not sent (a budget errs towards stopping).
 */
public final class LedgerBudgets implements BudgetGate, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerBudgets.class);

  /** Share of the lease TTL a lease is used for after its last renewal was sent. */
  private static final double LEASE_USABLE_SHARE = 0.8;

  private final String instance;
  private final byte[] instanceKey;
  private final WorkerConfig.Budgets settings;
  private final Producer<String, BudgetRequest> producer;
  private final Clock clock;
  private final Executor executor;
  private final Map<String, BudgetDefinition> definitions = new ConcurrentHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, List<String>> hardHolds = new ConcurrentHashMap<>();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Map<String, List<String>> attemptLeases = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final AtomicLong generation = new AtomicLong();
  private final MeterRegistry registry;
  private final Timer hardTimer;
  private final Timer leaseTimer;
  private final Timer reserveRoundTrip;
  private final Timer leaseRoundTrip;
  private final TopicFollower definitionFollower;
  private final TopicFollower replyFollower;
  private final Consumer<byte[], byte[]> definitionConsumer;
  private final Consumer<byte[], byte[]> replyConsumer;

  private record Pending(CompletableFuture<BudgetReply> reply, long sentNanos) {}

  public LedgerBudgets(
      String instance,
      WorkerConfig.Budgets settings,
      Producer<String, BudgetRequest> producer,
      Consumer<byte[], byte[]> definitionConsumer,
      Deserializer<BudgetDefinition> definitionReader,
      Consumer<byte[], byte[]> replyConsumer,
      Deserializer<BudgetReply> replyReader,
      MeterRegistry registry,
      Executor executor,
      Clock clock) {
    this.executor = executor;
    this.instance = instance;
    this.definitionConsumer = definitionConsumer;
    this.replyConsumer = replyConsumer;
    this.instanceKey = instance.getBytes(StandardCharsets.UTF_8);
    this.settings = settings;
    this.producer = producer;
    this.clock = clock;
    this.registry = registry;
    this.hardTimer = reserveTimer(registry, "hard");
    this.leaseTimer = reserveTimer(registry, "lease");
    this.reserveRoundTrip = roundTripTimer(registry, "reserve");
    this.leaseRoundTrip = roundTripTimer(registry, "lease");
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("budget-leases").daemon().factory());
    this.definitionFollower =
        new TopicFollower(
            "budget-definitions",
            definitionConsumer,
            Topics.BUDGET_DEFINITIONS.name(),
            null,
            r -> {
              String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
              if (key == null) {
                return;
              }
              try {
                BudgetDefinition d =
                    r.value() == null ? null : definitionReader.deserialize(r.topic(), r.value());
                define(key, d);
              } catch (RuntimeException e) {
                log.error(
                    "Budget definition {} at offset {} unreadable, skipped: {}",
                    key,
                    r.offset(),
                    e.toString());
              }
            });
    this.replyFollower =
        new TopicFollower(
            "budget-replies",
            replyConsumer,
            Topics.BUDGET_REPLIES.name(),
            Duration.ZERO,
            r -> {
              if (r.key() == null || !Arrays.equals(r.key(), instanceKey) || r.value() == null) {
                return; // another instance's
              }
              try {
                answered(replyReader.deserialize(r.topic(), r.value()));
              } catch (RuntimeException e) {
                log.error(
                    "Budget reply at offset {} unreadable, skipped: {}", r.offset(), e.toString());
              }
            });
  }

  /** Starts following definitions and replies, and the lease renewals; returns once caught up. */
  public LedgerBudgets start(Duration catchUp) throws InterruptedException {
    for (var c :
        List.of(
            Map.entry(definitionConsumer, Topics.BUDGET_DEFINITIONS.name()),
            Map.entry(replyConsumer, Topics.BUDGET_REPLIES.name()))) {
      if (c.getKey().partitionsFor(c.getValue(), catchUp).isEmpty()) {
        throw new IllegalStateException(
            "topic "
                + c.getValue()
                + " does not exist: provision the topic catalogue before the workers start"
                + " (or set worker.budget.enabled=false to run without the budget ledger)");
      }
    }
    definitionFollower.start();
    replyFollower.start();
    if (!definitionFollower.awaitCaughtUp(catchUp) || !replyFollower.awaitCaughtUp(catchUp)) {
      throw new IllegalStateException(
          "could not read the budget definitions and replies topics within " + catchUp);
    }
    long every = Math.max(100, settings.leaseTtl().toMillis() / 4);
    timers.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
    log.info("Budgets: {} defined, replies keyed {}", definitions.size(), instance);
    return this;
  }

  /** The budgets known, by id (for the ops endpoint and tests). */
  public Map<String, BudgetDefinition> definitions() {
    return Map.copyOf(definitions);
  }

  void define(String budgetId, BudgetDefinition d) {
    if (d != null && !budgetId.equals(d.getBudgetId())) {
      log.error(
          "Budget definition keyed {} names budget {}: skipped (the key must be its id)",
          budgetId,
          d.getBudgetId());
      return;
    }
    if (d == null) {
      definitions.remove(budgetId);
      log.info("Budget {} deleted", budgetId);
    } else {
      definitions.put(budgetId, d);
      log.info(
          "Budget {}: limit {} µUSD, {} mode, at the limit {}",
          budgetId,
          d.getLimitMicroUsd(),
          d.getMode(),
          d.getAtLimit());
    }
  }

  @Override
  public CompletionStage<Void> reserve(
      String tenant, String route, String attemptId, long worstCase) {
    List<BudgetDefinition> applying = new ArrayList<>(2);
    for (String id : BudgetIds.candidates(tenant, route)) {
      BudgetDefinition d = definitions.get(id);
      if (d != null) {
        applying.add(d);
      }
    }
    if (applying.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<Runnable>> parts = new ArrayList<>(applying.size());
    for (BudgetDefinition d : applying) {
      String id = d.getBudgetId();
      long t0 = System.nanoTime();
      boolean hard = d.getMode() == BudgetMode.HARD;
      CompletableFuture<Runnable> part =
          hard ? reserveHard(d, attemptId, worstCase) : reserveFromLease(d, attemptId, worstCase);
      parts.add(
          part.whenComplete(
              (undo, e) ->
                  (hard ? hardTimer : leaseTimer)
                      .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS)));
      log.trace("Reserving {} µUSD of {} for {}", worstCase, id, attemptId);
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    java.util.function.BiFunction<Void, Throwable, Void> settle =
        (v, error) -> {
          if (error == null) {
            return null;
          }
          // all or nothing: what did hold is given back, the call is not sent
          for (CompletableFuture<Runnable> p : parts) {
            if (!p.isCompletedExceptionally()) {
              p.join().run();
            }
          }
          Throwable cause = error instanceof CompletionException ? error.getCause() : error;
          if (cause instanceof BudgetExhausted be) {
            Counter.builder("agentyard.budget.exhausted")
                .description("Calls not sent because a budget could not hold them")
                .tag("budget", be.budgetId())
                .register(registry)
                .increment();
            throw be;
          }
          throw new CompletionException(cause);
        };
    // a reservation answered by the ledger completes on the reply follower's thread: the call goes
    // on from the worker's executor, so the follower only ever reads replies
    return all.isDone() ? all.handle(settle) : all.handleAsync(settle, executor);
  }

  @Override
  public void ended(String attemptId, long cost) {
    hardHolds.remove(attemptId); // the usage event settles it at the ledger
    List<String> ids = attemptLeases.get(attemptId);
    if (ids != null) {
      for (Lease l : leases.values()) {
        if (ids.contains(l.id())) {
          l.end(attemptId, cost);
        }
      }
    }
  }

  @Override
  public void released(String attemptId) {
    List<String> budgets = hardHolds.remove(attemptId);
    if (budgets != null) {
      for (String b : budgets) {
        send(request(b, BudgetOp.RELEASE, attemptId, 0, 0, 0));
      }
    }
    List<String> ids = attemptLeases.remove(attemptId);
    if (ids != null) {
      leases.values().forEach(l -> l.release(attemptId));
    }
  }

  @Override
  public List<String> leasesOf(String attemptId) {
    List<String> ids = attemptLeases.remove(attemptId);
    return ids == null ? List.of() : ids;
  }

  /**
   * One RESERVE and its reply; the undo releases the hold. A refusal only because calls in flight
   * hold the rest (spent plus this call still fits the limit) is asked again, backing off, until
   * {@code worker.budget.hold-wait}: their usage events settle their holds at what they cost.
   */
  private CompletableFuture<Runnable> reserveHard(
      BudgetDefinition d, String attemptId, long amount) {
    return reserveHard(d, attemptId, amount, System.nanoTime() + settings.holdWait().toNanos(), 0);
  }

  private CompletableFuture<Runnable> reserveHard(
      BudgetDefinition d, String attemptId, long amount, long deadline, int retries) {
    String budgetId = d.getBudgetId();
    BudgetRequest r =
        request(budgetId, BudgetOp.RESERVE, attemptId, amount, 0, settings.holdTtl().toMillis());
    return ask(r)
        .handle(
            (reply, error) -> {
              if (error != null) {
                // the ledger may still grant it: give it back
                send(request(budgetId, BudgetOp.RELEASE, attemptId, 0, 0, 0));
                throw exhausted(
                    d, "the budget ledger did not answer within " + settings.reserveTimeout());
              }
              if (reply.getGranted()) {
                hardHolds.computeIfAbsent(attemptId, k -> new ArrayList<>()).add(budgetId);
                return CompletableFuture.<Runnable>completedFuture(
                    () -> {
                      hardHolds.remove(attemptId);
                      send(request(budgetId, BudgetOp.RELEASE, attemptId, 0, 0, 0));
                    });
              }
              if (onlyHeld(reply, amount) && System.nanoTime() < deadline) {
                return later(retries)
                    .thenCompose(x -> reserveHard(d, attemptId, amount, deadline, retries + 1));
              }
              throw exhausted(d, reply.getDetail() == null ? "refused" : reply.getDetail());
            })
        .thenCompose(f -> f);
  }

  /** The ledger has no such budget (deleted): it limits nothing. */
  private static boolean notDefined(BudgetReply reply) {
    return reply.getDetail() != null && reply.getDetail().startsWith("no such budget");
  }

  /** Refused only for what calls in flight hold: spent plus this call fits the limit. */
  private static boolean onlyHeld(BudgetReply reply, long amount) {
    return reply.getLimitMicroUsd() > 0
        && reply.getSpentMicroUsd() + amount <= reply.getLimitMicroUsd();
  }

  /** 25 ms doubling to 1 s, on the worker's executor. */
  private CompletableFuture<Void> later(int retries) {
    long ms = Math.min(1_000, 25L << Math.min(retries, 6));
    return CompletableFuture.runAsync(
        () -> {}, CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS, executor));
  }

  /** From this instance's lease of the budget, growing it when it cannot hold the call. */
  private CompletableFuture<Runnable> reserveFromLease(
      BudgetDefinition d, String attemptId, long amount) {
    Lease lease = leases.computeIfAbsent(d.getBudgetId(), id -> newLease(d));
    return takeOrGrow(
        lease, d, attemptId, amount, System.nanoTime() + settings.holdWait().toNanos(), 0);
  }

  /**
   * Takes the call's worst case from the lease; when it cannot hold it, asks the ledger to grow it;
   * when the ledger has nothing unheld left but this instance's own calls in flight hold part of
   * the lease, waits for them (their worst case is released at what they cost) until the hold wait.
   */
  private CompletableFuture<Runnable> takeOrGrow(
      Lease lease, BudgetDefinition d, String attemptId, long amount, long deadline, int retries) {
    if (lease.tryTake(attemptId, amount)) {
      attemptLeases.computeIfAbsent(attemptId, k -> new ArrayList<>(1)).add(lease.id());
      return CompletableFuture.completedFuture(
          () -> {
            lease.release(attemptId);
            List<String> ids = attemptLeases.get(attemptId);
            if (ids != null) {
              ids.remove(lease.id());
            }
          });
    }
    if (leases.get(d.getBudgetId()) != lease) {
      // replaced meanwhile (it expired at the ledger): take from the new one
      return reserveFromLease(d, attemptId, amount);
    }
    long size = leaseSize(d);
    return lease
        .grow(Math.max(size, amount - lease.available()))
        .thenCompose(
            reply -> {
              if (reply == null) {
                return CompletableFuture.<Runnable>failedFuture(
                    exhausted(
                        d, "the budget ledger did not answer within " + settings.reserveTimeout()));
              }
              if (notDefined(reply)) {
                // deleted at the ledger before this instance read the tombstone: not limited
                return CompletableFuture.<Runnable>completedFuture(() -> {});
              }
              if (reply.getGranted() && (reply.getGrantedMicroUsd() > 0 || retries < 8)) {
                // grown (or the answer to a renewal in flight, which grows nothing): take again
                return takeOrGrow(lease, d, attemptId, amount, deadline, retries + 1);
              }
              if (lease.heldByCalls() > 0 && System.nanoTime() < deadline) {
                return later(retries)
                    .thenCompose(
                        x -> takeOrGrow(lease, d, attemptId, amount, deadline, retries + 1));
              }
              return CompletableFuture.<Runnable>failedFuture(
                  exhausted(d, reply.getDetail() == null ? "refused" : reply.getDetail()));
            });
  }

  private static long leaseSize(BudgetDefinition d) {
    return d.getLeaseMicroUsd() > 0 ? d.getLeaseMicroUsd() : Math.max(1, d.getLimitMicroUsd() / 20);
  }

  private Lease newLease(BudgetDefinition d) {
    return new Lease(
        d.getBudgetId(),
        instance
            + "/"
            + d.getBudgetId()
            + "/"
            + generation.incrementAndGet()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * Every quarter TTL: renews each lease (topping it up when below half a slice), returns unused.
   */
  private void renewLeases() {
    try {
      for (Lease l : List.copyOf(leases.values())) {
        BudgetDefinition d = definitions.get(l.budgetId());
        if (d == null || d.getMode() != BudgetMode.LEASE) {
          leases.remove(l.budgetId(), l);
          l.giveBack();
          continue;
        }
        long size = leaseSize(d);
        l.grow(l.available() < size / 2 ? size : 0);
      }
    } catch (RuntimeException e) {
      log.warn("Lease renewal failed (retried at the next tick): {}", e.toString());
    }
  }

  private BudgetExhausted exhausted(BudgetDefinition d, String detail) {
    AtLimit at =
        switch (d.getAtLimit()) {
          case WAIT -> AtLimit.WAIT;
          case FALLBACK -> AtLimit.FALLBACK;
          default -> AtLimit.REVIEW;
        };
    return new BudgetExhausted(d.getBudgetId(), at, detail);
  }

  private CompletableFuture<BudgetReply> ask(BudgetRequest r) {
    CompletableFuture<BudgetReply> reply = new CompletableFuture<>();
    pending.put(r.getRequestId(), new Pending(reply, System.nanoTime()));
    send(r);
    long sent = System.nanoTime();
    Timer roundTrip = r.getOp() == BudgetOp.RESERVE ? reserveRoundTrip : leaseRoundTrip;
    return reply
        .orTimeout(settings.reserveTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (x, e) -> {
              pending.remove(r.getRequestId());
              if (e == null) {
                roundTrip.record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
              }
            });
  }

  /** Sends a request; one that cannot be sent fails its pending reply (the call is not sent). */
  private void send(BudgetRequest r) {
    try {
      producer.send(
          new ProducerRecord<>(Topics.BUDGET_REQUESTS.name(), r.getBudgetId(), r),
          (md, e) -> {
            if (e != null) {
              notSent(r, e);
            }
          });
    } catch (RuntimeException e) {
      notSent(r, e);
    }
  }

  private void notSent(BudgetRequest r, Exception e) {
    log.warn("Budget request {} on {} not sent: {}", r.getOp(), r.getBudgetId(), e.toString());
    Pending p = pending.remove(r.getRequestId());
    if (p != null) {
      p.reply().completeExceptionally(e);
    }
  }

  private void answered(BudgetReply reply) {
    Pending p = pending.get(reply.getRequestId());
    if (p != null) {
      p.reply().complete(reply);
    }
  }

  private BudgetRequest request(
      String budgetId, BudgetOp op, String holdId, long amount, long used, long ttlMs) {
    return BudgetRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setBudgetId(budgetId)
        .setOp(op)
        .setHoldId(holdId)
        .setInstance(instance)
        .setAmountMicroUsd(amount)
        .setUsedMicroUsd(used)
        .setTtlMs(ttlMs)
        .setSentAt(clock.instant())
        .build();
  }

  private static Timer roundTripTimer(MeterRegistry registry, String op) {
    return Timer.builder("agentyard.budget.ledger.round.trip")
        .description("One request to the budget ledger until its committed reply, by operation")
        .tag("op", op)
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .register(registry);
  }

  private static Timer reserveTimer(MeterRegistry registry, String mode) {
    return Timer.builder("agentyard.budget.reserve")
        .description(
            "Time a call waited for its budget reservations, by budget mode (ledger round trips,"
                + " and waiting for calls in flight to settle near the limit)")
        .tag("mode", mode)
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .register(registry);
  }

  /**
   * Returns every lease (what its ended calls cost and what its calls in flight may still cost).
   */
  @Override
  public void close() {
    timers.shutdownNow();
    for (Lease l : leases.values()) {
      l.giveBack();
    }
    try {
      producer.flush();
    } catch (RuntimeException e) {
      log.warn("Lease returns not flushed: {}", e.toString());
    }
    replyFollower.close();
    definitionFollower.close();
    producer.close(Duration.ofSeconds(5));
  }

  /** This instance's slice of one budget. */
  private final class Lease {
    private final String budgetId;
    private final String id;
    private final Map<String, Long> inFlight = new HashMap<>();
    private long granted;
    private long used;
    private long held;
    private long usableUntilNanos = Long.MIN_VALUE;
    private CompletableFuture<BudgetReply> growing;

    Lease(String budgetId, String id) {
      this.budgetId = budgetId;
      this.id = id;
    }

    String budgetId() {
      return budgetId;
    }

    String id() {
      return id;
    }

    synchronized long available() {
      return System.nanoTime() - usableUntilNanos < 0 ? granted - used - held : 0;
    }

    synchronized long heldByCalls() {
      return held;
    }

    synchronized boolean tryTake(String attemptId, long amount) {
      if (available() < amount) {
        return false;
      }
      inFlight.put(attemptId, amount);
      held += amount;
      return true;
    }

    synchronized void end(String attemptId, long cost) {
      Long a = inFlight.remove(attemptId);
      if (a != null) {
        held -= a;
        used += cost;
      }
    }

    synchronized void release(String attemptId) {
      Long a = inFlight.remove(attemptId);
      if (a != null) {
        held -= a;
      }
    }

    /** Asks the ledger to grow (or, with 0, only renew) the lease; one request at a time. */
    synchronized CompletableFuture<BudgetReply> grow(long amount) {
      if (growing != null && !growing.isDone()) {
        return growing;
      }
      BudgetRequest r =
          request(budgetId, BudgetOp.LEASE, id, amount, 0, settings.leaseTtl().toMillis());
      long sent = System.nanoTime();
      growing =
          ask(r)
              .handle(
                  (reply, error) -> {
                    if (error != null) {
                      log.warn(
                          "Lease {} of {} not renewed: {}",
                          id,
                          budgetId,
                          error instanceof TimeoutException
                                  || error.getCause() instanceof TimeoutException
                              ? "no answer within " + settings.reserveTimeout()
                              : error.toString());
                      return null;
                    }
                    granted(reply, sent);
                    return reply;
                  });
      return growing;
    }

    private synchronized void granted(BudgetReply reply, long sentNanos) {
      if (notDefined(reply)) {
        return;
      }
      granted += reply.getGrantedMicroUsd();
      if (reply.getLeaseMicroUsd() < granted) {
        // the ledger holds less for this lease than we were granted: it expired there (a long
        // pause) and was made anew. Stop using it; a new lease is taken on the next call.
        log.warn(
            "Lease {} of {}: the ledger holds {} µUSD of the {} granted (it expired there); replaced",
            id,
            budgetId,
            reply.getLeaseMicroUsd(),
            granted);
        usableUntilNanos = Long.MIN_VALUE;
        leases.remove(budgetId, this);
        giveBack();
        return;
      }
      usableUntilNanos = sentNanos + (long) (settings.leaseTtl().toNanos() * LEASE_USABLE_SHARE);
    }

    /** RETURN: the lease shrinks to what its ended calls cost plus what those in flight may. */
    synchronized void giveBack() {
      send(request(budgetId, BudgetOp.RETURN, id, held, used, 0));
    }
  }
}
