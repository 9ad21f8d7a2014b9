package dev.agentyard.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module layout that docs/architecture.md shows, read from the build itself (every module's
 * pom.xml): each module sits in a layer and depends only on modules of lower layers, in any scope;
 * nothing is built from deploy/; and the graph in docs/architecture.md is the one the poms make.
 */
class ModuleGraphTest {

  /** Lowest first. A module may depend only on modules of an earlier layer. */
  static final List<List<String>> LAYERS =
      List.of(
          List.of("local-infra"),
          List.of("test-support"),
          List.of("schemas"),
          List.of("service-runtime"),
          List.of("provider-simulator"),
          List.of("router-service", "agent-workers", "cost-aggregator", "dlq-handler"),
          List.of("local-stack", "router-corpus"),
          List.of("reliability", "benchmarks", "evals"));

  /**
   * One module of the build: its folder, artifact id and the project modules it depends on
   * (artifact id to scope).
   */
  record Module(String dir, String artifactId, Map<String, String> dependsOn) {}

  static List<Module> modules() throws Exception {
    List<Module> out = new ArrayList<>();
    Element root = pom(DeployFiles.ROOT.resolve("pom.xml"));
    NodeList names =
        ((Element) root.getElementsByTagName("modules").item(0)).getElementsByTagName("module");
    for (int i = 0; i < names.getLength(); i++) {
      String dir = names.item(i).getTextContent().trim();
      Element pom = pom(DeployFiles.ROOT.resolve(dir).resolve("pom.xml"));
      Map<String, String> deps = new LinkedHashMap<>();
      NodeList dependencies = pom.getElementsByTagName("dependency");
      for (int d = 0; d < dependencies.getLength(); d++) {
        Element dep = (Element) dependencies.item(d);
        if (child(dep, "groupId").equals("dev.agentyard")
            && !(dep.getParentNode().getParentNode() instanceof Element e
                && e.getTagName().equals("dependencyManagement"))) {
          deps.put(
              child(dep, "artifactId"),
              child(dep, "scope").isEmpty() ? "compile" : child(dep, "scope"));
        }
      }
      out.add(new Module(dir, directChild(pom, "artifactId"), deps));
    }
    return out;
  }

  static int layer(String artifactId) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(artifactId)) {
        return i;
      }
    }
    throw new AssertionError(
        "module "
            + artifactId
            + " is in no layer of ModuleGraphTest.LAYERS (and of docs/architecture.md)");
  }

  /** The graph as Mermaid, lowest layer last; test-scope edges dotted. */
  static String mermaid(List<Module> modules) {
    StringBuilder b = new StringBuilder("```mermaid\nflowchart BT\n");
    for (Module m : modules) {
      m.dependsOn()
          .forEach(
              (dep, scope) ->
                  b.append("  ")
                      .append(id(m.artifactId()))
                      .append(scope.equals("test") ? " -.->|test| " : " --> ")
                      .append(id(dep))
                      .append('\n'));
    }
    return b.append("```\n").toString();
  }

  private static String id(String artifactId) {
    return artifactId.replace('-', '_') + "[" + artifactId + "]";
  }

  @Test
  void everyModuleDependsOnlyOnModulesBelowIt() throws Exception {
    List<String> upward = new ArrayList<>();
    for (Module m : modules()) {
      m.dependsOn()
          .forEach(
              (dep, scope) -> {
                if (layer(dep) >= layer(m.artifactId())) {
                  upward.add(m.artifactId() + " -> " + dep + " (" + scope + ")");
                }
              });
    }
    assertThat(upward).as("dependencies on a module of the same or a higher layer").isEmpty();
  }

  @Test
  void nothingIsBuiltFromDeploy() throws Exception {
    assertThat(modules()).extracting(Module::dir).noneMatch(d -> d.startsWith("deploy/"));
    try (Stream<Path> poms = Files.walk(DeployFiles.DEPLOY)) {
      assertThat(poms.filter(p -> p.getFileName().toString().equals("pom.xml")).toList()).isEmpty();
    }
  }

  @Test
  void docsArchitectureShowsTheGraphThePomsMake() throws Exception {
    String doc = Files.readString(DeployFiles.ROOT.resolve("docs/architecture.md"));
    assertThat(doc)
        .as(
            "docs/architecture.md must hold this graph (generated from the poms by ModuleGraphTest)")
        .contains(mermaid(modules()));
  }

  private static Element pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(file.toFile())
        .getDocumentElement();
  }

  private static String child(Element e, String tag) {
    NodeList l = e.getElementsByTagName(tag);
    return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
  }

  private static String directChild(Element e, String tag) {
    for (var n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(tag)) {
        return c.getTextContent().trim();
      }
    }
    throw new AssertionError(tag + " missing");
  }
}
