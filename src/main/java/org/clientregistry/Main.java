package org.clientregistry;

import org.clientregistry.cli.Cli;

/** The jar's entry point: the command line ({@code --help}) picks serve, demo, import, evaluate, estimate or bench. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    int code = new Cli(System.out, System.err, System.getenv()).run(args);
    if (code != Cli.RUNNING) {
      System.exit(code);
    }
  }
}
