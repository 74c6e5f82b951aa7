package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The next pages of one search, asked for before they are needed where the server's next links are offsets into a
 * search it keeps (HAPI FHIR's {@code _getpagesoffset}): the server then prepares them on its other threads while
 * the registry parses the page before (the index load). Other servers' links say nothing about the pages after
 * them: those are followed one after another, as with {@code ahead} 0.
 */
final class PagesAhead {
  private static final Pattern OFFSET = Pattern.compile("([?&]_getpagesoffset=)(\\d+)");
  private static final Pattern COUNT = Pattern.compile("[?&]_count=(\\d+)");

  private final int ahead;
  private final Function<String, Future<FhirHttp.Reply>> get;
  /** Pages asked for and not yet taken; those past the last page are left unread. */
  private final Map<String, Future<FhirHttp.Reply>> asked = new ConcurrentHashMap<>();

  PagesAhead(int ahead, Function<String, Future<FhirHttp.Reply>> get) {
    this.ahead = ahead;
    this.get = get;
  }

  /** The reply for {@code page} (asked for now unless it was already), and the pages after it asked for. */
  Future<FhirHttp.Reply> get(String page) {
    Future<FhirHttp.Reply> asked = this.asked.remove(page);
    Future<FhirHttp.Reply> reply = asked != null ? asked : get.apply(page); // this one first
    for (String later : after(page, ahead)) {
      this.asked.computeIfAbsent(later, get);
    }
    return reply;
  }

  /** The links of the {@code n} pages after an offset link (same search, same page size); none for other links. */
  static List<String> after(String link, int n) {
    Matcher offset = OFFSET.matcher(link);
    Matcher count = COUNT.matcher(link);
    if (n <= 0 || !offset.find() || !count.find()) {
      return List.of();
    }
    long from = Long.parseLong(offset.group(2));
    long size = Long.parseLong(count.group(1));
    List<String> out = new ArrayList<>();
    for (int k = 1; k <= n && size > 0; k++) {
      out.add(link.substring(0, offset.start(2)) + (from + k * size) + link.substring(offset.end(2)));
    }
    return out;
  }
}
