package org.clientregistry.matching;

/** How common a normalised value is among the stored records, for term-frequency adjusted weights. */
public interface TermFrequencies {
  /** No frequencies known: every field keeps its configured u. */
  TermFrequencies NONE = (slot, value) -> Double.NaN;

  /** The share (0..1) of stored records carrying the value in the slot; NaN when unknown or unseen. */
  double frequency(int slot, String value);
}
