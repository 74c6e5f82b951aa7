package org.clientregistry.cli;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name value} pairs (and {@code --flag}s that take none) checked against the names a command knows; the
 * first problem is kept as {@link #error()} so the caller can print it with the usage.
 */
public record Options(Map<String, String> values, String error) {
  /** Options that stand alone, without a value. */
  private static final java.util.Set<String> FLAGS = java.util.Set.of("restart");

  public static Options parse(String[] args, Collection<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        return new Options(values, "unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      if (!known.contains(name)) {
        return new Options(values, "unknown option '" + arg + "'");
      }
      if (FLAGS.contains(name)) {
        values.put(name, "true");
        continue;
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        return new Options(values, "option '" + arg + "' needs a value");
      }
      values.put(name, args[++i]);
    }
    return new Options(values, null);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String get(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  public Path path(String name, Path otherwise) {
    return has(name) ? Path.of(values.get(name)) : otherwise;
  }

  /** A whole number, or null when it is not one (the caller names the option in its error). */
  public Integer integer(String name, int otherwise) {
    try {
      return has(name) ? Integer.valueOf(values.get(name)) : otherwise;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
