package org.clientregistry.subscriptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;

/**
 * What the registry accepts as a Subscription (FHIR R4, ITI-94): criteria {@code Patient}, a rest-hook channel to
 * an http(s) endpoint, payload none or {@code application/fhir+json}, headers as {@code Name: value}.
 */
final class SubscriptionRequest {
  static final String FHIR_JSON = "application/fhir+json";

  private SubscriptionRequest() {}

  /** Where and how to notify. */
  record Channel(String endpoint, boolean withPayload, List<String[]> headers) {}

  static Subscription check(Resource resource) {
    if (!(resource instanceof Subscription s)) {
      throw FhirException.badRequest("Expected a Subscription resource, got " + resource.fhirType());
    }
    String criteria = s.getCriteria();
    if (criteria == null || !(criteria.equals("Patient") || criteria.equals("Patient?"))) {
      throw FhirException.badRequest("criteria must be 'Patient' (every change of a person); got '"
          + criteria + "'");
    }
    if (!s.hasChannel() || s.getChannel().getType() != SubscriptionChannelType.RESTHOOK) {
      throw FhirException.badRequest("channel.type must be rest-hook");
    }
    channel(s); // checks endpoint, payload and headers
    return s;
  }

  static Channel channel(Subscription s) {
    Subscription.SubscriptionChannelComponent c = s.getChannel();
    String endpoint = c.getEndpoint();
    URI uri;
    try {
      uri = endpoint == null ? null : new URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null
        || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
      throw FhirException.badRequest("channel.endpoint must be an absolute http or https URL");
    }
    String payload = c.getPayload();
    if (payload != null && !payload.split(";")[0].trim().equals(FHIR_JSON)) {
      throw FhirException.badRequest("channel.payload must be absent (no body) or " + FHIR_JSON);
    }
    List<String[]> headers = new ArrayList<>();
    for (StringType h : c.getHeader()) {
      String v = h.getValue() == null ? "" : h.getValue();
      int colon = v.indexOf(':');
      if (colon <= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
        throw FhirException.badRequest("each channel.header must be 'Name: value' on one line");
      }
      headers.add(new String[] {v.substring(0, colon).trim(), v.substring(colon + 1).trim()});
    }
    return new Channel(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint,
        payload != null, headers);
  }
}
