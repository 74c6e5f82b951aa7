package org.clientregistry.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of synthetic patients with known truth: persons with names, sex, birth date, phone and national
 * id, each recorded by one to three systems, the later records carrying realistic slips (a typo, given and family
 * swapped, day and month swapped, a missing phone or id, a nickname-free variant). Names are built from syllables
 * so that a million persons still have a realistic spread of names (common ones recur, most are rare).
 */
public final class SyntheticPatients {
  private static final String[] CLIENTS = {"openmrs", "dhis2", "lims"};
  private static final String[] ONSETS = {"", "b", "k", "m", "n", "s", "t", "l", "r", "j", "w", "d", "g", "p", "ch",
      "sh", "z", "y", "f", "h", "ny", "ng", "mb", "nd", "kw"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "a", "i", "o", "ai", "ia", "ua", "ei"};
  private static final String[] CODAS = {"", "", "", "n", "m", "l", "r", "s", "k", "t"};
  private static final String[] COMMON_GIVEN = {"Grace", "John", "Mary", "Joseph", "Sarah", "David", "Esther",
      "Peter", "Ruth", "Moses", "Agnes", "Paul", "Florence", "James", "Rose", "Samuel", "Alice", "Isaac"};
  private static final String[] COMMON_FAMILY = {"Okello", "Namubiru", "Mugisha", "Nakato", "Ssempijja", "Achieng",
      "Otieno", "Wanjiru", "Kamau", "Mwangi", "Banda", "Phiri", "Moyo", "Dube", "Mensah", "Owusu"};

  /** One generated record: who it really is, which system sent it, and the FHIR Patient it sends. */
  public record Record(long person, String client, String internalId, JsonObject patient) {}

  private final SplittableRandom random;
  private final double duplicateShare;
  private long nextPerson;
  private long nextRecord;
  private final List<Person> recent = new ArrayList<>();

  private record Person(long id, String given, String family, String sex, LocalDate birthDate, String phone,
                        String nationalId) {}

  /** @param duplicateShare the share of records that are another record of an earlier person (0..0.9) */
  public SyntheticPatients(long seed, double duplicateShare) {
    this.random = new SplittableRandom(seed);
    this.duplicateShare = duplicateShare;
  }

  public List<Record> next(int n) {
    List<Record> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  public Record next() {
    Person p;
    boolean duplicate = !recent.isEmpty() && random.nextDouble() < duplicateShare;
    if (duplicate) {
      // Duplicates come back within a window of recent persons, as clinic visits do; older ones sometimes.
      int window = Math.min(recent.size(), 50_000);
      p = recent.get(recent.size() - 1 - random.nextInt(window));
    } else {
      p = newPerson();
      recent.add(p);
      if (recent.size() > 200_000) {
        recent.subList(0, 100_000).clear();
      }
    }
    String client = CLIENTS[random.nextInt(CLIENTS.length)];
    String internalId = client.substring(0, 2).toUpperCase() + "-" + (++nextRecord);
    return new Record(p.id(), client, internalId, patient(duplicate ? variant(p) : p, client, internalId));
  }

  private Person newPerson() {
    String given = random.nextDouble() < 0.3 ? COMMON_GIVEN[random.nextInt(COMMON_GIVEN.length)] : name(2);
    String family = random.nextDouble() < 0.2 ? COMMON_FAMILY[random.nextInt(COMMON_FAMILY.length)] : name(3);
    LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(365 * 84));
    String phone = random.nextDouble() < 0.75 ? "+2567" + (10_000_000 + random.nextInt(90_000_000)) : null;
    String nationalId = random.nextDouble() < 0.6 ? "CM" + (10_000_000_000L + random.nextLong(89_999_999_999L)) : null;
    return new Person(++nextPerson, given, family, random.nextBoolean() ? "female" : "male", birth, phone,
        nationalId);
  }

  private String name(int maxSyllables) {
    StringBuilder b = new StringBuilder();
    int syllables = 2 + random.nextInt(maxSyllables);
    for (int i = 0; i < syllables; i++) {
      b.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
    }
    b.append(CODAS[random.nextInt(CODAS.length)]);
    return Character.toUpperCase(b.charAt(0)) + b.substring(1);
  }

  /** The same person as another system records them: usually one slip, sometimes none, sometimes two. */
  private Person variant(Person p) {
    Person v = p;
    int slips = random.nextInt(10) < 3 ? 0 : random.nextInt(10) < 8 ? 1 : 2;
    for (int i = 0; i < slips; i++) {
      v = switch (random.nextInt(6)) {
        case 0 -> new Person(v.id(), typo(v.given()), v.family(), v.sex(), v.birthDate(), v.phone(), v.nationalId());
        case 1 -> new Person(v.id(), v.given(), typo(v.family()), v.sex(), v.birthDate(), v.phone(), v.nationalId());
        case 2 -> new Person(v.id(), v.family(), v.given(), v.sex(), v.birthDate(), v.phone(), v.nationalId());
        case 3 -> new Person(v.id(), v.given(), v.family(), v.sex(), swapDayMonth(v.birthDate()), v.phone(),
            v.nationalId());
        case 4 -> new Person(v.id(), v.given(), v.family(), v.sex(), v.birthDate(), null, v.nationalId());
        default -> new Person(v.id(), v.given(), v.family(), v.sex(), v.birthDate(), v.phone(), null);
      };
    }
    return v;
  }

  private String typo(String s) {
    if (s.length() < 4) {
      return s;
    }
    char[] c = s.toCharArray();
    int i = 1 + random.nextInt(c.length - 2);
    switch (random.nextInt(3)) {
      case 0 -> { // transposition
        char t = c[i];
        c[i] = c[i + 1];
        c[i + 1] = t;
        return new String(c);
      }
      case 1 -> { // a letter dropped
        return s.substring(0, i) + s.substring(i + 1);
      }
      default -> { // a letter changed
        c[i] = (char) ('a' + random.nextInt(26));
        return new String(c);
      }
    }
  }

  private static LocalDate swapDayMonth(LocalDate d) {
    return d.getDayOfMonth() <= 12 ? LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue()) : d;
  }

  private static JsonObject patient(Person p, String client, String internalId) {
    JsonArray identifiers = new JsonArray().add(new JsonObject()
        .put("system", "http://clientregistry.org/" + client).put("value", internalId));
    if (p.nationalId() != null) {
      identifiers.add(new JsonObject().put("system", "http://clientregistry.org/national-id")
          .put("value", p.nationalId()));
    }
    JsonObject patient = new JsonObject().put("resourceType", "Patient").put("identifier", identifiers)
        .put("name", new JsonArray().add(new JsonObject().put("family", p.family())
            .put("given", new JsonArray().add(p.given()))))
        .put("gender", p.sex()).put("birthDate", p.birthDate().toString());
    if (p.phone() != null) {
      patient.put("telecom", new JsonArray().add(new JsonObject().put("system", "phone").put("value", p.phone())));
    }
    return patient;
  }
}
