package org.clientregistry.calls;

import java.time.Instant;
import java.util.Map;

/**
 * One call the registry made to something behind it (the FHIR server, the embedded store), as OpenHIM shows it in
 * a transaction's orchestrations. Bodies may hold demographics: whoever publishes a call decides whether to keep
 * them (see the OpenHIM {@code orchestrationBodies} switch). Header values must already be redacted.
 */
public record UpstreamCall(String name, Request request, Response response) {

  /** What was sent. {@code query} is without the leading '?', or null. */
  public record Request(String host, int port, String method, String path, String query,
                        Map<String, String> headers, String body, Instant at) {}

  /** What came back; status 0 when no answer came (timeout, connection refused), the reason in {@code body}. */
  public record Response(int status, Map<String, String> headers, String body, Instant at) {}
}
