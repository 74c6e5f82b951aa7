package org.clientregistry.matching;

import java.util.List;

/**
 * A FHIRPath expression and the normalisers its values go through; records keep one value list per slot.
 * {@code nicknames} is null unless the field asked for the nickname normaliser.
 */
public record Slot(String fhirpath, boolean digitsOnly, Nicknames nicknames) {

  public String[] normalise(List<String> raw) {
    return raw.stream()
        .map(v -> digitsOnly ? Normalizer.digitsOnly(v) : Normalizer.basic(v))
        .filter(v -> v != null)
        .map(v -> nicknames == null ? v : nicknames.canonical(v))
        .distinct()
        .toArray(String[]::new);
  }
}
