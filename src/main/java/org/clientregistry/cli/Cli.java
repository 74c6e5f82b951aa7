package org.clientregistry.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The jar's command line: picks the command, answers {@code --help} and {@code help COMMAND}, and refuses an unknown
 * command or option with the usage and exit code 2, before anything is started or written.
 */
public final class Cli {
  /** Exit codes: done, failed while running, refused (usage or configuration). */
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  /** Not an exit code: a server was started and keeps the process alive. */
  public static final int RUNNING = -1;

  private static final List<String> HELP = List.of("--help", "-h", "-help", "-?");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** Runs the command the arguments name; returns an exit code, or {@link #RUNNING} while a server serves. */
  public int run(String[] args) throws Exception {
    if (args.length == 0) {
      return new ServeCommand(out, err, env).run(defaultConfigDir());
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (HELP.contains(command)) {
      out.print(Usage.overview());
      return OK;
    }
    if (command.equals("help")) {
      return help(rest);
    }
    if (!Usage.known(command)) {
      return refuse(command.startsWith("-") ? "unknown option '" + command + "'" : "unknown command '" + command
          + "'", Usage.overview());
    }
    if (Arrays.stream(rest).anyMatch(HELP::contains)) {
      out.print(Usage.of(command));
      return OK;
    }
    return dispatch(command, rest);
  }

  private int dispatch(String command, String[] rest) throws Exception {
    switch (command) {
      case "serve" -> {
        Options o = Options.parse(rest, List.of("config"));
        return o.error() != null ? refuse(o.error(), Usage.of(command))
            : new ServeCommand(out, err, env).run(o.path("config", defaultConfigDir()));
      }
      case "demo" -> {
        Options o = Options.parse(rest, List.of("records", "seed", "port", "dir"));
        return o.error() != null ? refuse(o.error(), Usage.of(command))
            : new DemoCommand(out, err, env, defaultConfigDir()).run(o);
      }
      case "import" -> {
        Options o = Options.parse(rest, ImportCommand.NAMES);
        String problem = o.error() != null ? o.error() : ImportCommand.check(o);
        return problem != null ? refuse(problem, Usage.of(command))
            : ImportCommand.run(o, defaultConfigDir(), env, out, err);
      }
      case "user" -> org.clientregistry.users.UserCommand.main(rest);
      case "rematch" -> org.clientregistry.admin.RematchCommand.main(rest);
      case "evaluate" -> org.clientregistry.tools.EvaluateCommand.main(rest);
      case "estimate" -> org.clientregistry.tools.EstimateCommand.main(rest);
      case "bench" -> org.clientregistry.bench.BenchCommand.main(rest);
      default -> throw new IllegalStateException(command);
    }
    return OK;
  }

  private int help(String[] rest) {
    if (rest.length == 0) {
      out.print(Usage.overview());
      return OK;
    }
    if (rest.length > 1 || !Usage.known(rest[0])) {
      return refuse("no command '" + String.join(" ", rest) + "'", Usage.overview());
    }
    out.print(Usage.of(rest[0]));
    return OK;
  }

  private int refuse(String problem, String usage) {
    err.println("error: " + problem);
    err.print(usage);
    return USAGE;
  }

  private Path defaultConfigDir() {
    return Path.of(env.getOrDefault("CR_CONFIG_DIR", "config"));
  }
}
