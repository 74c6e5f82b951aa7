package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A hook into the HAPI test server that holds one request inside the server until released: the transaction
 * creating one Patient, the search for one identifier value, or the next answer of one kind (a history read, a
 * transaction). While it is held, whatever the registry sends meanwhile waits (grouped transactions and look-ups),
 * or happens in between (another replica's write), so that such tests do not depend on timing.
 */
public final class HeldInServer implements AutoCloseable, ServerHooks {
  private final HapiTestServer hapi;
  private final String patientId;
  private final String identifierValue;
  /** The kind of request whose next answer is held; null once held. */
  private final AtomicReference<RestOperationTypeEnum> answering;
  /** Text the held request's body must contain (null: any body). */
  private final String bodyHolds;
  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private HeldInServer(HapiTestServer hapi, String patientId, String identifierValue,
                       RestOperationTypeEnum answering, String bodyHolds) {
    this.hapi = hapi;
    this.patientId = patientId;
    this.identifierValue = identifierValue;
    this.answering = new AtomicReference<>(answering);
    this.bodyHolds = bodyHolds;
    hapi.intercept(this);
  }

  /** Holds the transaction that creates Patient {@code id}. */
  static HeldInServer creating(HapiTestServer hapi, String id) {
    return new HeldInServer(hapi, id, null, null, null);
  }

  /** Holds the search for identifier value {@code value}. */
  static HeldInServer searching(HapiTestServer hapi, String value) {
    return new HeldInServer(hapi, null, value, null, null);
  }

  /**
   * Holds the next answer to a request of this kind whose body contains {@code bodyHolds} (null: any): done by
   * the server (read, or committed), not yet sent. Of a transaction: {@code RestOperationTypeEnum.TRANSACTION}; of
   * {@code Patient/_history}: {@code HISTORY_TYPE}.
   */
  static HeldInServer answering(HapiTestServer hapi, RestOperationTypeEnum kind, String bodyHolds) {
    return new HeldInServer(hapi, null, null, kind, bodyHolds);
  }

  @Override
  public void created(IBaseResource resource) throws InterruptedException {
    if (patientId != null && patientId.equals(resource.getIdElement().getIdPart())) {
      hold();
    }
  }

  @Override
  public void searched(RequestDetails request) throws InterruptedException {
    String[] identifier = request == null ? null : request.getParameters().get("identifier");
    if (identifierValue != null && identifier != null && identifier.length == 1
        && identifier[0].endsWith("|" + identifierValue)) {
      hold();
    }
  }

  @Override
  public void answering(RequestDetails request) throws InterruptedException {
    RestOperationTypeEnum kind = request == null ? null : request.getRestOperationType();
    if (kind != null && kind == answering.get() && (bodyHolds == null || new String(request.loadRequestContents(),
        java.nio.charset.StandardCharsets.UTF_8).contains(bodyHolds)) && answering.compareAndSet(kind, null)) {
      hold();
    }
  }

  private void hold() throws InterruptedException {
    arrived.countDown();
    release.await(120, TimeUnit.SECONDS);
  }

  /** Waits until the held request is inside the server. */
  void arrived() throws InterruptedException {
    assertTrue(arrived.await(120, TimeUnit.SECONDS), "the held request reached the server");
  }

  void release() {
    release.countDown();
  }

  @Override
  public void close() {
    release();
    hapi.stopIntercepting(this);
  }
}
