package org.clientregistry.openhim;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.clientregistry.calls.TransactionIds;

/** Logback {@code %tx}: "tx=<OpenHIM transaction id>" on every log line written while serving that request. */
public final class TransactionIdConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    String id = TransactionIds.current();
    return id == null ? "" : "tx=" + id;
  }
}
