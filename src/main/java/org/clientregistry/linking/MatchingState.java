package org.clientregistry.linking;

import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.Matcher;

/**
 * Everything that depends on the decision rules: the rules, their FHIRPath extractor, the matcher and the index
 * built with their blocking keys, and the records taken out of it as lost. Replaced as a whole when the rules
 * change, so a request sees one consistent set.
 */
public record MatchingState(DecisionRules rules, FieldExtractor extractor, Matcher matcher, MatchIndex index,
                            LostRecords lost) {

  public static MatchingState of(DecisionRules rules, int maxCandidates) {
    MatchIndex index = new MatchIndex(rules, maxCandidates);
    return new MatchingState(rules, new FieldExtractor(rules.expressions()), new Matcher(rules, index), index,
        new LostRecords());
  }
}
