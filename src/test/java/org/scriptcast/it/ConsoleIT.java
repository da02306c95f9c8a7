package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser: Debian's Chromium, driven through its own chromedriver (no driver or
 * browser downloads). Where there is no Chromium, a developer's build skips these tests and says
 * so; CI sets {@code SCRIPTCAST_REQUIRE_BROWSER} and installs it.
 */
class ConsoleIT extends OnPayaraMicro {

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void openBrowser() throws IOException {
    boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    if (!present && System.getenv("SCRIPTCAST_REQUIRE_BROWSER") != null) {
      throw new IllegalStateException("no /usr/bin/chromium or /usr/bin/chromedriver");
    }
    assumeTrue(present, "no Chromium here: apt-get install chromium chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("scriptcast-chromium"));
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build(), options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private String page(String path) {
    return api.uri(path).toString();
  }

  private void signIn(String user) {
    browser.get(page(""));
    wait.until(ExpectedConditions.urlContains("login.xhtml"));
    browser.findElement(By.id("name")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(user + "-password");
    browser.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.script")));
  }

  private String result() {
    return wait.until(
        driver -> {
          String text = driver.findElement(By.id("result")).getText();
          return text.isEmpty() ? null : text;
        });
  }

  /** The lines on the page; -1 before its script has run (seen once, right after a page load). */
  private long lineCount() {
    return (Long)
        ((JavascriptExecutor) browser)
            .executeScript("return window.scriptcast ? scriptcast.lines() : -1");
  }

  @SuppressWarnings("unchecked")
  private List<String> lines() {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "const all = []; for (let i = 0; i < scriptcast.lines(); i++) all.push(scriptcast.text(i)); return all;");
  }

  /** Runs {@code script} in every page the browser opens next, before the page's own scripts. */
  private void beforeEveryPage(String script) {
    browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
  }

  /**
   * A run of 5,000 lines on a page that holds 1,000 instead of a million: the same code, in a
   * test's time.
   */
  private void openABurstOfLinesOnASmallPage() {
    beforeEveryPage("window.scriptcastKeep = 1000;");
    signIn("admin");
    openRun(api.start("burst", "{\"lines\": 5000}").getString("id"));
  }

  /** The texts of the drawn elements that {@code css} selects, top to bottom. */
  private List<String> drawn(String css) {
    return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  /** What the page says it holds back. */
  private String heldBack() {
    return browser.findElement(By.id("held-back")).getText();
  }

  private void openRun(String id) {
    browser.get(page("run.xhtml?id=" + id));
  }

  private void screenshot(String name) throws IOException {
    Path target = Path.of("target", "screenshots", name + ".png");
    Files.createDirectories(target.getParent());
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        target,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aUserSignsInStartsAScriptWithParametersAndSeesItsOutputLive() throws IOException {
    signIn("admin");
    screenshot("catalog");
    WebElement form = browser.findElement(By.cssSelector("form.script[data-script='args']"));
    WebElement text = form.findElement(By.name("text"));
    text.sendKeys("hello, world; $(rm -rf /)");
    form.findElement(By.name("n")).clear();
    form.findElement(By.name("n")).sendKeys("3");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("run.xhtml?id="));
    assertEquals("Succeeded (exit code 0)", result());
    assertTrue(lines().contains("hello, world; $(rm -rf /)"), lines().toString());
    assertTrue(lines().contains("--n=3"), lines().toString());
  }

  @Test
  void theServersFieldErrorsShowBesideTheFields() {
    signIn("admin");
    WebElement form = browser.findElement(By.cssSelector("form.script[data-script='slow']"));
    WebElement pause = form.findElement(By.name("pause"));
    pause.clear();
    // the browser checks the pattern too: remove it to see the server's answer
    ((JavascriptExecutor) browser).executeScript("arguments[0].removeAttribute('pattern')", pause);
    pause.sendKeys("soon");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    WebElement error = form.findElement(By.cssSelector(".field[data-name='pause'] .error"));
    wait.until(driver -> !error.getText().isEmpty());
    assertTrue(error.getText().contains("must match"), error.getText());
  }

  @Test
  void stderrIsMarkedAndTheLinesComeInOrder() {
    signIn("admin");
    openRun(api.start("interleave", "{}").getString("id"));
    assertEquals("Succeeded (exit code 0)", result());
    assertEquals(List.of("out 1", "err 1", "out 2", "err 2"), lines());
    List<String> marked =
        browser.findElements(By.cssSelector("#output-rows .line.err")).stream()
            .map(line -> line.getText().replaceFirst("^\\d+\\s*", ""))
            .toList();
    assertEquals(List.of("err 1", "err 2"), marked);
    // with times shown, each line has its time of day as the server stored it: lines that came
    // together too (one block on the page)
    String burst = api.start("burst", "{\"lines\": 30}").getString("id");
    openRun(burst);
    assertEquals("Succeeded (exit code 0)", result());
    browser.findElement(By.id("show-times")).click();
    List<String> stored =
        api.pollToEnd(burst).stream()
            .filter(event -> event.getString("event").startsWith("std"))
            .map(event -> event.getString("time").substring(11, 23))
            .toList();
    assertEquals(stored, drawn("#output-rows .line .t"));
  }

  @Test
  void ansiCodesShowAsColoursAndLineNumbersAreLinks() {
    signIn("admin");
    String id = api.start("colour", "{}").getString("id");
    openRun(id);
    assertEquals("Succeeded (exit code 0)", result());
    WebElement red = browser.findElement(By.cssSelector("#output-rows .line .c31"));
    assertEquals("red", red.getText());
    assertEquals("bold", browser.findElement(By.cssSelector("#output-rows .line .x.b")).getText());
    assertEquals(
        "green bold", browser.findElement(By.cssSelector("#output-rows .line .c32.b")).getText());
    // the raw log keeps the codes
    assertTrue(api.get("api/runs/" + id + "/log", "*/*").body().contains("\u001b[31mred"));
    browser.findElement(By.cssSelector("#output-rows a.n[href='#L4']")).click();
    wait.until(ExpectedConditions.urlContains("#L4"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#output-rows .line.target")));
    assertTrue(
        browser
            .findElement(By.cssSelector("#output-rows .line.target"))
            .getText()
            .contains("green"));
  }

  @Test
  void aFailureShowsItsExitCode() {
    signIn("admin");
    openRun(api.start("exit", "{\"code\": 3}").getString("id"));
    assertEquals("Failed with exit code 3", result());
  }

  @Test
  void signingOutLeadsToTheSignInPageAndEndsTheSession() {
    signIn("admin");
    browser.findElement(By.id("sign-out")).click();
    wait.until(ExpectedConditions.urlContains("login.xhtml"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
    browser.get(page("history.xhtml"));
    wait.until(ExpectedConditions.urlContains("login.xhtml"));
  }

  @Test
  void theRunPageWithoutARunSaysSo() {
    signIn("admin");
    browser.get(page("run.xhtml"));
    wait.until(
        ExpectedConditions.textToBe(By.id("run-state"), "No run named: find it in the History"));
  }

  @Test
  void theCancelButtonStopsTheRun() {
    signIn("admin");
    openRun(api.start("hold", "{}").getString("id"));
    wait.until(ExpectedConditions.textToBe(By.id("run-state"), "RUNNING"));
    browser.findElement(By.id("run-cancel")).click();
    assertEquals("Cancelled by admin (exit code 143)", result());
  }

  @Test
  void aReloadMidRunShowsEveryLineExactlyOnce() throws IOException {
    signIn("admin");
    String id = api.start("slow", "{\"lines\": 40, \"pause\": \"0.05\"}").getString("id");
    openRun(id);
    wait.until(driver -> lineCount() >= 5);
    screenshot("console");
    browser.navigate().refresh();
    assertEquals("Succeeded (exit code 0)", result());
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      expected.add("line " + i);
    }
    assertEquals(expected, lines());
    // and the last of them drawn once each, in order, following: the rows of lines already in
    // view kept as new ones came
    List<String> drawn = drawn("#output-rows .line .x");
    assertTrue(drawn.size() > 20, drawn.toString());
    assertEquals(expected.subList(expected.size() - drawn.size(), expected.size()), drawn);
  }

  @Test
  void a200000LineRunKeepsThePageAnsweringAndDrawsOnlyWhatIsInView() {
    signIn("admin");
    openRun(api.start("burst", "{\"lines\": 200000}").getString("id"));
    WebElement search = browser.findElement(By.id("search"));
    wait.until(driver -> lineCount() > 0);
    // typing while the lines pour in: the page answers
    search.sendKeys("199999");
    wait.until(driver -> search.getDomProperty("value").equals("199999"));
    assertEquals("Succeeded (exit code 0)", result());
    assertEquals(200000L, lineCount());
    wait.until(ExpectedConditions.textToBe(By.id("search-count"), "1 matches"));
    search.sendKeys(Keys.ENTER);
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#output-rows .line.match")));
    int drawn = browser.findElements(By.cssSelector("#output-rows .line")).size();
    assertTrue(drawn < 200, drawn + " line elements for 200,000 lines");

    // opened again once finished: its last 20,000 events, and the rest on demand
    browser.navigate().refresh();
    assertEquals("Succeeded (exit code 0)", result());
    assertEquals(19998L, lineCount());
    assertTrue(browser.findElement(By.id("held-back")).isDisplayed());
    browser.findElement(By.id("load-earlier")).click();
    wait.until(driver -> lineCount() == 39998L);
    assertEquals("160003", lines().get(0));
  }

  @Test
  void pastWhatItHoldsThePageLetsTheOldestLinesGoAndItsSearchFollowsTheRest() {
    openABurstOfLinesOnASmallPage();
    wait.until(driver -> !driver.findElement(By.id("run-link")).getText().isEmpty());
    // typed before the first line (the script waits 2 s): the search goes on as lines come and go
    WebElement search = browser.findElement(By.id("search"));
    search.sendKeys("7");
    assertEquals("Succeeded (exit code 0)", result());
    List<String> kept = lines();
    int letGo = 5000 - kept.size();
    assertTrue(kept.size() >= 900 && kept.size() <= 1000, kept.size() + " lines on the page");
    assertEquals(String.valueOf(letGo + 1), kept.get(0));
    assertEquals("5000", kept.get(kept.size() - 1));
    assertTrue(heldBack().contains(letGo + " earlier lines"), heldBack());
    List<String> sevens = kept.stream().filter(line -> line.contains("7")).toList();
    wait.until(ExpectedConditions.textToBe(By.id("search-count"), sevens.size() + " matches"));
    // the first match is the first line on the page with a 7, not one that was let go
    search.sendKeys(Keys.ENTER);
    wait.until(
        ExpectedConditions.textToBe(By.cssSelector("#output-rows .line.match .x"), sevens.get(0)));
  }

  @Test
  void earlierLinesLoadOnlyWhileThePageHasRoomAndADoubleClickLoadsThemOnce() {
    openABurstOfLinesOnASmallPage();
    assertEquals("Succeeded (exit code 0)", result());
    // opened again once finished: its last 200 events (a fifth of what the page holds), then
    // earlier ones on demand until the page is full, and no more
    browser.navigate().refresh();
    assertEquals("Succeeded (exit code 0)", result());
    assertEquals(198L, lineCount());
    WebElement loadEarlier = browser.findElement(By.id("load-earlier"));
    for (int click = 0; click < 10 && loadEarlier.isDisplayed(); click++) {
      long before = lineCount();
      ((JavascriptExecutor) browser)
          .executeScript("arguments[0].click(); arguments[0].click();", loadEarlier);
      wait.until(driver -> lineCount() > before);
    }
    assertFalse(loadEarlier.isDisplayed());
    assertTrue(heldBack().contains("as many lines as it can"), heldBack());
    List<String> full = lines();
    assertEquals(1000, full.size());
    for (int i = 0; i < full.size(); i++) assertEquals(String.valueOf(4001 + i), full.get(i));
  }

  @Test
  void theStreamIsReadInAWorkerAndOnThePageWhereThereIsNoWorker() {
    // counts the event streams the page opens itself: the worker's are not the page's
    beforeEveryPage(
        "window.pageStreams = 0; const Real = EventSource;"
            + " window.EventSource = function (url) { pageStreams++; return new Real(url); };"
            + " EventSource.CLOSED = Real.CLOSED;");
    signIn("admin");
    String slow = "{\"lines\": 5, \"pause\": \"0.2\"}";
    openRun(api.start("slow", slow).getString("id"));
    assertEquals("Succeeded (exit code 0)", result());
    List<String> five = List.of("line 1", "line 2", "line 3", "line 4", "line 5");
    assertEquals(five, lines());
    assertEquals(0L, ((JavascriptExecutor) browser).executeScript("return pageStreams"));

    beforeEveryPage("delete window.Worker;");
    openRun(api.start("slow", slow).getString("id"));
    assertEquals("Succeeded (exit code 0)", result());
    assertEquals(five, lines());
    assertEquals(1L, ((JavascriptExecutor) browser).executeScript("return pageStreams"));
  }

  @Test
  void withoutEventSourceThePageFallsBackToLongPolls() {
    beforeEveryPage("delete window.EventSource;");
    signIn("admin");
    openRun(api.start("slow", "{\"lines\": 5, \"pause\": \"0.2\"}").getString("id"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("run-connection"), "polling"));
    assertEquals("Succeeded (exit code 0)", result());
    assertEquals(List.of("line 1", "line 2", "line 3", "line 4", "line 5"), lines());
  }

  @Test
  void theHistoryListsRunsAndLinksToTheirConsoles() throws IOException {
    String failed = api.start("exit", "{\"code\": 4}").getString("id");
    api.follow(failed);
    signIn("admin");
    Api.eventually(
        "the run is in the history",
        () -> api.get("api/runs?state=FAILED&limit=500").body().contains(failed));
    browser.get(page("history.xhtml?state=FAILED"));
    WebElement link = browser.findElement(By.linkText(failed));
    screenshot("history");
    link.click();
    wait.until(ExpectedConditions.urlContains("run.xhtml?id=" + failed));
    assertEquals("Failed with exit code 4", result());
  }
}
