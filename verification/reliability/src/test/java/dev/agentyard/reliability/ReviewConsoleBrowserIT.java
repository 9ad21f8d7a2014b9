package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.testing.TopicTail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The review console in a real browser (headless Chromium through Debian's {@code chromedriver}),
 * against the whole pipeline: a reviewer approves an {@code approve_loan} proposal and sees the
 * worker's result carrying the grant; a second reviewer cannot decide an item the first claimed; a
 * form posted without its CSRF token is refused; a reviewer cannot replay; an operator replays a
 * dead letter after its dry run. Screenshots of the queue, an item and the dead-letter views are
 * written to {@code target/console-screenshots} (docs/images/console holds copies).
 */
@Tag("reliability")
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class ReviewConsoleBrowserIT {

  static final String RITA = "rita-console-token-8c1f02d9e4b7";
  static final String ANA = "ana-console-token-51d7a0c3b9e2";
  static final String OMAR = "omar-console-token-e03b6f1a27c4";

  @Test
  @Timeout(value = 9, unit = TimeUnit.MINUTES)
  void reviewersAndOperatorsDoTheirWorkInABrowserAndOnlyTheirs(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path shots = screenshotDir();
    try (Pipeline p = SecurityIT.approvalPipeline("review-console", kafka, registry, Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 4)) {
      p.secrets().put("rita's console token", RITA);
      p.secrets().put("ana's console token", ANA);
      p.secrets().put("omar's console token", OMAR);
      Service dlq =
          p.startDlqServer(
              "rita:" + RITA + ":reviewer\nana:" + ANA + ":reviewer\nomar:" + OMAR + ":operator");
      String console = "http://127.0.0.1:" + dlq.port() + "/console/";
      run.publish(40);
      run.awaitAllAccounted(Duration.ofMinutes(4));

      try (Browser rita = Browser.open("rita", console);
          Browser ana = Browser.open("ana", console);
          Browser omar = Browser.open("omar", console)) {
        rita.signIn(RITA);
        ana.signIn(ANA);
        omar.signIn(OMAR);

        // the queue of irreversible proposals of one tenant: two items, A and B
        rita.go("reviews?state=open&reason=IRREVERSIBLE_ACTION&tenant=" + run.tenants().get(0));
        List<String> items =
            rita.driver.findElements(By.cssSelector("table a[href^='/console/reviews/']")).stream()
                .map(a -> a.getAttribute("href"))
                .toList();
        assertThat(items).as("open approve_loan proposals of the tenant").hasSizeGreaterThan(1);
        rita.screenshot(shots.resolve("review-queue.png"));
        String itemA = items.get(0);
        String itemB = items.get(1);

        // a second reviewer cannot decide an item the first has claimed: ana has B's page open
        // with its forms when rita claims it
        ana.driver.get(itemB);
        rita.driver.get(itemB);
        rita.click(By.xpath("//button[normalize-space()='Claim this item']"));
        rita.awaitText("Claimed by you");
        ana.driver.findElement(By.id("approve-why")).sendKeys("figures match the W-2");
        ana.click(By.xpath("//button[@value='approve']"));
        assertThat(ana.text())
            .as("ana's approval of an item rita claimed")
            .contains("Not done")
            .contains("rita");
        assertThat(ana.text()).contains("only they can decide it now");
        assertThat(ana.driver.findElements(By.id("approve-why"))).as("no form for ana").isEmpty();

        // a form posted without its CSRF token is refused, and nothing is done
        rita.driver.get(itemB);
        ((JavascriptExecutor) rita.driver)
            .executeScript(
                "document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())");
        rita.driver.findElement(By.id("reject-why")).sendKeys("not enough evidence");
        rita.click(By.xpath("//button[@value='reject']"));
        assertThat(rita.text()).contains("security token is missing or wrong");
        rita.driver.get(itemB);
        assertThat(rita.text()).as("B after the refused form").contains("Claimed by you");
        assertThat(rita.driver.findElements(By.id("reject-why"))).as("still open").isNotEmpty();

        // rita approves A: the worker runs approve_loan once under the grant, and A's page shows
        // the completed result carrying the grant and her name
        rita.driver.get(itemA);
        assertThat(rita.text())
            .contains("What the agent proposes")
            .contains("approve_loan")
            .contains("250000");
        rita.screenshot(shots.resolve("review-item.png"));
        rita.driver.findElement(By.id("approve-why")).sendKeys("income verified against the W-2");
        rita.click(By.xpath("//button[@value='approve']"));
        assertThat(rita.text()).contains("Approve: done");
        await("A's result on its page")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  rita.driver.navigate().refresh();
                  return !rita.driver.findElements(By.cssSelector("dl.result")).isEmpty();
                });
        WebElement result = rita.driver.findElement(By.cssSelector("dl.result"));
        assertThat(result.findElement(By.cssSelector("dd.status")).getText())
            .isEqualTo("COMPLETED");
        assertThat(result.findElement(By.cssSelector("dd.grant")).getText())
            .matches("\\S+, approved by console:rita");
        rita.screenshot(shots.resolve("review-item-approved.png"));

        // a reviewer cannot replay: no replay form, and a forged one is refused by the server
        rita.go("dead-letters");
        assertThat(rita.text()).contains("Replaying and parking need the operator role.");
        assertThat(rita.driver.findElements(By.xpath("//button[contains(., 'Preview a replay')]")))
            .isEmpty();
        rita.postForgedForm("/console/replays/execute", Map.of("why", "just because"));
        assertThat(rita.text()).contains("needs the operator role");

        // an operator replays one dead letter after its dry run
        ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> seen = new ConcurrentLinkedQueue<>();
        omar.go("dead-letters");
        omar.screenshot(shots.resolve("dead-letters.png"));
        // the newest dead letter of an application's document (a poison pill has no such task id)
        WebElement first =
            omar.driver.findElements(By.cssSelector("table a[href*='/dead-letters/']")).stream()
                .filter(
                    a ->
                        a.findElement(By.xpath("./ancestor::tr/td[5]")).getText().contains("-app-"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter of a scenario task listed"));
        String letter = first.getAttribute("href");
        String task = first.findElement(By.xpath("./ancestor::tr/td[5]")).getText().strip();
        String topic = first.getText().strip().split("/")[0];
        omar.driver.get(letter);
        assertThat(omar.text()).contains("\"reason\"").contains(task);
        omar.screenshot(shots.resolve("dead-letter.png"));
        // that one letter: a task fanned out to two routes can have one on each
        omar.go("dead-letters?task=" + task + "&topic=" + topic);
        omar.click(By.xpath("//button[contains(., 'Preview a replay')]"));
        assertThat(omar.text()).contains("Dry run").contains("1 would be replayed");
        omar.screenshot(shots.resolve("replay-preview.png"));
        // wherever the replay goes: the tasks topic or a route's own
        List<String> targets =
            Stream.concat(
                    Stream.of(Topics.TASKS.name()),
                    Topics.DEFAULT_ROUTES.stream().map(r -> Topics.route(r).name()))
                .toList();
        try (TopicTail tail = TopicTail.start(kafka, targets, seen::add)) {
          omar.driver.findElement(By.id("replay-why")).sendKeys("provider outage is over");
          omar.click(By.xpath("//button[starts-with(normalize-space(), 'Replay 1')]"));
          assertThat(omar.text()).contains("1 replayed");
          await("the replayed record")
              .atMost(Duration.ofSeconds(30))
              .until(() -> seen.stream().anyMatch(r -> replayOf(r, task)));
        }
        assertThat(seen.stream().filter(r -> replayOf(r, task)))
            .as("replayed once, by omar")
            .singleElement()
            .satisfies(
                r ->
                    assertThat(ScenarioRun.header(r, DeadLetterHeaders.REPLAY_ACTOR))
                        .isEqualTo("console:omar"));
        omar.go("audit");
        assertThat(omar.text()).contains("console:omar").contains("console:rita");
      }
      assertThat(run.scanSecrets()).as("tokens and secrets in logs and records").isEmpty();
    }
  }

  private static boolean replayOf(ConsumerRecord<byte[], byte[]> r, String task) {
    return r.key() != null
        && new String(r.key(), StandardCharsets.UTF_8).equals(task)
        && !ScenarioRun.header(r, DeadLetterHeaders.REPLAY_ID).isEmpty();
  }

  private static Path screenshotDir() throws IOException {
    Path dir =
        Path.of(System.getProperty("agentyard.screenshots.dir", "target/console-screenshots"));
    return Files.createDirectories(dir);
  }

  /** One person's headless Chromium, signed in to the console. */
  private record Browser(String who, String base, ChromeDriver driver) implements AutoCloseable {

    static Browser open(String who, String base) throws IOException {
      ChromeOptions o = new ChromeOptions();
      o.setBinary(executable("CHROME_BIN", "chromium").toFile());
      o.addArguments(
          "--headless=new",
          "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
          "--disable-dev-shm-usage",
          "--disable-gpu",
          "--window-size=1280,1400",
          "--user-data-dir=" + Files.createTempDirectory("chromium-" + who));
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(executable("CHROMEDRIVER", "chromedriver").toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver d = new ChromeDriver(service, o);
      d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
      return new Browser(who, base, d);
    }

    /**
     * A program from the environment variable, else the PATH: Debian's {@code chromium} and {@code
     * chromium-driver} packages, which {@code .ci/install-browser} installs.
     */
    static Path executable(String env, String name) {
      String set = System.getenv(env);
      if (set != null && !set.isBlank()) {
        return Path.of(set);
      }
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
      throw new IllegalStateException(
          name
              + " is not on the PATH: the console's browser tests need headless Chromium. Install"
              + " it with .ci/install-browser (Debian: apt-get install chromium chromium-driver),"
              + " or point "
              + env
              + " at it");
    }

    void signIn(String token) {
      go("sign-in");
      driver.findElement(By.id("token")).sendKeys(token);
      click(By.xpath("//button[normalize-space()='Sign in']"));
      assertThat(driver.getCurrentUrl()).as(who + " signed in").endsWith("/console/reviews");
    }

    void go(String page) {
      driver.get(base + page);
    }

    /**
     * Clicks, and when the click submits a form or follows a link, waits for the next page to be
     * loaded (the old one gone stale, the new one complete), so what is read next is that page.
     */
    void click(By by) {
      WebElement page = driver.findElement(By.tagName("html"));
      driver.findElement(by).click();
      await(who + "'s next page")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(() -> stale(page) && loaded());
    }

    private static boolean stale(WebElement e) {
      try {
        e.isEnabled();
        return false;
      } catch (org.openqa.selenium.StaleElementReferenceException gone) {
        return true;
      }
    }

    private boolean loaded() {
      return "complete"
              .equals(((JavascriptExecutor) driver).executeScript("return document.readyState"))
          && !driver.findElements(By.tagName("body")).isEmpty();
    }

    String text() {
      await(who + "'s page loaded")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(this::loaded);
      return driver.findElement(By.tagName("body")).getText();
    }

    void awaitText(String text) {
      await(who + " sees " + text)
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (text().contains(text)) {
                  return true;
                }
                driver.navigate().refresh();
                return false;
              });
    }

    /** Posts a form the page did not offer, with this session's own CSRF token. */
    void postForgedForm(String action, Map<String, String> fields) {
      ((JavascriptExecutor) driver)
          .executeScript(
              "const f = document.createElement('form'); f.method = 'post'; f.action ="
                  + " arguments[0]; const add = (n, v) => { const i ="
                  + " document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v;"
                  + " f.appendChild(i); }; add('csrf',"
                  + " document.querySelector('input[name=csrf]').value); for (const [n, v] of"
                  + " Object.entries(arguments[1])) add(n, v); document.body.appendChild(f);"
                  + " f.submit();",
              action,
              fields);
      await(who + "'s forged form answered")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !driver.getCurrentUrl().contains("/dead-letters"));
    }

    /**
     * Takes a screenshot, after checking what keyboard and screen-reader users depend on: one
     * {@code h1}, a skip link to the main content, every visible form control labelled, every
     * button named, and the page usable with its styles alone (no script runs on it).
     */
    void screenshot(Path file) throws IOException {
      @SuppressWarnings("unchecked")
      List<String> problems =
          (List<String>)
              ((JavascriptExecutor) driver)
                  .executeScript(
                      "const p = [];"
                          + " if (document.querySelectorAll('h1').length !== 1) p.push('h1 count');"
                          + " if (!document.querySelector('a.skip[href=\"#main\"]')"
                          + "     || !document.getElementById('main')) p.push('no skip link');"
                          + " document.querySelectorAll('input:not([type=hidden]), textarea,"
                          + " select').forEach(e => { if (!(e.id &&"
                          + " document.querySelector('label[for=\"' + e.id + '\"]')) &&"
                          + " !e.getAttribute('aria-label')) p.push('unlabelled ' + e.name); });"
                          + " document.querySelectorAll('button').forEach(b => { if"
                          + " (!b.textContent.trim()) p.push('unnamed button'); });"
                          + " if (document.scripts.length) p.push('script on the page');"
                          + " return p;");
      assertThat(problems).as(driver.getCurrentUrl()).isEmpty();
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
      driver.quit();
    }
  }
}
