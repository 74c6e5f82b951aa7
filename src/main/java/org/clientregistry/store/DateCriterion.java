package org.clientregistry.store;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * A FHIR date search value ({@code birthdate=ge1990-04}): a prefix ({@code eq} when none) and the range its date
 * stands for at its precision (a year, a month or a day), {@code [start, end)}.
 */
public record DateCriterion(String prefix, LocalDate start, LocalDate end) {
  public static final Set<String> PREFIXES = Set.of("eq", "ne", "lt", "gt", "le", "ge");

  /** @throws IllegalArgumentException with what is accepted */
  public static DateCriterion parse(String value) {
    String prefix = value.length() > 2 && Character.isLetter(value.charAt(0)) ? value.substring(0, 2) : "eq";
    String date = Character.isLetter(value.charAt(0)) ? value.substring(Math.min(2, value.length())) : value;
    if (!PREFIXES.contains(prefix)) {
      throw new IllegalArgumentException("birthdate prefix '" + prefix + "' is not supported; use one of "
          + "eq, ne, lt, gt, le, ge");
    }
    try {
      return switch (date.length()) {
        case 4 -> range(prefix, LocalDate.of(Integer.parseInt(date), 1, 1), 0, 0, 1);
        case 7 -> range(prefix, LocalDate.parse(date + "-01"), 0, 1, 0);
        case 10 -> range(prefix, LocalDate.parse(date), 1, 0, 0);
        default -> throw new IllegalArgumentException("bad length");
      };
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException("birthdate must be YYYY, YYYY-MM or YYYY-MM-DD, with an optional prefix "
          + "(eq, ne, lt, gt, le, ge), got '" + value + "'");
    }
  }

  private static DateCriterion range(String prefix, LocalDate start, int days, int months, int years) {
    if (!start.toString().matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw new IllegalArgumentException("year out of range");
    }
    return new DateCriterion(prefix, start, start.plusDays(days).plusMonths(months).plusYears(years));
  }
}
