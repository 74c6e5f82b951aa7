package org.clientregistry.store.fhirserver;

import ca.uhn.fhir.jpa.mdm.config.MdmConsumerConfig;
import ca.uhn.fhir.jpa.mdm.config.MdmSubmitterConfig;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.searchparam.config.NicknameServiceConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.util.LoggingEmailSender;
import ca.uhn.fhir.mdm.api.IMdmSettings;
import ca.uhn.fhir.mdm.rules.config.MdmRuleValidator;
import ca.uhn.fhir.mdm.rules.config.MdmSettings;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * HAPI FHIR's own MDM (Master Data Management) on a {@link HapiTestServer}, only to measure its linking beside the
 * registry's: {@code HapiTestServer.start(MdmTestConfig.class)}. Wired as HAPI's JPA server starter does (its
 * MdmConfig imports MdmConsumerConfig, MdmSubmitterConfig and NicknameServiceConfig; its application imports the
 * subscription submitter and processor configs; message subscriptions are enabled because MDM receives each
 * Patient write through a MESSAGE subscription it creates at start, "mdm-Patient"). MDM links asynchronously:
 * a POST is answered before the Patient is linked to a golden record.
 *
 * <p>The rules ({@value #RULES}, or the test resource named by {@code -Dcr.mdm.rules}) follow HAPI's documented
 * example for Patients: candidates by birth date or by (phonetic) name, names by Jaro-Winkler ≥ 0.8, birth date,
 * gender and phone exact; MATCH for both names and birth date, POSSIBLE_MATCH for weaker three-field combinations.
 */
@Configuration
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class, MdmConsumerConfig.class,
    MdmSubmitterConfig.class, NicknameServiceConfig.class})
public class MdmTestConfig {
  public static final String RULES = "hapi-mdm-rules.json";

  @Bean
  public SubscriptionSettings subscriptionSettings() {
    SubscriptionSettings s = new SubscriptionSettings();
    // MDM's own subscription is a MESSAGE subscription onto its in-memory channel.
    s.addSupportedSubscriptionType(org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType.MESSAGE);
    return s;
  }

  /** The subscription processor needs one (as HAPI's own test configs: no email subscriptions here). */
  @Bean
  public IEmailSender emailSender() {
    return new LoggingEmailSender();
  }

  @Bean
  public IMdmSettings mdmSettings(MdmRuleValidator validator) throws IOException {
    String name = System.getProperty("cr.mdm.rules", RULES);
    try (InputStream in = MdmTestConfig.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no test resource " + name);
      }
      return new MdmSettings(validator).setEnabled(true)
          .setScriptText(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** One MDM link: a source Patient's id, its golden Patient's id and MATCH, POSSIBLE_MATCH, ... */
  public record Link(String source, String golden, String result) {}

  /**
   * Every MDM link of the server, by source Patient id (bare ids, as in the Location of a POST), read from MDM's
   * link table (HAPI's MdmLink entity, the table {@code $mdm-query-links} answers from).
   */
  /** How many links MDM's link table holds (cheap enough to poll while MDM works). */
  public static long linkCount(HapiTestServer server) {
    EntityManager em = server.bean(EntityManagerFactory.class).createEntityManager();
    try {
      return em.createQuery("select count(l) from MdmLink l", Long.class).getSingleResult();
    } finally {
      em.close();
    }
  }

  public static Map<String, List<Link>> links(HapiTestServer server) {
    EntityManager em = server.bean(EntityManagerFactory.class).createEntityManager();
    try {
      List<Object[]> rows = em.createQuery("select s.myFhirId, g.myFhirId, l.myMatchResult from MdmLink l"
          + " join l.mySource s join l.myGoldenResource g", Object[].class).getResultList();
      Map<String, List<Link>> links = new HashMap<>();
      for (Object[] row : rows) {
        links.computeIfAbsent((String) row[0], k -> new ArrayList<>())
            .add(new Link((String) row[0], (String) row[1], String.valueOf(row[2])));
      }
      return links;
    } finally {
      em.close();
    }
  }
}
