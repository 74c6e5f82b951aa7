package org.clientregistry.importer;

import java.io.PrintStream;

/**
 * The progress line: records done of the total, the rate of this run, and the time left. On a terminal it is
 * redrawn in place; into a file or pipe a line is written at most every few seconds.
 */
final class Progress {
  private static final long LOG_EVERY_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final long total;
  private final long startDone;
  private final long started = System.nanoTime();
  private final boolean terminal = System.console() != null;
  private long lastPrinted;

  Progress(PrintStream out, long total, long startDone) {
    this.out = out;
    this.total = total;
    this.startDone = startDone;
  }

  void update(long done) {
    long now = System.nanoTime();
    if (terminal) {
      out.print("\r" + line(done, now) + "   ");
      out.flush();
    } else if (now - lastPrinted >= LOG_EVERY_NANOS) {
      out.println(line(done, now));
      lastPrinted = now;
    }
  }

  void finish(long done) {
    out.print(terminal ? "\r" + line(done, System.nanoTime()) + "\n" : line(done, System.nanoTime()) + "\n");
  }

  String line(long done, long now) {
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    double rate = (done - startDone) / seconds;
    String eta = rate <= 0 ? "?" : duration((long) ((total - done) / rate));
    return String.format("%,d / %,d records (%d%%), %,.0f records/s, ETA %s", done, total,
        total == 0 ? 100 : done * 100 / total, rate, eta);
  }

  static String duration(long seconds) {
    return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format("%d:%02d", seconds / 60, seconds % 60);
  }
}
