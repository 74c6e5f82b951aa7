package org.clientregistry.fhir;

import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPath.IParsedExpression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

/**
 * Evaluates the decision rules' FHIRPath expressions on a Patient, once per stored record, giving the raw string
 * values each rule field compares. Expressions are parsed once; evaluation engines are per thread because HAPI's
 * FHIRPath engine is not documented as thread-safe.
 */
public final class FieldExtractor {
  private final List<String> expressions;
  private final ThreadLocal<Compiled> compiled;

  public FieldExtractor(List<String> expressions) {
    this.expressions = List.copyOf(expressions);
    this.compiled = ThreadLocal.withInitial(() -> new Compiled(this.expressions));
    compiled.get(); // fail fast on a bad expression
  }

  /** Throws IllegalArgumentException naming the expression when it does not parse. */
  public static void validate(String expression) {
    try {
      Fhir.context().newFhirPath().parse(expression);
    } catch (Exception e) {
      throw new IllegalArgumentException("FHIRPath '" + expression + "' does not parse: " + e.getMessage(), e);
    }
  }

  public List<String> expressions() {
    return expressions;
  }

  /** Values per expression, in expression order; empty lists where the record has nothing. */
  public Map<String, List<String>> extract(Patient patient) {
    Compiled c = compiled.get();
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < expressions.size(); i++) {
      List<String> out = new ArrayList<>();
      for (IBase item : c.engine.evaluate(patient, c.parsed.get(i), IBase.class)) {
        String text = textOf(item);
        if (text != null && !text.isBlank()) {
          out.add(text);
        }
      }
      values.put(expressions.get(i), out);
    }
    return values;
  }

  private static String textOf(IBase item) {
    if (item instanceof IPrimitiveType<?> primitive) {
      return primitive.getValueAsString();
    }
    if (item instanceof HumanName name) {
      return name.getNameAsSingleString();
    }
    return null;
  }

  private static final class Compiled {
    final IFhirPath engine = Fhir.context().newFhirPath();
    final List<IParsedExpression> parsed = new ArrayList<>();

    Compiled(List<String> expressions) {
      for (String e : expressions) {
        try {
          parsed.add(engine.parse(e));
        } catch (Exception ex) {
          throw new IllegalArgumentException("FHIRPath '" + e + "' does not parse: " + ex.getMessage(), ex);
        }
      }
    }
  }
}
