package org.clientregistry.matching;

import java.util.HashMap;
import java.util.Map;

/**
 * Unrestricted Damerau-Levenshtein distance (Lowrance-Wagner, with the last-row-seen alphabet map). Unlike optimal
 * string alignment it may edit a transposed pair again, so d("CA", "ABC") = 2 (OSA: 3). commons-text only ships OSA.
 */
public final class TrueDamerauLevenshtein {
  private TrueDamerauLevenshtein() {
  }

  public static int distance(CharSequence a, CharSequence b) {
    int n = a.length();
    int m = b.length();
    if (n == 0 || m == 0) {
      return n + m;
    }
    int max = n + m; // larger than any real distance: the sentinel border row/column
    int[][] d = new int[n + 2][m + 2];
    d[0][0] = max;
    for (int i = 0; i <= n; i++) {
      d[i + 1][0] = max;
      d[i + 1][1] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j + 1] = max;
      d[1][j + 1] = j;
    }
    Map<Character, Integer> lastRow = new HashMap<>(); // char -> last row of a holding it
    for (int i = 1; i <= n; i++) {
      char ca = a.charAt(i - 1);
      int lastMatchCol = 0;
      for (int j = 1; j <= m; j++) {
        char cb = b.charAt(j - 1);
        int i1 = lastRow.getOrDefault(cb, 0);
        int j1 = lastMatchCol;
        int cost = 1;
        if (ca == cb) {
          cost = 0;
          lastMatchCol = j;
        }
        int best = Math.min(d[i][j] + cost, Math.min(d[i + 1][j] + 1, d[i][j + 1] + 1));
        // transpose the pair at (i1, j1) and (i, j), paying for everything deleted/inserted between them
        best = Math.min(best, d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1));
        d[i + 1][j + 1] = best;
      }
      lastRow.put(ca, i);
    }
    return d[n + 1][m + 1];
  }
}
