package io.iamguardrail.paths;

import io.iamguardrail.config.Severity;

import java.util.List;

/**
 * The shortest way found from a principal to administrator access ({@code reaches} is {@link PrivilegeGraph#ADMIN}),
 * or to a principal with a CRITICAL finding (its ARN), hop by hop. CRITICAL when it reaches administrator access by
 * hops that are certain; HIGH when a hop is only potential or the end is a principal with a critical finding.
 */
public record PrivilegePath(String principal, String reaches, Severity severity, List<Hop> hops) {

    public PrivilegePath {
        hops = List.copyOf(hops);
    }

    public boolean potential() {
        return hops.stream().anyMatch(Hop::potential);
    }

    /** {@code role/a -> role/b -> admin}, for summaries. */
    public String chain() {
        StringBuilder sb = new StringBuilder(principal);
        hops.forEach(h -> sb.append(" -[").append(h.method().id()).append(h.potential() ? ", potential" : "")
                .append("]-> ").append(h.to()));
        return sb.toString();
    }
}
