package org.clientregistry.store.embedded;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.StoreConflictException;

/** Writes one ChangeSet inside the writer's open transaction. */
final class ChangeWriter {
  private final WriterStatements statements;
  private String now;

  ChangeWriter(WriterStatements statements) {
    this.statements = statements;
  }

  void write(ChangeSet changes) throws SQLException {
    now = changes.at().toString();
    for (ChangeSet.GoldenWrite g : changes.goldens()) {
      golden(g);
    }
    for (ChangeSet.SourceWrite s : changes.sources()) {
      source(s);
    }
    for (ReviewItem r : changes.reviews()) {
      review(r);
    }
    for (LinkEvent e : changes.events()) {
      event(e);
    }
    admin(changes.admin());
    audit(changes);
  }

  private void golden(ChangeSet.GoldenWrite g) throws SQLException {
    if (g.expectedVersion() == 0) {
      PreparedStatement ps = statements.get(
          "INSERT INTO golden_record (id, version, replaced_by, last_updated, change_seq) VALUES (?, ?, ?, ?, "
          + SubscriptionTables.NEXT_CHANGE + ")");
      ps.setString(1, g.id());
      ps.setInt(2, g.newVersion());
      ps.setString(3, g.replacedBy());
      ps.setString(4, now);
      ps.executeUpdate();
      return;
    }
    PreparedStatement ps = statements.get(
        "UPDATE golden_record SET version = ?, replaced_by = ?, last_updated = ?, change_seq = "
        + SubscriptionTables.NEXT_CHANGE + " WHERE id = ? AND version = ?");
    ps.setInt(1, g.newVersion());
    ps.setString(2, g.replacedBy());
    ps.setString(3, now);
    ps.setString(4, g.id());
    ps.setInt(5, g.expectedVersion());
    if (ps.executeUpdate() != 1) {
      throw new StoreConflictException("Golden record changed concurrently");
    }
  }

  private void source(ChangeSet.SourceWrite s) throws SQLException {
    ChangeSet.Content content = s.content();
    if (s.expectedVersion() == 0) {
      PreparedStatement ps = statements.get("INSERT INTO source_record (" + EmbeddedStore.SOURCE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      ps.setString(1, s.id());
      ps.setInt(2, s.newVersion());
      ps.setString(3, content.clientId());
      ps.setString(4, content.idSystem());
      ps.setString(5, content.idValue());
      ps.setString(6, s.goldenId());
      setLink(ps, 7, s.link());
      ps.setString(12, content.resourceJson());
      ps.setString(13, content.fieldsJson());
      ps.setString(14, now);
      ps.setString(15, s.link().explanationJson());
      ps.executeUpdate();
    } else if (content != null) {
      PreparedStatement ps = statements.get("UPDATE source_record SET version = ?, golden_id = ?,"
          + " link_method = ?, link_score = ?, link_grade = ?, link_rule = ?, link_time = ?, id_system = ?,"
          + " id_value = ?, resource = ?, fields = ?, last_updated = ?, link_explanation = ?"
          + " WHERE id = ? AND version = ?");
      ps.setInt(1, s.newVersion());
      ps.setString(2, s.goldenId());
      setLink(ps, 3, s.link());
      ps.setString(8, content.idSystem());
      ps.setString(9, content.idValue());
      ps.setString(10, content.resourceJson());
      ps.setString(11, content.fieldsJson());
      ps.setString(12, now);
      ps.setString(13, s.link().explanationJson());
      ps.setString(14, s.id());
      ps.setInt(15, s.expectedVersion());
      expectOne(ps);
    } else {
      PreparedStatement ps = statements.get("UPDATE source_record SET version = ?, golden_id = ?,"
          + " link_method = ?, link_score = ?, link_grade = ?, link_rule = ?, link_time = ?, last_updated = ?,"
          + " link_explanation = ? WHERE id = ? AND version = ?");
      ps.setInt(1, s.newVersion());
      ps.setString(2, s.goldenId());
      setLink(ps, 3, s.link());
      ps.setString(8, now);
      ps.setString(9, s.link().explanationJson());
      ps.setString(10, s.id());
      ps.setInt(11, s.expectedVersion());
      expectOne(ps);
    }
    if (content != null) {
      identifiers(s.id(), content.identifiers());
    }
  }

  private static void expectOne(PreparedStatement ps) throws SQLException {
    if (ps.executeUpdate() != 1) {
      throw new StoreConflictException("Source record changed concurrently");
    }
  }

  private void identifiers(String sourceId, List<ChangeSet.Identifier> identifiers) throws SQLException {
    PreparedStatement del = statements.get("DELETE FROM identifier WHERE source_id = ?");
    del.setString(1, sourceId);
    del.executeUpdate();
    PreparedStatement ins = statements.get(
        "INSERT OR IGNORE INTO identifier (system, value, source_id) VALUES (?, ?, ?)");
    for (ChangeSet.Identifier id : identifiers) {
      ins.setString(1, id.system());
      ins.setString(2, id.value());
      ins.setString(3, sourceId);
      ins.addBatch();
    }
    ins.executeBatch();
  }

  private static void setLink(PreparedStatement ps, int from, LinkFacts link) throws SQLException {
    ps.setString(from, link.method());
    if (link.score() == null) {
      ps.setNull(from + 1, Types.REAL);
    } else {
      ps.setDouble(from + 1, link.score());
    }
    ps.setString(from + 2, link.grade());
    ps.setString(from + 3, link.rule());
    ps.setString(from + 4, link.at().toString());
  }

  private void review(ReviewItem r) throws SQLException {
    // One open item per (source, golden) pair: a re-submission does not queue the same question twice.
    PreparedStatement ps = statements.get("INSERT OR IGNORE INTO review_item (id, source_id, golden_id,"
        + " score, grade, rule, reason, explanation, created, candidate_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ps.setString(1, r.id());
    ps.setString(2, r.sourceId());
    ps.setString(3, r.goldenId());
    ps.setDouble(4, r.score());
    ps.setString(5, r.grade());
    ps.setString(6, r.rule());
    ps.setString(7, r.reason());
    ps.setString(8, r.explanationJson());
    ps.setString(9, r.created().toString());
    ps.setString(10, r.candidateId());
    ps.executeUpdate();
  }

  private void event(LinkEvent e) throws SQLException {
    PreparedStatement ps = statements.get("INSERT INTO link_event (at, source_id, golden_id, previous_golden_id,"
        + " method, score, grade, rule, explanation, actor, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ps.setString(1, e.at().toString());
    ps.setString(2, e.sourceId());
    ps.setString(3, e.goldenId());
    ps.setString(4, e.previousGoldenId());
    LinkFacts f = e.facts();
    ps.setString(5, f.method());
    if (f.score() == null) {
      ps.setNull(6, Types.REAL);
    } else {
      ps.setDouble(6, f.score());
    }
    ps.setString(7, f.grade());
    ps.setString(8, f.rule());
    ps.setString(9, f.explanationJson());
    ps.setString(10, e.actor());
    ps.setString(11, e.comment());
    ps.executeUpdate();
  }

  private void admin(ChangeSet.AdminChanges admin) throws SQLException {
    if (admin.isEmpty()) {
      return;
    }
    for (PatientStore.NotSamePerson m : admin.marksAdded()) {
      PreparedStatement ps = statements.get(
          "INSERT OR IGNORE INTO not_same_person (source_a, source_b, created) VALUES (?, ?, ?)");
      ps.setString(1, first(m));
      ps.setString(2, second(m));
      ps.setString(3, now);
      ps.executeUpdate();
    }
    for (PatientStore.NotSamePerson m : admin.marksRemoved()) {
      PreparedStatement ps = statements.get("DELETE FROM not_same_person WHERE source_a = ? AND source_b = ?");
      ps.setString(1, first(m));
      ps.setString(2, second(m));
      ps.executeUpdate();
    }
    for (ChangeSet.Resolution r : admin.resolutions()) {
      PreparedStatement ps = statements.get("UPDATE review_item SET status = 'resolved', decision = ?,"
          + " resolved_by = ?, resolved_at = ?, comment = ? WHERE id = ? AND status = 'open'");
      ps.setString(1, r.decision());
      ps.setString(2, r.by());
      ps.setString(3, now);
      ps.setString(4, r.comment());
      ps.setString(5, r.itemId());
      if (ps.executeUpdate() != 1) {
        throw new StoreConflictException("Review item " + r.itemId() + " was already resolved");
      }
    }
    if (admin.progress() != null) {
      PreparedStatement ps = statements.get(admin.progress().cursor() == null ? "DELETE FROM job_progress WHERE job = ?"
          : "INSERT OR REPLACE INTO job_progress (job, cursor) VALUES (?, ?)");
      ps.setString(1, admin.progress().job());
      if (admin.progress().cursor() != null) {
        ps.setString(2, admin.progress().cursor());
      }
      ps.executeUpdate();
    }
  }

  /** A mark is kept once per pair, the smaller id first. */
  static String first(PatientStore.NotSamePerson m) {
    return m.sourceA().compareTo(m.sourceB()) <= 0 ? m.sourceA() : m.sourceB();
  }

  static String second(PatientStore.NotSamePerson m) {
    return m.sourceA().compareTo(m.sourceB()) <= 0 ? m.sourceB() : m.sourceA();
  }

  private void audit(ChangeSet changes) throws SQLException {
    if (changes.audit().isEmpty()) {
      return;
    }
    PreparedStatement ps = statements.get("INSERT INTO audit_event (at, client_id, action, source_id,"
        + " golden_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (var a : changes.audit()) {
      ps.setString(1, a.at().toString());
      ps.setString(2, a.clientId());
      ps.setString(3, a.action());
      ps.setString(4, a.sourceId());
      ps.setString(5, a.goldenId());
      ps.setString(6, a.outcome());
      ps.setString(7, a.detail());
      ps.addBatch();
    }
    ps.executeBatch();
  }
}
