package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A HAPI interceptor that holds one request inside the server until released: the transaction creating one
 * Patient, the search for one identifier value, or the answer to the next Patient history read. While it is held, whatever the registry sends meanwhile waits
 * (grouped transactions and look-ups), so that tests of grouping do not depend on timing.
 */
public final class HeldInServer implements AutoCloseable {
  private final HapiTestServer hapi;
  private final String patientId;
  private final String identifierValue;
  /** Holds the next history answer; set back once it is held. */
  private final AtomicBoolean history;
  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private HeldInServer(HapiTestServer hapi, String patientId, String identifierValue, boolean history) {
    this.hapi = hapi;
    this.patientId = patientId;
    this.identifierValue = identifierValue;
    this.history = new AtomicBoolean(history);
    hapi.intercept(this);
  }

  /** Holds the transaction that creates Patient {@code id}. */
  static HeldInServer creating(HapiTestServer hapi, String id) {
    return new HeldInServer(hapi, id, null, false);
  }

  /** Holds the search for identifier value {@code value}. */
  static HeldInServer searching(HapiTestServer hapi, String value) {
    return new HeldInServer(hapi, null, value, false);
  }

  /** Holds the next answer to {@code Patient/_history}: read by the server, not yet sent. */
  static HeldInServer answeringHistory(HapiTestServer hapi) {
    return new HeldInServer(hapi, null, null, true);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void created(IBaseResource resource) throws InterruptedException {
    if (patientId != null && patientId.equals(resource.getIdElement().getIdPart())) {
      hold();
    }
  }

  @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
  public void searched(RequestDetails request) throws InterruptedException {
    String[] identifier = request == null ? null : request.getParameters().get("identifier");
    if (identifierValue != null && identifier != null && identifier.length == 1
        && identifier[0].endsWith("|" + identifierValue)) {
      hold();
    }
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public boolean answering(RequestDetails request) throws InterruptedException {
    if (request != null && request.getRestOperationType() == RestOperationTypeEnum.HISTORY_TYPE
        && history.compareAndSet(true, false)) {
      hold();
    }
    return true;
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
