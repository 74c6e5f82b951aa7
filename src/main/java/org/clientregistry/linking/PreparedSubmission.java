package org.clientregistry.linking;

import java.util.List;
import org.clientregistry.store.ChangeSet;
import org.hl7.fhir.r4.model.Patient;

/**
 * A submitted Patient made ready for linking, once, off the event loop: the client's internal identifier, what is
 * stored (content without the registry's id/meta/link), the decision-rule values, and the lock keys.
 */
public record PreparedSubmission(String clientId, String idSystem, String idValue, Patient patient,
                          ChangeSet.Content content, String[][] values, List<String> lockKeys, String targetId) {

  String identifierKey() {
    return "id:" + clientId + "|" + idSystem + "|" + idValue;
  }
}
