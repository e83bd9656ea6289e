package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.Organization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A hub's evaluator: the events of its own account go to its own service, as in a single account; the events of a
 * member account go to that account's service, built on its first event and kept for the container, which reads,
 * evaluates and remediates in that account only. An event is a member's only when its envelope account and its
 * recipient account are the same and that account is an active member of the organization now: anything else is
 * skipped before any service sees it, so nothing is read or written on its strength.
 */
public final class AccountRouter implements Guardrail {

    private final Guardrail home;
    private final Organization organization;
    private final Function<MemberAccount, Guardrail> memberService;
    private final DecisionLog log;
    /** One service per account: its live-state caches and its session never serve another account. */
    private final Map<String, Guardrail> members = new ConcurrentHashMap<>();
    private boolean inBatch;
    /** The batch's events by the account they name: each account's service is told its own. */
    private Map<String, List<EventDecoder.Decoded>> batchByAccount = Map.of();
    private Invocation batchInvocation;

    /**
     * @param home          the service of the hub's own account (the invocation's own account)
     * @param organization  the accounts the hub guards
     * @param memberService builds the service of one member account; called once per account
     */
    public AccountRouter(Guardrail home, Organization organization, Function<MemberAccount, Guardrail> memberService,
                         DecisionLog log) {
        this.home = home;
        this.organization = organization;
        this.memberService = memberService;
        this.log = log;
    }

    @Override
    public GuardrailConfig config() {
        return home.config();
    }

    @Override
    public void beginBatch(List<EventDecoder.Decoded> events, Invocation invocation) {
        inBatch = true;
        Map<String, List<EventDecoder.Decoded>> byAccount = new HashMap<>();
        for (EventDecoder.Decoded d : events) {
            d.event().flatMap(CloudTrailEvent::account)
                    .ifPresent(a -> byAccount.computeIfAbsent(a, k -> new ArrayList<>()).add(d));
        }
        batchByAccount = byAccount;
        batchInvocation = invocation;
        home.beginBatch(events, invocation);
        members.forEach((account, member) -> member.beginBatch(byAccount.getOrDefault(account, List.of()),
                boundTo(account, invocation)));
    }

    @Override
    public BatchEnd endBatch() {
        inBatch = false;
        batchByAccount = Map.of();
        BatchEnd end = home.endBatch();
        for (Guardrail member : members.values()) {
            end = end.and(member.endBatch());
        }
        return end;
    }

    /** The member accounts a service has been built for, so far. */
    public Set<String> accountsServed() {
        return Set.copyOf(members.keySet());
    }

    @Override
    public GuardrailService.Outcome process(EventDecoder.Decoded decoded, Invocation invocation) {
        if (decoded.event().isEmpty()) {
            return home.process(decoded, invocation); // the home service reports the malformed event as an ERROR
        }
        CloudTrailEvent event = decoded.event().get();
        Optional<String> envelope = event.account();
        if (envelope.isPresent() && envelope.equals(invocation.ownAccount())) {
            // The hub's own account, bound to it exactly as a single account is (the recipient must match too).
            return home.process(decoded, invocation);
        }
        Optional<String> recipient = event.recipientAccountId();
        if (envelope.isEmpty() || !envelope.equals(recipient)) {
            return skipped(event, invocation, "event of account `" + envelope.orElse("(none)") + "` with recipient `"
                    + recipient.orElse("(none)") + "`: a member account's event must name the same account in both;"
                    + " not trusted, nothing read or changed", Optional.empty());
        }
        String account = envelope.get();
        Optional<MemberAccount> member;
        try {
            member = organization.activeMember(account);
        } catch (RuntimeException e) {
            String why = "the organization's accounts could not be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): account " + account + " not evaluated; this delivery fails so that Lambda"
                    + " retries it";
            return skipped(event, invocation, why, Optional.of(why));
        }
        if (member.isEmpty()) {
            return skipped(event, invocation, "account " + account + " is not an active member of the organization:"
                    + " not evaluated, nothing read or changed", Optional.empty());
        }
        Guardrail service;
        try {
            service = members.computeIfAbsent(account, a -> {
                Guardrail built = memberService.apply(member.get());
                if (inBatch) {
                    built.beginBatch(batchByAccount.getOrDefault(account, List.of()), boundTo(account, batchInvocation));
                }
                return built;
            });
        } catch (RuntimeException e) {
            Decision d = Decision.error(event.eventId(), event.eventName(), "the guardrail of member account "
                    + account + " could not be set up: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            log.record(d, invocation.requestId(), 0, Optional.empty());
            return new GuardrailService.Outcome(d, Optional.empty(), Optional.empty());
        }
        // Bound to the member account: its service's own account check now holds the event to that account.
        return service.process(decoded, boundTo(account, invocation));
    }

    private static Invocation boundTo(String account, Invocation invocation) {
        return new Invocation(invocation.requestId(), Optional.of(account), invocation.leaseUntil());
    }

    private GuardrailService.Outcome skipped(CloudTrailEvent event, Invocation invocation, String reason,
                                             Optional<String> retry) {
        Decision d = Decision.skipped(event, reason);
        log.record(d, invocation.requestId(), 0, Optional.empty());
        return new GuardrailService.Outcome(d, Optional.empty(), Optional.empty(), Optional.empty(), retry);
    }
}
