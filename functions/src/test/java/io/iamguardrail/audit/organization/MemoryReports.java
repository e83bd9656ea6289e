package io.iamguardrail.audit.organization;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The report bucket as a sorted map of keys, laid out as S3AccountReports lays it out. */
final class MemoryReports implements AccountReportStore {

    final Map<String, String> objects = new TreeMap<>();

    @Override
    public Optional<String> report(String date, String account) {
        return Optional.ofNullable(objects.get("audit/" + date + "/" + account + "/report.json"));
    }

    @Override
    public Optional<String> failure(String date, String account) {
        return Optional.ofNullable(objects.get("audit/" + date + "/" + account + "/failed.json"));
    }

    @Override
    public List<String> accounts(String date) {
        String prefix = "audit/" + date + "/";
        return objects.keySet().stream().filter(k -> k.startsWith(prefix) && k.indexOf('/', prefix.length()) > 0)
                .map(k -> k.substring(prefix.length(), k.indexOf('/', prefix.length()))).distinct().toList();
    }

    @Override
    public Optional<String> previousReport(String date, String account) {
        return objects.entrySet().stream().filter(e -> e.getKey().endsWith("/" + account + "/report.json")
                        && e.getKey().substring(6, 16).compareTo(date) < 0)
                .reduce((a, b) -> b).map(Map.Entry::getValue);
    }

    @Override
    public String saveReport(String date, String account, Supplier<String> json, Supplier<String> html) {
        objects.put("audit/" + date + "/" + account + "/report.json", json.get());
        objects.put("audit/" + date + "/" + account + "/report.html", html.get());
        return "memory://audit/" + date + "/" + account + "/";
    }

    @Override
    public String saveFailure(String date, String account, String json) {
        objects.put("audit/" + date + "/" + account + "/failed.json", json);
        return "memory://audit/" + date + "/" + account + "/failed.json";
    }

    @Override
    public String saveOrganization(String date, String json, String html) {
        objects.put("audit/" + date + "/organization.json", json);
        objects.put("audit/" + date + "/organization.html", html);
        return "memory://audit/" + date + "/organization.json";
    }
}
