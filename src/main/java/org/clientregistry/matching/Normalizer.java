package org.clientregistry.matching;

import java.text.Normalizer.Form;
import java.util.Locale;
import java.util.regex.Pattern;

/** Value clean-up applied before comparison and blocking, so "José  Núñez" and "jose nunez" compare equal. */
public final class Normalizer {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  // \s alone misses no-break and other Unicode spaces, which show up in pasted names.
  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

  private Normalizer() {
  }

  /** Accent-folded, lower-cased, whitespace-collapsed; null when nothing is left. */
  public static String basic(String s) {
    if (s == null) {
      return null;
    }
    String folded = MARKS.matcher(java.text.Normalizer.normalize(s, Form.NFD)).replaceAll("");
    String out = SPACES.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    return out.isEmpty() ? null : out;
  }

  /** Only the ASCII digits (phones, identifiers typed with separators); null when there are none. */
  public static String digitsOnly(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        b.append(c);
      }
    }
    return b.length() == 0 ? null : b.toString();
  }
}
