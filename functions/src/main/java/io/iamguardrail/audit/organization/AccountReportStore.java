package io.iamguardrail.audit.organization;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the organization's audits are kept: {@code audit/<date>/<account>/report.json}, {@code report.html} or
 * {@code failed.json}, and {@code audit/<date>/organization.json} and {@code .html} (the report bucket in the hub, a
 * folder for the CLI). The date is {@code yyyy-MM-dd} and the account twelve digits, checked before they get here, so
 * that one account's files are only ever written under its own folder.
 */
public interface AccountReportStore {

    /** The account's report of {@code date}, if it was written. */
    Optional<String> report(String date, String account);

    /** The account's failure record of {@code date}, if one was written. */
    Optional<String> failure(String date, String account);

    /** The accounts with a folder under {@code date}. */
    List<String> accounts(String date);

    /** The account's latest report before {@code date}: what its new report is compared with. */
    Optional<String> previousReport(String date, String account);

    /** Stores the account's report, each text written when asked for and dropped once stored; returns where. */
    String saveReport(String date, String account, Supplier<String> json, Supplier<String> html);

    /** Stores why the account could not be audited; returns where. */
    String saveFailure(String date, String account, String json);

    /** Stores the organization report; returns where. */
    String saveOrganization(String date, String json, String html);
}
