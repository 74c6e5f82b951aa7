package org.clientregistry.linking;

import static org.clientregistry.linking.InMemoryLinking.CLIENT;
import static org.clientregistry.linking.InMemoryLinking.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.clientregistry.store.ReviewItem;
import org.junit.jupiter.api.Test;

/** When the candidate cap cuts a search, the submission still links what it saw and a review item says so. */
class CandidateCapTest {

  @Test
  void aCappedSearchRaisesAReviewItem() {
    InMemoryLinking linking = InMemoryLinking.of(3);
    // Six different people who share given name, family name and sex (one blocking key), each with own birth date.
    for (int i = 0; i < 6; i++) {
      linking.link(patient("cap-" + i, "Grace", "Okello", "1980-01-0" + (i + 1)));
    }
    assertEquals(6, linking.state().index().size());
    PreparedSubmission next = linking.prepare(patient("cap-next", "Grace", "Okello", "1980-02-01"));
    Linker.Planned planned = linking.linker().plan(CLIENT.id(), List.of(next), List.of(Optional.empty()));
    List<ReviewItem> reviews = planned.commit().changes().reviews();
    assertTrue(reviews.stream().anyMatch(r -> r.reason().contains("candidate cap reached")), reviews.toString());
    assertTrue(linking.state().index().stats().capped() > 0, "the capped search is counted for /metrics");
  }
}
