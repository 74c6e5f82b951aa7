package org.clientregistry.fhir;

import java.util.Date;
import java.util.List;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Reference;

/** The FHIR shapes of stored records: a source record with its refer link, a golden record without demographics. */
public final class PatientViews {
  public static final String CLIENT_TAG_SYSTEM = "http://openclientregistry.org/fhir/clientid";
  public static final String GOLDEN_TAG_SYSTEM = "http://openclientregistry.org/fhir/tag";
  public static final String GOLDEN_TAG_CODE = "golden-record";

  private PatientViews() {}

  public static Patient source(SourceRecord record) {
    Patient p = (Patient) Fhir.parse(record.resourceJson());
    p.setId(record.id());
    p.getMeta().setVersionId(Integer.toString(record.version()))
        .setLastUpdated(Date.from(record.lastUpdated()))
        .addTag(CLIENT_TAG_SYSTEM, record.clientId(), null);
    p.addLink().setType(LinkType.REFER).setOther(new Reference("Patient/" + record.goldenId()));
    return p;
  }

  public static Patient golden(GoldenRecord record, String cruidSystem) {
    Patient p = new Patient();
    p.setId(record.id());
    p.getMeta().setVersionId(Integer.toString(record.version()))
        .setLastUpdated(Date.from(record.lastUpdated()))
        .addTag(GOLDEN_TAG_SYSTEM, GOLDEN_TAG_CODE, null);
    p.addIdentifier().setSystem(cruidSystem).setValue(record.id());
    if (record.replacedBy() != null) {
      p.addLink().setType(LinkType.REPLACEDBY).setOther(new Reference("Patient/" + record.replacedBy()));
    }
    List<String> members = record.memberIds();
    members.forEach(id -> p.addLink().setType(LinkType.SEEALSO).setOther(new Reference("Patient/" + id)));
    return p;
  }
}
