package org.clientregistry.matching;

import java.util.List;

/**
 * A FHIRPath expression and the normalisers its values go through; records keep one value list per slot.
 * {@code nicknames} is null unless the field asked for the nickname normaliser; {@code lastDigits} is 0 unless it
 * asked to keep only the last N digits (phones with and without a country code or trunk prefix then agree).
 */
public record Slot(String fhirpath, boolean digitsOnly, Nicknames nicknames, int lastDigits) {

  public String[] normalise(List<String> raw) {
    return raw.stream()
        .map(v -> digitsOnly || lastDigits > 0 ? Normalizer.digitsOnly(v) : Normalizer.basic(v))
        .filter(v -> v != null)
        .map(v -> lastDigits > 0 && v.length() > lastDigits ? v.substring(v.length() - lastDigits) : v)
        .map(v -> nicknames == null ? v : nicknames.canonical(v))
        .distinct()
        .toArray(String[]::new);
  }
}
