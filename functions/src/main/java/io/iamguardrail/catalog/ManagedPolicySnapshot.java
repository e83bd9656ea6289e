package io.iamguardrail.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The default version of every AWS managed policy, read from the generated {@code iam/aws-managed-policies.tsv.gz}
 * (see {@code functions/scripts/generate-managed-policies.mjs}), so that an attachment of an AWS managed policy can
 * be judged without calling IAM. Documents are kept as the JSON text AWS publishes; nothing is parsed at load.
 * Policies are keyed by what follows {@code :iam::aws:policy} (path and name), so an ARN in any partition
 * ({@code aws}, {@code aws-cn}, {@code aws-us-gov}) finds the same entry.
 */
public final class ManagedPolicySnapshot {

    /** One AWS managed policy: its ARN (in the {@code aws} partition), default version id and document JSON. */
    public record Entry(String arn, String versionId, String document) {
    }

    static final String FORMAT = "iam-guardrail-managed-policies/1";
    private static final String MARKER = ":iam::aws:policy";
    private static final String RESOURCE = "/iam/aws-managed-policies.tsv.gz";
    private static volatile ManagedPolicySnapshot bundled;

    private final Map<String, Entry> byPath;
    private final Map<String, String> header;
    private volatile Map<String, Entry> byName;

    private ManagedPolicySnapshot(Map<String, Entry> byPath, Map<String, String> header) {
        this.byPath = Collections.unmodifiableMap(byPath);
        this.header = Collections.unmodifiableMap(header);
    }

    /** The snapshot shipped in the jar, loaded once per JVM. */
    public static ManagedPolicySnapshot bundled() {
        ManagedPolicySnapshot s = bundled;
        if (s == null) {
            synchronized (ManagedPolicySnapshot.class) {
                s = bundled;
                if (s == null) {
                    try (InputStream in = ManagedPolicySnapshot.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("expected the resource " + RESOURCE + " in the jar but it is missing");
                        }
                        s = read(new GZIPInputStream(in, 1 << 16));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    bundled = s;
                }
            }
        }
        return s;
    }

    /** Reads the uncompressed TSV: {@code #key<TAB>value} header lines, then {@code ARN<TAB>versionId<TAB>document}. */
    static ManagedPolicySnapshot read(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        Map<String, Entry> byPath = new HashMap<>(4096);
        Map<String, String> header = new LinkedHashMap<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '#') {
                int tab = line.indexOf('\t');
                if (tab > 1) {
                    header.put(line.substring(1, tab), line.substring(tab + 1));
                }
                continue;
            }
            int t1 = line.indexOf('\t');
            int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
            if (t2 < 0 || line.indexOf('\t', t2 + 1) >= 0) {
                throw new IOException("aws-managed-policies.tsv line " + lineNo + ": expected ARN, version id and document"
                        + " separated by two tabs but found `" + line.substring(0, Math.min(80, line.length())) + "`");
            }
            String arn = line.substring(0, t1);
            if (!isAwsManaged(arn)) {
                throw new IOException("aws-managed-policies.tsv line " + lineNo
                        + ": expected an AWS managed policy ARN (arn:aws:iam::aws:policy/...) but found `" + arn + "`");
            }
            if (byPath.put(pathOf(arn), new Entry(arn, line.substring(t1 + 1, t2), line.substring(t2 + 1))) != null) {
                throw new IOException("aws-managed-policies.tsv line " + lineNo + ": expected each policy once but found "
                        + arn + " again");
            }
        }
        if (!FORMAT.equals(header.get("format"))) {
            throw new IOException("aws-managed-policies.tsv: expected format " + FORMAT + " but found " + header.get("format"));
        }
        String declared = header.get("policies");
        if (declared != null && !declared.equals(Integer.toString(byPath.size()))) {
            throw new IOException("aws-managed-policies.tsv: expected " + declared + " policies, as its header says, but found "
                    + byPath.size() + " (truncated?)");
        }
        return new ManagedPolicySnapshot(byPath, header);
    }

    /**
     * Whether the ARN names an AWS managed policy ({@code arn:<partition>:iam::aws:policy/<path><name>}), in any
     * partition. Customer managed policies ({@code arn:aws:iam::123456789012:policy/...}) are not.
     */
    public static boolean isAwsManaged(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return false;
        }
        int colon = arn.indexOf(':', 4);
        return colon > 4 && arn.startsWith(MARKER + "/", colon) && arn.length() > colon + MARKER.length() + 1;
    }

    /** The bundled default version of the AWS managed policy the ARN names (any partition), or empty. */
    public Optional<Entry> find(String policyArn) {
        if (!isAwsManaged(policyArn)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byPath.get(pathOf(policyArn)));
    }

    /**
     * The AWS managed policy of this name, at whatever path (SAM resolves {@code Policies: [AWSLambdaRole]} this
     * way: {@code AWSLambdaRole} lives at {@code /service-role/}), or empty.
     */
    public Optional<Entry> findByName(String name) {
        Map<String, Entry> index = byName;
        if (index == null) {
            index = new HashMap<>(byPath.size() * 2);
            for (Entry e : byPath.values()) {
                index.putIfAbsent(e.arn().substring(e.arn().lastIndexOf('/') + 1), e);
            }
            byName = index;
        }
        return Optional.ofNullable(index.get(name));
    }

    /** Every policy in the snapshot, in no particular order. */
    public Collection<Entry> entries() {
        return byPath.values();
    }

    public int size() {
        return byPath.size();
    }

    /** Source package, its version and the generation date, from the header. */
    public Map<String, String> provenance() {
        return header;
    }

    /** What follows {@code :iam::aws:policy}: the path and the name, e.g. {@code /service-role/AWSLambdaRole}. */
    private static String pathOf(String awsManagedArn) {
        return awsManagedArn.substring(awsManagedArn.indexOf(':', 4) + MARKER.length());
    }
}
