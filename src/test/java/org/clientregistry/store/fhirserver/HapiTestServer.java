package org.clientregistry.store.fhirserver;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.MemoryBinaryStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * A real HAPI FHIR JPA server (R4, in-memory H2, Jetty on a free port) for the fhirserver store tests. Starting it
 * takes several seconds, so one instance serves the whole test JVM ({@link #shared()}); tests keep apart by using
 * their own identifiers.
 */
public final class HapiTestServer {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final boolean POSTGRES = System.getProperty("cr.hapi.jdbc", "").startsWith("jdbc:postgresql:");
  private static HapiTestServer shared;

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;

  private final AtomicLong requests;
  /** Tests' hooks into this server, called by forwarders registered once (see ServerHooks). */
  private final ServerHooks.Registry hooks;

  private HapiTestServer(AnnotationConfigApplicationContext spring, Server jetty, AtomicLong requests,
                         ServerHooks.Registry hooks) {
    this.spring = spring;
    this.hooks = hooks;
    this.jetty = jetty;
    this.requests = requests;
  }

  /** How many HTTP requests the server has answered (FHIR round trips). */
  public long requests() {
    return requests.get();
  }

  /** The server shared by every test of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized HapiTestServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
    }
    return shared;
  }

  public static HapiTestServer start() {
    return start(new Class<?>[0]);
  }

  /**
   * A new server whose Spring context also holds the given {@code @Configuration} classes (for instance
   * {@link MdmTestConfig}, HAPI's own MDM).
   */
  public static HapiTestServer start(Class<?>... extraConfigs) {
    System.setProperty("hapi.test.database", "cr-hapi-" + DATABASES.incrementAndGet());
    AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
    spring.register(JpaConfig.class);
    if (extraConfigs.length > 0) {
      spring.register(extraConfigs);
    }
    spring.refresh();
    AtomicLong requests = new AtomicLong();
    RestfulServer fhir = new RestfulServer(spring.getBean(FhirContext.class)) {
      @Override
      protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
          throws jakarta.servlet.ServletException, java.io.IOException {
        requests.incrementAndGet();
        super.service(req, res);
      }
    };
    fhir.registerProviders(spring.getBean("myResourceProvidersR4", ResourceProviderFactory.class).createProviders());
    fhir.registerProvider(spring.getBean(JpaSystemProvider.class));
    DatabaseBackedPagingProvider paging = spring.getBean(DatabaseBackedPagingProvider.class);
    // -Dcr.hapi.maxPageSize: as a production server's hapi.fhir.max_page_size (the tests keep HAPI's default, 50).
    paging.setMaximumPageSize(Integer.getInteger("cr.hapi.maxPageSize", paging.getMaximumPageSize()));
    fhir.setPagingProvider(paging);
    ServerHooks.Registry hooks = new ServerHooks.Registry();
    spring.getBean(ca.uhn.fhir.interceptor.api.IInterceptorService.class).registerInterceptor(hooks.storage);
    fhir.getInterceptorService().registerInterceptor(hooks.rest); // the REST layer's own service (SERVER_ hooks)
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(fhir), "/fhir/*");
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      spring.close();
      throw new IllegalStateException("HAPI test server did not start", e);
    }
    return new HapiTestServer(spring, jetty, requests, hooks);
  }

  /** Which database holds this server's resources, for the harnesses' figures. */
  public static String database() {
    return POSTGRES ? "PostgreSQL" : "in-memory H2";
  }

  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/fhir";
  }

  /** A fhirserver store config pointing at this server. */
  public org.clientregistry.config.RegistryConfig.FhirServer storeConfig() {
    return storeConfig(2);
  }

  /** The same, sending at most {@code transactionsInFlight} submissions' transactions at once. */
  public org.clientregistry.config.RegistryConfig.FhirServer storeConfig(int transactionsInFlight) {
    return new org.clientregistry.config.RegistryConfig.FhirServer(baseUrl(), "", "", "", 2000, 30000, "", 0, 1000,
        5, transactionsInFlight);
  }

  /** The env overrides that run a test registry on this server. */
  public java.util.Map<String, String> registryEnv() {
    // Registries on one server share the installation's record-id key, as replicas must (docs/security.md).
    return java.util.Map.of("CR_STORE_TYPE", "fhirserver", "CR_STORE_FHIR_SERVER_BASE_URL", baseUrl(),
        "CR_STORE_FHIR_SERVER_FOLLOW_SECONDS", "0",
        "CR_STORE_RECORD_ID_KEY", "registries-on-one-server-share-this-record-id-key");
  }

  /** A bean of this server's Spring context (for instance a HAPI service a measurement reads). */
  public <T> T bean(Class<T> type) {
    return spring.getBean(type);
  }

  /** Calls these hooks from now on (see ServerHooks: no HAPI interceptor is added). */
  public void intercept(ServerHooks hook) {
    hooks.hooks.add(hook);
  }

  public void stopIntercepting(ServerHooks hook) {
    hooks.hooks.remove(hook);
  }

  /** The parameters of each search this server registers while {@code action} runs, in order. */
  public List<Map<String, String[]>> searchesDuring(Runnable action) {
    List<Map<String, String[]>> searches = new CopyOnWriteArrayList<>();
    ServerHooks hook = new ServerHooks() {
      @Override
      public void searched(RequestDetails request) {
        searches.add(Map.copyOf(request.getParameters()));
      }
    };
    intercept(hook);
    try {
      action.run();
    } finally {
      stopIntercepting(hook);
    }
    return searches;
  }

  /**
   * Makes resources vanish as if the server had lost the commit that created them (deleted and expunged, the
   * references other resources hold to them notwithstanding).
   */
  public void lose(String... references) {
    JpaStorageSettings settings = spring.getBean(JpaStorageSettings.class);
    settings.setEnforceReferentialIntegrityOnDelete(false);
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String expungeDeleted = "{\"resourceType\":\"Parameters\",\"parameter\":"
          + "[{\"name\":\"expungeDeletedResources\",\"valueBoolean\":true},"
          + "{\"name\":\"expungePreviousVersions\",\"valueBoolean\":true}]}";
      // What the lost transactions wrote about them goes too (audit entries and link events name them).
      for (String ref : references) {
        call(http, java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/Basic?subject=" + ref))
            .DELETE().build());
        call(http, java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/AuditEvent?entity=" + ref))
            .DELETE().build());
        call(http, java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/" + ref)).DELETE().build());
      }
      for (String path : java.util.stream.Stream.concat(java.util.Arrays.stream(references), java.util.stream.Stream.of(
          "Basic", "AuditEvent")).toList()) {
        call(http, java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/" + path + "/$expunge"))
            .header("Content-Type", "application/fhir+json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(expungeDeleted)).build());
      }
    } finally {
      settings.setEnforceReferentialIntegrityOnDelete(true);
    }
  }

  private static void call(java.net.http.HttpClient http, java.net.http.HttpRequest request) {
    try {
      java.net.http.HttpResponse<String> r = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(request.method() + " " + request.uri() + ": " + r.statusCode() + " "
            + r.body());
      }
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes every resource, so that the next test class starts from an empty server. */
  public void reset() {
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/$expunge"))
              .header("Content-Type", "application/fhir+json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Parameters\",\"parameter\":"
                  + "[{\"name\":\"expungeEverything\",\"valueBoolean\":true}]}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("$expunge failed: " + r.statusCode() + " " + r.body());
      }
      // SearchParameters (registries define PDQm's) went with everything else: HAPI forgets them now, not at its
      // next scheduled refresh, so that a registry started next defines them again instead of finding stale ones.
      spring.getBean(ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl.class).forceRefresh();
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  public void stop() {
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping anyway
    }
    spring.close();
  }

  /** HAPI's JPA server wired with plain Spring: the R4 DAOs and providers over an in-memory H2 database. */
  @Configuration
  @Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
      SubscriptionChannelConfig.class, ThreadPoolFactoryConfig.class})
  public static class JpaConfig {
    /**
     * In-memory H2, or with {@code -Dcr.hapi.jdbc=jdbc:postgresql://host/db} (and {@code cr.hapi.user},
     * {@code cr.hapi.password}) a PostgreSQL database as production HAPI servers use: for the measuring harnesses
     * (for several servers a comma-separated list, one database each, in the order the servers start).
     */
    @Bean
    public DataSource dataSource() {
      BasicDataSource ds = new BasicDataSource();
      if (POSTGRES) {
        ds.setDriver(new org.postgresql.Driver());
        // Several servers in one JVM (MdmBench's two) need a database each: a comma-separated list, the n-th
        // server started takes the n-th (the last when there are fewer).
        String[] urls = System.getProperty("cr.hapi.jdbc").split(",");
        int n = Integer.parseInt(System.getProperty("hapi.test.database").substring("cr-hapi-".length()));
        ds.setUrl(urls[Math.min(n, urls.length) - 1].trim());
        ds.setUsername(System.getProperty("cr.hapi.user", "hapi"));
        ds.setPassword(System.getProperty("cr.hapi.password", "hapi"));
      } else {
        ds.setDriver(new org.h2.Driver());
        ds.setUrl("jdbc:h2:mem:" + System.getProperty("hapi.test.database") + ";DB_CLOSE_DELAY=-1");
        ds.setUsername("");
        ds.setPassword("");
      }
      ds.setMaxTotal(20);
      return ds;
    }

    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beans,
                                                                       FhirContext fhir,
                                                                       JpaStorageSettings settings) {
      LocalContainerEntityManagerFactoryBean emf = HapiEntityManagerFactoryUtil.newEntityManagerFactory(beans, fhir,
          settings);
      emf.setPersistenceUnitName("PU_HapiFhirJpaR4");
      emf.setDataSource(dataSource());
      Properties p = new Properties();
      p.put("hibernate.search.enabled", "false");
      p.put("hibernate.hbm2ddl.auto", "update");
      p.put("hibernate.dialect", POSTGRES ? ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect.class.getName()
          : HapiFhirH2Dialect.class.getName());
      emf.setJpaProperties(p);
      return emf;
    }

    @Bean
    public JpaStorageSettings storageSettings() {
      JpaStorageSettings s = new JpaStorageSettings();
      // Like production HAPI servers: client-assigned ids are allowed (the registry names its own records).
      s.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ANY);
      s.setAllowMultipleDelete(true);
      // Test classes start from an empty server ($expunge everything), as they would from an empty data dir.
      s.setExpungeEnabled(true);
      return s;
    }

    @Bean
    public PartitionSettings partitionSettings() {
      return new PartitionSettings();
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory emf) {
      return new JpaTransactionManager(emf);
    }

    @Bean
    public IBinaryStorageSvc binaryStorage() {
      return new MemoryBinaryStorageSvcImpl();
    }
  }
}
