package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HapiTestServerTest {
  @Test
  void servesPatients() throws Exception {
    HapiTestServer server = HapiTestServer.shared();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/Patient/abc-1"))
        .header("Content-Type", "application/fhir+json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"id\":\"abc-1\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), put.body());
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/Patient/abc-1"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, get.statusCode());
    assertTrue(get.body().contains("abc-1"));
  }
}
