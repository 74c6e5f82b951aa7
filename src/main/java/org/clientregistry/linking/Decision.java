package org.clientregistry.linking;

import org.clientregistry.store.LinkFacts;

/** Where linking put one submitted record, and what happened, for the response, properties and audit. */
record Decision(String goldenId, LinkFacts link, Outcome outcome, int reviewItems) {

  /** created: a new golden record; linked: joined an existing one; kept: stayed where it was. */
  enum Outcome { CREATED, LINKED, KEPT }

  String describe() {
    String what = outcome.name().toLowerCase();
    return reviewItems > 0 ? what + "+review" : what;
  }
}
