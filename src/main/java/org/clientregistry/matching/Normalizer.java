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
    String ascii = basicAscii(s);
    if (ascii != null) {
      return ascii.isEmpty() ? null : ascii;
    }
    return basicUnicode(s);
  }

  /** {@link #basic} for any text. */
  static String basicUnicode(String s) {
    String folded = MARKS.matcher(java.text.Normalizer.normalize(s, Form.NFD)).replaceAll("");
    String out = SPACES.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    return out.isEmpty() ? null : out;
  }

  /**
   * {@link #basic} for plain ASCII (most names), without the Unicode passes, which leave ASCII as it is but cost
   * most of a start-up's normalising; null when the value has other characters.
   */
  private static String basicAscii(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean whitespace = c == ' ' || (c >= '\t' && c <= '\r'); // what [\s\p{Z}] matches in ASCII
      if (c >= 0x80 || (c < ' ' && !whitespace)) {
        return null; // (trim would also drop other control characters at the ends)
      }
      if (whitespace) {
        space = b.length() > 0; // collapsed, and dropped at the start
      } else {
        if (space) {
          b.append(' ');
          space = false;
        }
        b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
      }
    }
    return b.toString();
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
