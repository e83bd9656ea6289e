package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The build's CycloneDX SBOM lists what the shipped jar really contains, and nothing only the tests use. */
class SbomTest {

    private static final Path SBOM = Path.of(System.getProperty("project.root", ".."))
            .resolve("functions/target/iam-guardrail-sbom.json");

    @Test
    void theSbomNamesEveryLibraryShippedInTheJarWithItsVersionAndHash() throws IOException {
        assertThat(SBOM).as("the package phase writes the SBOM (cyclonedx-maven-plugin in functions/pom.xml)").isRegularFile();
        JsonNode bom = new ObjectMapper().readTree(SBOM.toFile());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("metadata").path("component").path("purl").asText())
                .startsWith("pkg:maven/io.iamguardrail/iam-guardrail@");

        TreeMap<String, String> listed = new TreeMap<>();
        for (JsonNode c : bom.path("components")) {
            listed.put(c.path("group").asText() + ":" + c.path("name").asText(), c.path("version").asText());
            assertThat(c.path("purl").asText()).as(c.path("name").asText()).startsWith("pkg:maven/");
            assertThat(c.path("hashes").toString()).as(c.path("name").asText() + " has a SHA-256").contains("SHA-256");
        }
        TreeMap<String, String> shipped = shippedLibraries(Path.of(System.getProperty("guardrail.jar")));
        assertThat(shipped).as("the jar carries Maven descriptors of its libraries").isNotEmpty();
        assertThat(listed).containsAllEntriesOf(shipped);
    }

    @Test
    void testOnlyLibrariesAreNotInTheSbom() throws IOException {
        JsonNode bom = new ObjectMapper().readTree(SBOM.toFile());
        Set<String> groups = new TreeSet<>();
        bom.path("components").forEach(c -> groups.add(c.path("group").asText()));
        // JUnit, AssertJ, jqwik and Jazzer run the tests and never ship.
        assertThat(groups).isNotEmpty().doesNotContain("org.junit.jupiter", "org.assertj", "net.jqwik", "com.code-intelligence");
    }

    /** group:artifact to version, from the pom.properties every bundled library keeps under META-INF/maven. */
    private static TreeMap<String, String> shippedLibraries(Path jar) throws IOException {
        TreeMap<String, String> shipped = new TreeMap<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = j.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (!e.getName().startsWith("META-INF/maven/") || !e.getName().endsWith("/pom.properties")) {
                    continue;
                }
                Properties p = new Properties();
                try (InputStream in = j.getInputStream(e)) {
                    p.load(in);
                }
                String ga = p.getProperty("groupId") + ":" + p.getProperty("artifactId");
                if (!ga.equals("io.iamguardrail:iam-guardrail")) {
                    shipped.put(ga, p.getProperty("version"));
                }
            }
        }
        assertThat(Files.size(jar)).isPositive();
        return shipped;
    }
}
