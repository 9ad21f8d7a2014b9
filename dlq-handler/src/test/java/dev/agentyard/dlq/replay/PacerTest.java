package dev.agentyard.dlq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<Long> sleeps = new ArrayList<>();
  final Pacer.Sleeper sleeper =
      nanos -> {
        sleeps.add(nanos);
        now.addAndGet(nanos);
      };

  @Test
  void spacesRecordsEvenlyAtTheRate() throws Exception {
    Pacer pacer = new Pacer(20, now::get, sleeper);

    for (int i = 0; i < 5; i++) {
      pacer.acquire();
    }

    assertThat(sleeps).containsExactly(50_000_000L, 50_000_000L, 50_000_000L, 50_000_000L);
  }

  @Test
  void aSlowProducerIsNotFollowedByABurst() throws Exception {
    Pacer pacer = new Pacer(10, now::get, sleeper);
    pacer.acquire();
    now.addAndGet(1_000_000_000L); // a stall of ten intervals

    pacer.acquire();
    pacer.acquire();

    assertThat(sleeps).containsExactly(100_000_000L);
  }

  @Test
  void refusesANonPositiveRate() {
    assertThatThrownBy(() -> new Pacer(0, now::get, sleeper)).hasMessageContaining("positive");
  }
}
