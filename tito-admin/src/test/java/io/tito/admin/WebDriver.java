package io.tito.admin;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * Headless Chromium driven through ChromeDriver's W3C WebDriver HTTP API: a few JSON calls, no
 * Selenium. Starts its own chromedriver on a free port with a fresh profile directory; a
 * missing chromium or chromedriver is a failure (bin/chromium-install installs them).
 */
final class WebDriver implements AutoCloseable {

  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process driver;
  private final Http http;
  private final Path profile;
  private final String session;

  WebDriver() throws IOException {
    String chromium = executable("chromium");
    String chromedriver = executable("chromedriver");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    profile = Files.createTempDirectory("tito-chromium-");
    driver = new ProcessBuilder(chromedriver, "--port=" + port, "--allowed-ips=127.0.0.1")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    http = new Http(URI.create("http://127.0.0.1:" + port + "/"), null);
    Fixture.await("chromedriver ready", () -> {
      try {
        return http.get("status").json().path("value").path("ready").asBoolean();
      } catch (AssertionError e) {
        return false;
      }
    });
    ObjectNode caps = JSON.createObjectNode();
    ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
    always.put("browserName", "chrome");
    ObjectNode chrome = always.putObject("goog:chromeOptions");
    chrome.put("binary", chromium);
    var args = chrome.putArray("args");
    for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + profile)) {
      args.add(a);
    }
    JsonNode created = call("POST", "session", caps);
    session = created.path("sessionId").asText();
    if (session.isEmpty()) {
      fail("no WebDriver session: " + created);
    }
  }

  private static String executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail(name + " not found on PATH: run bin/chromium-install (bin/services does)");
  }

  private JsonNode call(String method, String path, JsonNode body) {
    Http.Answer a = http.send(method, path, body == null ? null : body.toString(), null);
    JsonNode json = a.json();
    if (a.status() != 200) {
      throw new WebDriverError(json.path("value").path("error").asText(),
          method + " " + path + ": " + a.status() + " " + json);
    }
    return json.path("value");
  }

  /** A WebDriver error response. */
  static final class WebDriverError extends RuntimeException {
    final String error;

    WebDriverError(String error, String message) {
      super(message);
      this.error = error;
    }
  }

  private JsonNode body(String field, String value) {
    return JSON.createObjectNode().put(field, value);
  }

  void open(URI url) {
    call("POST", "session/" + session + "/url", body("url", url.toString()));
  }

  /** Waits for an element matching the CSS selector; returns its WebDriver id. */
  String find(String css) {
    String[] found = new String[1];
    Fixture.await("element " + css, () -> {
      try {
        ObjectNode q = JSON.createObjectNode().put("using", "css selector").put("value", css);
        found[0] = call("POST", "session/" + session + "/element", q).path(ELEMENT).asText();
        return true;
      } catch (WebDriverError e) {
        if (e.error.equals("no such element")) {
          return false;
        }
        throw e;
      }
    });
    return found[0];
  }

  /** Clicks the element matching {@code css} (waiting for it; retried if re-rendered meanwhile). */
  void click(String css) {
    Fixture.await("click " + css, () -> {
      try {
        call("POST", "session/" + session + "/element/" + find(css) + "/click",
            JSON.createObjectNode());
        return true;
      } catch (WebDriverError e) {
        if (e.error.equals("stale element reference")) {
          return false;
        }
        throw e;
      }
    });
  }

  void type(String css, String text) {
    call("POST", "session/" + session + "/element/" + find(css) + "/value", body("text", text));
  }

  /** The text of the element matching {@code css}, or "" if it is re-rendered while read. */
  String text(String css) {
    try {
      return call("GET", "session/" + session + "/element/" + find(css) + "/text", null).asText();
    } catch (WebDriverError e) {
      if (e.error.equals("stale element reference")) {
        return "";
      }
      throw e;
    }
  }

  /** Waits until the text of {@code css} satisfies {@code condition}. */
  void awaitText(String css, Predicate<String> condition) {
    Fixture.await("text of " + css, () -> condition.test(text(css)));
  }

  /** Whether some element matches {@code css} now. */
  boolean present(String css) {
    try {
      ObjectNode q = JSON.createObjectNode().put("using", "css selector").put("value", css);
      call("POST", "session/" + session + "/element", q);
      return true;
    } catch (WebDriverError e) {
      if (e.error.equals("no such element")) {
        return false;
      }
      throw e;
    }
  }

  void screenshot(Path file) throws IOException {
    String png = call("GET", "session/" + session + "/screenshot", null).asText();
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(png));
  }

  @Override
  public void close() {
    try {
      call("DELETE", "session/" + session, null);
    } catch (RuntimeException | AssertionError e) {
      // the driver goes down below anyway
    }
    driver.destroy();
    try {
      if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory; best effort
    }
  }

  static Duration timeout() {
    return Duration.ofSeconds(30);
  }
}
