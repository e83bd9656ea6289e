package io.iamguardrail.cli;

import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.Diagnostic;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.template.TemplateReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns command-line paths into subjects: policy files (identity or trust, detected unless --kind says),
 * CloudFormation and SAM templates (JSON or YAML), and folders, walked recursively. A file named on the command
 * line that is not a policy is reported as malformed; in a folder, JSON and YAML files that are neither policy
 * nor template (package.json, CI configuration) are skipped and counted.
 */
final class Inputs {

    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    final List<Subject> subjects = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    /** The templates read, for the privilege graph of their principals ({@code --together}). */
    final List<TemplateFile> templates = new ArrayList<>();
    private final Set<Subject> ofTemplates = Collections.newSetFromMap(new IdentityHashMap<>());
    int files;

    private final PolicyKind kind;
    private final Path base;
    private final Optional<String> account;

    Inputs(PolicyKind kind, Path base) {
        this(kind, base, Optional.empty());
    }

    /** {@code account}: the own account, so that {@code ${AWS::AccountId}} in templates reads as it. */
    Inputs(PolicyKind kind, Path base, Optional<String> account) {
        this.kind = kind;
        this.base = base;
        this.account = account;
    }

    void add(Path path) throws UsageException {
        if (!Files.exists(path)) {
            throw new UsageException("cannot read `" + path + "`: no such file or folder");
        }
        if (Files.isDirectory(path)) {
            List<Path> found;
            try (Stream<Path> walk = Files.walk(path)) {
                found = walk.filter(Files::isRegularFile).filter(Inputs::looksReadable)
                        .filter(p -> !hidden(path, p)).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                throw new UsageException("cannot read folder `" + path + "`: " + e.getMessage());
            }
            // Files are read and parsed in parallel (a folder of a thousand policies spent more time here than in
            // the rules); their subjects are kept in the sorted order of the files.
            for (Read r : found.parallelStream().map(p -> read(p, true)).toList()) {
                apply(r);
            }
        } else {
            apply(read(path, false));
        }
    }

    /** A template as read, and the file it was read from. */
    record TemplateFile(Node.Obj root, String source) {
    }

    /** What one file contributes: its subjects, or that it was skipped, or why it could not be read at all. */
    private record Read(boolean counted, List<Subject> subjects, String skipped, String unreadable, TemplateFile template) {
        Read(boolean counted, List<Subject> subjects, String skipped, String unreadable) {
            this(counted, subjects, skipped, unreadable, null);
        }

        static Read subjects(List<Subject> subjects) {
            return new Read(true, subjects, null, null);
        }
    }

    private void apply(Read r) throws UsageException {
        if (r.unreadable() != null) {
            throw new UsageException(r.unreadable());
        }
        if (r.counted()) {
            files++;
        }
        subjects.addAll(r.subjects());
        if (r.template() != null) {
            templates.add(r.template());
            ofTemplates.addAll(r.subjects());
        }
        if (r.skipped() != null) {
            skipped.add(r.skipped());
        }
    }

    private Read read(Path path, boolean fromFolder) {
        String source = display(path);
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                return new Read(false, List.of(failed(source, "expected a file of at most " + MAX_FILE_BYTES / (1024 * 1024)
                        + " MiB but it has " + Files.size(path) + " bytes")), null, null);
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            return new Read(false, List.of(), null, "cannot read `" + source + "`: " + e.getMessage());
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".template");
        Node root;
        try {
            root = yaml ? NodeReader.readYaml(decode(bytes)) : NodeReader.readJson(bytes);
        } catch (NodeReadException e) {
            if (fromFolder && yaml) {
                return new Read(true, List.of(), source, null);
            }
            return Read.subjects(List.of(Subject.of(new SourcedPolicy(source, source, SourcedPolicy.Origin.STANDALONE,
                    new ParseResult(Optional.empty(), PolicyKind.IDENTITY, List.of(new Diagnostic(e.at(), e.getMessage())))))));
        } catch (CharacterCodingException e) {
            return Read.subjects(List.of(failed(source, "expected UTF-8 text but found an invalid byte sequence")));
        }
        if (TemplateReader.isTemplate(root)) {
            return new Read(true, TemplateReader.read((Node.Obj) root, source, account), null, null,
                    new TemplateFile((Node.Obj) root, source));
        }
        if (fromFolder && !(root instanceof Node.Obj o && o.get("Statement") != null)) {
            return new Read(true, List.of(), source, null);
        }
        ParseResult parsed = PolicyParser.parse(root, kind);
        return Read.subjects(List.of(Subject.of(new SourcedPolicy(source, source, SourcedPolicy.Origin.STANDALONE, parsed))));
    }

    private static Subject failed(String source, String message) {
        return Subject.of(new SourcedPolicy(source, source, SourcedPolicy.Origin.STANDALONE,
                new ParseResult(Optional.empty(), PolicyKind.IDENTITY,
                        List.of(new Diagnostic(SourceLocation.UNKNOWN, message)))));
    }

    /** For --together: the templates' subjects as they are, and the policy files as one principal, if any. */
    List<Subject> together() throws UsageException {
        List<Subject> out = new ArrayList<>();
        subjects.stream().filter(ofTemplates::contains).forEach(out::add);
        combined().ifPresent(out::add);
        return out;
    }

    /** Every policy file read (not a template) becomes one principal's policy; trust policies become its trust. */
    Optional<Subject> combined() throws UsageException {
        List<SourcedPolicy> permissions = new ArrayList<>();
        Optional<SourcedPolicy> trust = Optional.empty();
        for (Subject s : subjects) {
            if (ofTemplates.contains(s)) {
                continue;
            }
            if (s.trust().isPresent()) {
                if (trust.isPresent()) {
                    throw new UsageException("--together takes at most one trust policy but found `"
                            + trust.get().source() + "` and `" + s.source() + "`");
                }
                trust = s.trust();
            }
            permissions.addAll(s.permissions());
        }
        if (permissions.isEmpty() && trust.isEmpty()) {
            return Optional.empty();
        }
        String source = permissions.size() + trust.map(t -> 1).orElse(0) + " policies together";
        return Optional.of(new Subject(source, Optional.empty(), trust.isPresent() ? Subject.Type.ROLE : Subject.Type.NONE,
                trust, permissions, Optional.empty()));
    }

    private String display(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        String shown = abs.startsWith(base) ? base.relativize(abs).toString() : path.toString();
        return shown.replace('\\', '/');
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static boolean looksReadable(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".template");
    }

    /** Skips hidden folders and build output below the folder given (.git, node_modules, target, .aws-sam). */
    private static boolean hidden(Path root, Path p) {
        Path rel = root.relativize(p);
        for (Path part : rel) {
            String s = part.toString();
            if (s.startsWith(".") || s.equals("node_modules") || s.equals("target") || s.equals("cdk.out")) {
                return true;
            }
        }
        return false;
    }
}
