package org.clientregistry.matching;

import java.util.List;

/** A FHIRPath expression and the normaliser its values go through; records keep one value list per slot. */
public record Slot(String fhirpath, boolean digitsOnly) {

  public String[] normalise(List<String> raw) {
    return raw.stream()
        .map(v -> digitsOnly ? Normalizer.digitsOnly(v) : Normalizer.basic(v))
        .filter(v -> v != null)
        .distinct()
        .toArray(String[]::new);
  }
}
