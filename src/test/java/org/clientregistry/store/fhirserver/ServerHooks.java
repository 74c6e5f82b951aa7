package org.clientregistry.store.fhirserver;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * What a test hooks into the in-process HAPI server ({@link HapiTestServer#intercept}). HAPI interceptors are not
 * registered and unregistered per test: HAPI iterates its interceptor lists without a copy, so a change while a
 * request is under way (a held request released and its interceptor taken away at once) fails that request with a
 * ConcurrentModificationException (HTTP 500). One forwarder per interceptor service stays registered instead.
 */
interface ServerHooks {
  default void created(IBaseResource resource) throws InterruptedException {}

  default void searched(RequestDetails request) throws InterruptedException {}

  default void shown(IPreResourceShowDetails details, RequestDetails request) {}

  default void answering(RequestDetails request) throws InterruptedException {}

  /** The hooks in force, and the two forwarders (storage pointcuts; the REST layer's) that call them. */
  final class Registry {
    final List<ServerHooks> hooks = new CopyOnWriteArrayList<>();
    final Object storage = new Storage();
    final Object rest = new Rest();

    public final class Storage {
      @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
      public void created(IBaseResource resource) throws InterruptedException {
        for (ServerHooks h : hooks) {
          h.created(resource);
        }
      }

      @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
      public void searched(RequestDetails request) throws InterruptedException {
        for (ServerHooks h : hooks) {
          h.searched(request);
        }
      }

      @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
      public void shown(IPreResourceShowDetails details, RequestDetails request) {
        for (ServerHooks h : hooks) {
          h.shown(details, request);
        }
      }
    }

    public final class Rest {
      @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
      public boolean answering(RequestDetails request) throws InterruptedException {
        for (ServerHooks h : hooks) {
          h.answering(request);
        }
        return true;
      }
    }
  }
}
