package org.clientregistry.api;

import io.vertx.ext.web.RoutingContext;

/** Wraps a route's answer for the wire when the registry sits behind something that expects a wrapper (OpenHIM). */
public interface ResponseEnvelope {

  /** Writes {@code response}, whose body is already encoded ({@code body}, or null when it has none). */
  void write(RoutingContext ctx, FhirResponse response, String body);
}
