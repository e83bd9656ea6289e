package io.iamguardrail.cli;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and the pages under docs/ stay true: every command line they show for the CLI still parses, the files it
 * names exist, every deploy parameter is explained, every relative link leads somewhere, and the README stays short.
 */
class ReadmeTest {

    static final Path ROOT = Path.of("..");
    private static final List<String> PREFIXES = List.of("bin/iam-guardrail ", "java -jar functions/target/iam-guardrail.jar ");

    /** The pages a user reads: README.md and docs/*.md. */
    static Map<Path, String> pages() throws IOException {
        Map<Path, String> pages = new LinkedHashMap<>();
        pages.put(ROOT.resolve("README.md"), Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path p : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                pages.put(p, Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return pages;
    }

    /** The CLI command lines of a page's sh code blocks, continuation lines joined. */
    static List<String> commandLines(String page) {
        List<String> out = new ArrayList<>();
        Matcher blocks = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(page);
        while (blocks.find()) {
            String joined = blocks.group(1).replace("\\\n", " ");
            for (String line : joined.split("\n")) {
                String l = line.strip();
                if (PREFIXES.stream().anyMatch(l::startsWith)) {
                    out.add(l);
                }
                int and = l.indexOf("&& bin/iam-guardrail ");
                if (and >= 0) {
                    out.add(l.substring(and + 3));
                }
            }
        }
        return out;
    }

    /** Shell words up to the first operator, redirection or comment; quotes removed, variables kept as text. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '|' || c == '>' || c == '&' || c == ';' || (c == '#' && word == null)) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    @Test
    void everyCommandShownStillParsesAndNamesFilesThatExist() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<Path, String> page : pages().entrySet()) {
            for (String line : commandLines(page.getValue())) {
                List<String> words = words(line);
                int skip = words.get(0).equals("java") ? 3 : 1;
                String[] args = words.subList(skip, words.size()).toArray(String[]::new);
                try {
                    Main.parser().parseArgs(args);
                    checked++;
                } catch (CommandLine.ParameterException e) {
                    problems.add(page.getKey().getFileName() + ": `" + line + "`: " + e.getMessage());
                }
                for (String arg : args) {
                    if (arg.matches("(events|functions|docs|tests)/[^*$<]+") && !Files.exists(ROOT.resolve(arg))) {
                        problems.add(page.getKey().getFileName() + ": `" + line + "` names " + arg + ", which does not exist");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("command lines checked").isGreaterThanOrEqualTo(6);
    }

    @Test
    void theDeploySectionExplainsEveryTemplateParameter() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String organization = Files.readString(ROOT.resolve("docs/organization.md"));
        Node.Obj template = (Node.Obj) NodeReader.readYaml(Files.readString(ROOT.resolve("template.yaml")));
        Set<String> hubOnly = parameterGroup(template, "Organization");
        assertThat(hubOnly).as("the template's Organization parameter group").contains("DeploymentMode");
        List<String> missing = new ArrayList<>();
        ((Node.Obj) template.get("Parameters")).fields().keySet().forEach(name -> {
            // The organization's parameters are explained where the hub is: docs/organization.md.
            String where = hubOnly.contains(name) ? organization : readme;
            if (!where.contains("| `" + name + "` |")) {
                missing.add(name + (hubOnly.contains(name) ? " (docs/organization.md)" : " (README.md)"));
            }
        });
        assertThat(missing).as("template parameters without a row in the README's Deploy table or, for the"
                + " organization's, in docs/organization.md").isEmpty();
    }

    private static Set<String> parameterGroup(Node.Obj template, String label) {
        Node.Obj metadata = (Node.Obj) ((Node.Obj) template.get("Metadata")).get("AWS::CloudFormation::Interface");
        Set<String> names = new TreeSet<>();
        for (Node group : ((Node.Arr) metadata.get("ParameterGroups")).items()) {
            Node.Obj g = (Node.Obj) group;
            if (((Node.Str) ((Node.Obj) g.get("Label")).get("default")).value().equals(label)) {
                ((Node.Arr) g.get("Parameters")).items().forEach(n -> names.add(((Node.Str) n).value()));
            }
        }
        return names;
    }

    @Test
    void theReadmeIsShortAndStartsWithAContentsList() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme.getBytes(StandardCharsets.UTF_8).length).as("README.md bytes").isLessThanOrEqualTo(15 * 1024);
        int contents = readme.indexOf("## Contents");
        assertThat(contents).as("a contents list").isPositive();
        assertThat(readme.indexOf("\n## ")).as("the contents list is the first section").isEqualTo(contents - 1);
        assertThat(readme.substring(0, contents)).contains("alert", "Remediation", "audit", "`check`", "Slack");
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]*)(?:#([^)\\s]+))?\\)");
        for (Map.Entry<Path, String> page : pages().entrySet()) {
            Matcher m = link.matcher(page.getValue());
            while (m.find()) {
                String file = m.group(1);
                if (file.startsWith("http")) {
                    continue;
                }
                Path target = file.isEmpty() ? page.getKey() : page.getKey().getParent().resolve(file).normalize();
                // docs/threat-model.md is written by the threat-model work; its link is checked once the page exists.
                if (!Files.exists(target)) {
                    if (!target.getFileName().toString().equals("threat-model.md")) {
                        broken.add(page.getKey().getFileName() + " -> " + file + ": no such file");
                    }
                    continue;
                }
                if (m.group(2) != null && !anchors(Files.readString(target)).contains(m.group(2))) {
                    broken.add(page.getKey().getFileName() + " -> " + file + "#" + m.group(2) + ": no such heading");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static List<String> anchors(String page) {
        List<String> out = new ArrayList<>();
        for (String line : page.split("\n")) {
            if (line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                out.add(text.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }
}
