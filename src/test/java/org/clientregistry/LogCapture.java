package org.clientregistry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** The lines one logger writes while open (level, message, and the stack trace's class when there is one). */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level before;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getLevel() + " " + event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : " [stack " + event.getThrowableProxy().getClassName() + "]"));
    }
  };

  public LogCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    before = logger.getLevel();
    logger.setLevel(Level.INFO);
    appender.start();
    logger.addAppender(appender);
  }

  public LogCapture(Class<?> loggerClass) {
    this(loggerClass.getName());
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits (up to a minute, for a loaded machine) until a line matches; lines are written after answers are sent. */
  public boolean await(Predicate<String> match) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (lines.stream().anyMatch(match)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(before);
  }
}
