package org.clientregistry.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * What HAPI's parser lets through but FHIR JSON forbids, checked on the request bytes before HAPI reads them:
 * invalid UTF-8 (HAPI would store U+FFFD instead), single quotes and other JSON extensions, duplicate keys, control
 * characters in strings, an array or object where {@code gender} or {@code birthDate} takes one value, and a
 * {@code birthDate} that is not a FHIR date (a time, or digits other than ASCII). Each refusal names the element.
 */
public final class StrictJson {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  /** FHIR R4 date: a year, year-month or full date in ASCII digits, no time. */
  private static final Pattern DATE = Pattern.compile(
      "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?");

  private StrictJson() {}

  /** Throws a 400 FhirException naming the first element that breaks a rule. */
  public static void check(byte[] body) {
    String element = null;
    String type = null;
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken token;
      String field = null;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
          continue;
        }
        element = (type == null ? "" : "/" + type) + parser.getParsingContext().pathAsPointer();
        if ("resourceType".equals(field) && type == null && token == JsonToken.VALUE_STRING
            && parser.getParsingContext().getParent().inRoot()) {
          type = parser.getText(); // paths below read Patient.name[0].given[0]
        }
        if ("gender".equals(field) || "birthDate".equals(field)) {
          if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
            throw refused(element, "takes a single value, not an array or object");
          }
          if ("birthDate".equals(field) && token == JsonToken.VALUE_STRING
              && !DATE.matcher(parser.getText()).matches()) {
            throw refused(element, "must be a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits, no time)");
          }
        }
        if (token == JsonToken.VALUE_STRING && hasControlCharacter(parser.getText())) {
          throw refused(element, "holds a control character (FHIR strings allow none but tab, CR and LF)");
        }
        field = null;
      }
    } catch (JsonParseException e) {
      throw new FhirException(400, IssueType.STRUCTURE, "The body is not a valid FHIR R4 JSON resource"
          + (element == null ? "" : " (after " + fhirPath(element) + ")") + ": " + e.getOriginalMessage()
          + "; FHIR JSON is UTF-8, with double quotes and no duplicate keys");
    } catch (IOException e) {
      throw new FhirException(400, IssueType.STRUCTURE, "The body is not readable JSON: " + e.getMessage());
    }
  }

  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static FhirException refused(String pointer, String why) {
    return new FhirException(400, IssueType.VALUE, fhirPath(pointer) + " " + why);
  }

  /** A JSON pointer as the element path FHIR messages use: /name/0/given/1 becomes name[0].given[1]. */
  static String fhirPath(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.substring(Math.min(1, pointer.length())).split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit) && out.length() > 0) {
        out.append('[').append(part).append(']');
      } else {
        out.append(out.length() > 0 ? "." : "").append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return out.length() == 0 ? "the resource" : out.toString();
  }
}
