package io.loyalty.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The build gate of the contract: every topic schema is released (its exact form is the newest file of its
 * history) and reads every earlier release. Changing a schema therefore needs a new version file, written by
 * {@code mvn -pl schemas clean test -Dschemas.release=true}, and fails the build if the change is incompatible.
 */
class ContractHistoryTest {
  private static final Path HISTORY_SOURCES = Path.of("src/main/resources", SchemaHistory.RESOURCE_ROOT);

  @TestFactory
  List<DynamicTest> everyTopicSchemaIsReleasedAndReadsAllItsReleases() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Schema current : Contract.all()) {
      tests.add(DynamicTest.dynamicTest(current.getName(), () -> check(current)));
    }
    return tests;
  }

  private static void check(Schema current) throws IOException {
    List<Schema> released = SchemaHistory.versionsOf(current.getFullName());
    List<String> problems = CompatibilityCheck.problems(current, released);
    assertEquals(List.of(), problems, "backward-incompatible change to " + current.getFullName());

    boolean isNewest = !released.isEmpty()
        && fingerprint(released.get(released.size() - 1)) == fingerprint(current)
        && released.get(released.size() - 1).toString().equals(current.toString());
    if (isNewest) {
      return;
    }
    if (Boolean.getBoolean("schemas.release")) {
      Path file = HISTORY_SOURCES.resolve(SchemaHistory.resourcePath(current.getFullName(), released.size() + 1)
          .substring(SchemaHistory.RESOURCE_ROOT.length() + 1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, current.toString(true) + "\n");
      return;
    }
    fail(current.getFullName() + " changed since its last release (v" + released.size() + "): release it with "
        + "`mvn -pl schemas clean test -Dschemas.release=true` and commit the new file under " + HISTORY_SOURCES);
  }

  private static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  @TestFactory
  List<DynamicTest> everyFieldIsDocumentedAndNoneIsFloatingPoint() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Schema current : Contract.all()) {
      tests.add(DynamicTest.dynamicTest(current.getName(), () -> {
        List<String> undocumented = new ArrayList<>();
        List<String> floating = new ArrayList<>();
        walk(current, current.getName(), undocumented, floating, new ArrayList<>());
        assertTrue(undocumented.isEmpty(), "fields without doc: " + undocumented);
        assertTrue(floating.isEmpty(), "float or double fields: " + floating);
      }));
    }
    return tests;
  }

  private static void walk(Schema schema, String path, List<String> undocumented, List<String> floating,
      List<String> visited) {
    switch (schema.getType()) {
      case RECORD -> {
        if (visited.contains(schema.getFullName())) {
          return;
        }
        visited.add(schema.getFullName());
        for (Schema.Field field : schema.getFields()) {
          String fieldPath = path + "." + field.name();
          if (field.doc() == null || field.doc().isBlank()) {
            undocumented.add(fieldPath);
          }
          walk(field.schema(), fieldPath, undocumented, floating, visited);
        }
      }
      case UNION -> schema.getTypes().forEach(branch -> walk(branch, path, undocumented, floating, visited));
      case ARRAY -> walk(schema.getElementType(), path + "[]", undocumented, floating, visited);
      case MAP -> walk(schema.getValueType(), path + "{}", undocumented, floating, visited);
      case FLOAT, DOUBLE -> floating.add(path);
      default -> { }
    }
  }

  @TestFactory
  List<DynamicTest> historyFilesAreGaplessAndSelfContained() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Schema current : Contract.all()) {
      tests.add(DynamicTest.dynamicTest(current.getName(), () -> {
        List<Schema> released = SchemaHistory.versionsOf(current.getFullName());
        assertFalse(released.isEmpty(), "no released version of " + current.getFullName());
        for (Schema version : released) {
          assertEquals(current.getFullName(), version.getFullName());
        }
      }));
    }
    return tests;
  }
}
