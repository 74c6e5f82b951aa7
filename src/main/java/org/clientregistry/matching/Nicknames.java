package org.clientregistry.matching;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A nickname table for the {@code nickname} normaliser: each line of the CSV is a canonical name followed by its
 * nicknames ({@code william,bill,billy,will}); lines starting with # are comments. A given name found in the table
 * is compared as its canonical form, so "Bill" and "William" agree.
 */
public final class Nicknames {
  public static final Nicknames NONE = new Nicknames(Map.of());

  private final Map<String, String> canonical;

  private Nicknames(Map<String, String> canonical) {
    this.canonical = canonical;
  }

  public static Nicknames read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  public static Nicknames parse(String csv) {
    Map<String, String> map = new HashMap<>();
    for (String line : csv.split("\\R")) {
      if (line.isBlank() || line.trim().startsWith("#")) {
        continue;
      }
      String[] names = line.split(",");
      String name = Normalizer.basic(names[0]);
      if (name == null) {
        continue;
      }
      for (String alias : names) {
        String a = Normalizer.basic(alias);
        if (a != null) {
          map.putIfAbsent(a, name); // an alias of several names keeps the first (listed earlier wins)
        }
      }
    }
    return new Nicknames(Map.copyOf(map));
  }

  /** The canonical form of a normalised name, or the name itself. */
  public String canonical(String normalisedName) {
    return canonical.getOrDefault(normalisedName, normalisedName);
  }

  public int size() {
    return canonical.size();
  }

  /** Says what the list holds (its size and a hash of its content), so the rules' text tells one list from another. */
  @Override
  public String toString() {
    return "Nicknames[" + canonical.size() + " names, " + Integer.toHexString(canonical.hashCode()) + "]";
  }
}
