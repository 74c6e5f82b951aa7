package org.clientregistry.linking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.fhir.SourceRecordJson;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.store.ChangeSet;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/** Checks a submitted Patient and extracts everything linking needs from it (CPU work: run it on a worker). */
public final class SubmissionPreparer {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** User data on a parsed Patient: the request body it was parsed from. */
  public static final String SUBMITTED_JSON = "cr.submittedJson";

  private final FieldExtractor extractor;
  private final DecisionRules rules;
  private final MatchIndex index;

  public SubmissionPreparer(FieldExtractor extractor, DecisionRules rules, MatchIndex index) {
    this.extractor = extractor;
    this.rules = rules;
    this.index = index;
  }

  public PreparedSubmission prepare(ClientConfig client, Patient submitted, String targetId) {
    Identifier internal = internalIdentifier(client, submitted);
    // The registry owns id, meta and links; the client's versions of them are not stored. The submitted
    // resource is this request's own parse, so it is cleared in place rather than copied.
    Patient content = submitted;
    content.setId((String) null);
    content.setMeta(null);
    content.setLink(null);
    List<ChangeSet.Identifier> identifiers = new ArrayList<>();
    for (Identifier id : content.getIdentifier()) {
      if (id.hasSystem() && id.hasValue()) {
        identifiers.add(new ChangeSet.Identifier(id.getSystem(), id.getValue()));
      }
    }
    Map<String, List<String>> raw = extractor.extract(content);
    String[][] values = rules.normalise(raw);
    String fieldsJson;
    try {
      fieldsJson = JSON.writeValueAsString(raw);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ChangeSet.Content stored = new ChangeSet.Content(client.id(), internal.getSystem(), internal.getValue(),
        identifiers, contentJson(content), fieldsJson);
    List<String> lockKeys = new ArrayList<>(index.keysOf(values));
    lockKeys.add("id:" + client.id() + "|" + internal.getSystem() + "|" + internal.getValue());
    if (targetId != null) {
      lockKeys.add("src:" + targetId);
    }
    return new PreparedSubmission(client.id(), internal.getSystem(), internal.getValue(), content, stored, values,
        lockKeys, targetId);
  }

  /**
   * The stored JSON: the submitted body with the registry's elements taken out (resourceType first, as every stored
   * record starts), or HAPI's encoding where no body came with the resource (bundle entries, other writers).
   */
  static String contentJson(Patient content) {
    if (content.getUserData(SUBMITTED_JSON) instanceof String body) {
      try {
        return SourceRecordJson.content(body);
      } catch (IllegalArgumentException e) {
        // HAPI parsed this body, so Jackson reads it too; were it not so, HAPI's encoding is as good.
      }
    }
    return Fhir.encode(content);
  }

  private static Identifier internalIdentifier(ClientConfig client, Patient patient) {
    List<Identifier> own = patient.getIdentifier().stream()
        .filter(i -> i.hasSystem() && client.ownsSystem(i.getSystem())).toList();
    if (own.isEmpty() || own.stream().noneMatch(Identifier::hasValue)) {
      throw FhirException.badRequest("The Patient must carry an identifier of client '" + client.id()
          + "' with a value; accepted identifier systems: " + client.internalIdSystems());
    }
    List<Identifier> withValue = own.stream().filter(Identifier::hasValue).toList();
    if (withValue.stream().map(i -> i.getSystem() + "|" + i.getValue()).distinct().count() > 1) {
      throw FhirException.badRequest("The Patient carries more than one internal identifier of client '"
          + client.id() + "'; send exactly one");
    }
    return withValue.get(0);
  }
}
