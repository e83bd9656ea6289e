package io.iamguardrail.cli;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.NodeWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * What {@code replay} reads: single events (EventBridge envelopes or bare CloudTrail records), and CloudTrail log
 * files as a trail delivers them to S3 ({@code {"Records": [...]}}, usually {@code .json.gz}), each record replayed
 * as an event of its own. Folders are walked for both. Compressed input is bounded, so a small file that inflates
 * to gigabytes is an error rather than an out-of-memory.
 */
final class ReplayInputs {

    /** At most this much JSON is read from one file, compressed or not (CloudTrail log files are far smaller). */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    /** One event to replay: where it comes from ({@code file} or {@code file#Records/3}) and its JSON. */
    record Item(String source, byte[] json) {
    }

    private ReplayInputs() {
    }

    /** The events of the paths, in order: files as given, folders walked in name order. */
    static List<Item> read(List<Path> paths) throws UsageException {
        List<Item> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new UsageException("cannot read `" + p + "`: no such file or folder");
            }
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(p)) {
                    files = walk.filter(Files::isRegularFile).filter(ReplayInputs::jsonOrGzip).sorted().toList();
                } catch (IOException | UncheckedIOException e) {
                    throw new UsageException("cannot read folder `" + p + "`: " + e.getMessage());
                }
                for (Path f : files) {
                    // A folder of events may hold a manifest or notes: only events and log files are replayed.
                    byte[] bytes = bytes(f);
                    if (looksLikeEvent(bytes)) {
                        out.addAll(items(f, bytes));
                    }
                }
            } else {
                out.addAll(items(p, bytes(p)));
            }
        }
        return out;
    }

    private static List<Item> items(Path file, byte[] bytes) throws UsageException {
        String source = display(file);
        Node root;
        try {
            root = NodeReader.readJson(bytes);
        } catch (NodeReadException e) {
            return List.of(new Item(source, bytes)); // the pipeline reports what is wrong with it, located
        }
        if (!(root instanceof Node.Obj o) || !(o.get("Records") instanceof Node.Arr records) || o.get("eventName") != null) {
            return List.of(new Item(source, bytes));
        }
        if (records.items().isEmpty()) {
            throw new UsageException("`" + source + "` is a CloudTrail log file without records (expected `Records`"
                    + " to hold at least one event)");
        }
        List<Item> out = new ArrayList<>(records.items().size());
        for (int i = 0; i < records.items().size(); i++) {
            Node record = records.items().get(i);
            out.add(new Item(source + "#Records/" + i, NodeWriter.toJson(record).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The file's bytes, gunzipped when it is gzip (by its magic number, whatever its name). */
    static byte[] bytes(Path file) throws UsageException {
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] head = raw.readNBytes(2);
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(head), raw);
            boolean gzip = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (gzip) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > MAX_BYTES) {
                    throw new UsageException("cannot read `" + display(file) + "`: expected at most "
                            + MAX_BYTES / (1024 * 1024) + " MiB of JSON" + (gzip ? " once decompressed" : "")
                            + " but it has more");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UsageException("cannot read `" + display(file) + "`: " + e.getMessage());
        }
    }

    private static boolean jsonOrGzip(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".json.gz") || n.endsWith(".gz");
    }

    /** A CloudTrail record names its eventSource; EventBridge envelopes carry detail-type; log files hold Records. */
    private static boolean looksLikeEvent(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return (text.contains("\"eventName\"") && (text.contains("\"eventSource\"") || text.contains("\"detail-type\"")))
                || text.contains("\"Records\"");
    }

    static String display(Path p) {
        Path base = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return (abs.startsWith(base) ? base.relativize(abs) : p).toString().replace('\\', '/');
    }
}
