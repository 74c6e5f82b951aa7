package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PagesAheadTest {
  @Test
  void theLinksAfterAnOffsetLinkAreTheNextOffsetsOfTheSameSearch() {
    String link = "?_getpages=9f2c&_getpagesoffset=1000&_count=1000&_bundletype=searchset";
    assertEquals(List.of("?_getpages=9f2c&_getpagesoffset=2000&_count=1000&_bundletype=searchset",
        "?_getpages=9f2c&_getpagesoffset=3000&_count=1000&_bundletype=searchset"), PagesAhead.after(link, 2));
  }

  @Test
  void otherLinksSayNothingAboutTheNextPages() {
    assertEquals(List.of(), PagesAhead.after("/Patient?_count=1000", 2));
    assertEquals(List.of(), PagesAhead.after("?page=opaque-cursor-token", 2));
    assertEquals(List.of(), PagesAhead.after("?_getpages=9f2c&_getpagesoffset=50&_count=50", 0));
  }
}
