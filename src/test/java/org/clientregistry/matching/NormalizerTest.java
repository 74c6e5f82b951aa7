package org.clientregistry.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NormalizerTest {
  @Test
  void foldsAccentsCaseAndSpaces() {
    assertEquals("jose nunez", Normalizer.basic("  José \u00a0 NÚÑEZ\t"));
    assertEquals("mary-jane o'neil", Normalizer.basic("Mary-Jane  O'Neil"));
    assertNull(Normalizer.basic(" \t\n "));
    assertNull(Normalizer.basic(null));
  }

  /** The ASCII shortcut must give exactly what the Unicode passes give, control characters and all. */
  @Test
  void plainAsciiGivesWhatTheUnicodePassesGive() {
    Random random = new Random(7);
    String alphabet = "aZ9 -'.\t\n\u000b\f\r\u0001\u001c\u007f";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        b.append(random.nextInt(3) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
            : (char) (' ' + random.nextInt(95)));
      }
      String value = b.toString();
      assertEquals(Normalizer.basicUnicode(value), Normalizer.basic(value), () -> "for " + value.chars().boxed().toList());
    }
  }
}
