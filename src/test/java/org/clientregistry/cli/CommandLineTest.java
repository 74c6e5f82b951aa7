package org.clientregistry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, refusals and their exit codes, the config directory placing data and certificates. */
class CommandLineTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8), Map.of()).run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheCommandsAndEachCommandsUsage() throws Exception {
    for (String flag : List.of("--help", "-h", "help")) {
      Run run = cli(flag);
      assertEquals(Cli.OK, run.code(), flag);
      assertTrue(run.out().contains("Commands:") && run.out().contains("serve") && run.out().contains("evaluate"),
          run.out());
    }
    Run serve = cli("help", "serve");
    assertEquals(Cli.OK, serve.code());
    assertTrue(serve.out().contains("--config DIR"), serve.out());
    Run evaluate = cli("evaluate", "--help");
    assertEquals(Cli.OK, evaluate.code());
    assertTrue(evaluate.out().contains("--mapping"), evaluate.out());
  }

  @Test
  void unknownCommandsAndOptionsAreRefusedWithTheUsage() throws Exception {
    Run command = cli("frobnicate");
    assertEquals(Cli.USAGE, command.code());
    assertTrue(command.err().contains("unknown command 'frobnicate'") && command.err().contains("Commands:"),
        command.err());
    Run option = cli("--verbose");
    assertEquals(Cli.USAGE, option.code());
    assertTrue(option.err().contains("unknown option '--verbose'"), option.err());
    Run serveOption = cli("serve", "--port", "4000");
    assertEquals(Cli.USAGE, serveOption.code());
    assertTrue(serveOption.err().contains("unknown option '--port'") && serveOption.err().contains("--config DIR"),
        serveOption.err());
    assertEquals(Cli.USAGE, cli("help", "frobnicate").code());
    assertEquals(Cli.USAGE, cli("serve", "--config").code(), "an option without its value");
  }

  /** The real process: exit codes as a shell sees them, and nothing written into the folder it ran in. */
  @Test
  void theJarExitsWithTheCodeAndStartsNoServer() throws Exception {
    assertEquals(0, java("--help").code());
    assertEquals(0, java("help", "serve").code());
    Run unknown = java("frobnicate");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown command"), unknown.err());
    assertEquals(2, java("--port", "3000").code());
    assertEquals(2, java("serve", "--nope", "x").code());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("out.txt", "err.txt"), files.map(p -> p.getFileName().toString()).sorted(
          java.util.Comparator.reverseOrder()).toList(), "no certificates, data or anything else was made");
    }
  }

  private Run java(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.clientregistry.Main"));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CR_"));
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the process ended");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void unknownRegistryVariablesAreNamed() {
    assertEquals(List.of("CR_SERVER_PROT", "CR_STORE_DATADIR"), ConfigLoader.unknownVariables(Path.of("config"),
        Map.of("CR_SERVER_PROT", "3001", "CR_SERVER_PORT", "3001", "CR_STORE_DATADIR", "x", "CR_LOG_LEVEL", "DEBUG",
            "CR_CONFIG_DIR", "config", "CR_STORE_FHIR_SERVER_PAGE_SIZE", "10", "HOME", "/root")));
  }

  @Test
  void relativeDataAndCertificatesLieBesideTheConfigDirectory() throws Exception {
    Path config = dir.resolve("site/config");
    Files.createDirectories(config);
    try (var files = Files.list(Path.of("config"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, config.resolve(f.getFileName()));
      }
    }
    RegistryConfig c = ConfigLoader.load(config, Map.of());
    assertEquals(dir.resolve("site/data"), c.store().dataDir());
    assertEquals(dir.resolve("site/certificates/ca.crt"), c.tls().caCertificate());
    RegistryConfig absolute = ConfigLoader.load(config, Map.of("CR_STORE_DATA_DIR", dir.resolve("elsewhere")
        .toString()));
    assertEquals(dir.resolve("elsewhere"), absolute.store().dataDir());
    assertFalse(ConfigLoader.load(Path.of("config"), Map.of()).store().dataDir().isAbsolute(),
        "the default config/ keeps data/ in the working folder, as before");
  }
}
