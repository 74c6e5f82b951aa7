package org.clientregistry.logging;

/** Text from a request made safe for a log line: control and non-ASCII characters become \xHH or \\uHHHH escapes. */
public final class LogText {
  private static final int MAX = 300;

  private LogText() {}

  /** Escaped, and cut at 300 characters: a request line can forge no log line and fill no disk. */
  public static String escape(String text) {
    if (text == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8);
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.append(c);
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (c < 0x100) {
        out.append(String.format("\\x%02X", (int) c));
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.length() >= MAX && text.length() > MAX ? out + "..." : out.toString();
  }
}
