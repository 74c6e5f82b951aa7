package org.clientregistry.linking;

import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The most work one request may cause (docs/security.md): candidate records compared and review items raised
 * across all its entries. A transaction of thousands of look-alike people otherwise compares each with all the
 * others before it and can exhaust the heap; past a limit the request is refused with a 422 naming it, before
 * anything is written.
 */
public record WorkLimits(long maxComparisons, int maxReviewItems) {
  /** No limit: offline tools ({@code evaluate}) link whole data sets in memory on purpose. */
  public static final WorkLimits NONE = new WorkLimits(Long.MAX_VALUE, Integer.MAX_VALUE);

  void checkComparisons(long compared) {
    if (compared > maxComparisons) {
      throw new FhirException(422, IssueType.TOOCOSTLY, "This request would compare more than " + maxComparisons
          + " candidate records (matching.maxComparisonsPerRequest); send its entries in smaller transactions or "
          + "as a batch");
    }
  }

  void checkReviewItems(int raised) {
    if (raised > maxReviewItems) {
      throw new FhirException(422, IssueType.TOOCOSTLY, "This request would raise more than " + maxReviewItems
          + " review items (matching.maxReviewItemsPerRequest); send its entries in smaller transactions or as a "
          + "batch");
    }
  }
}
