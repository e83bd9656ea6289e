package io.iamguardrail.paths;

import io.iamguardrail.catalog.Glob;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.policy.Condition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code iam:PassRole} of a role to a service, with the calls that make that service run code under it: the
 * escalation catalogue's PassRole methods (the table PRIVILEGE_ESCALATION reads). The role must trust the service
 * it is passed to, and a grant limited by {@code iam:PassedToService} counts only for the services it names.
 */
final class PassRoleEdges {

    /**
     * The service principal each method's service runs its compute as: the one a role passed to it must trust.
     * Instance profiles (EC2, Auto Scaling, Image Builder, EMR) are assumed by EC2.
     */
    private static final Map<String, String> RUNS_AS = Map.ofEntries(
            Map.entry("ec2", "ec2.amazonaws.com"), Map.entry("autoscaling", "ec2.amazonaws.com"),
            Map.entry("imagebuilder", "ec2.amazonaws.com"), Map.entry("elasticmapreduce", "ec2.amazonaws.com"),
            Map.entry("lambda", "lambda.amazonaws.com"), Map.entry("glue", "glue.amazonaws.com"),
            Map.entry("cloudformation", "cloudformation.amazonaws.com"),
            Map.entry("datapipeline", "datapipeline.amazonaws.com"), Map.entry("codebuild", "codebuild.amazonaws.com"),
            Map.entry("ecs", "ecs-tasks.amazonaws.com"), Map.entry("batch", "ecs-tasks.amazonaws.com"),
            Map.entry("sagemaker", "sagemaker.amazonaws.com"), Map.entry("ssm", "ssm.amazonaws.com"),
            Map.entry("apprunner", "tasks.apprunner.amazonaws.com"),
            Map.entry("bedrock-agentcore", "bedrock-agentcore.amazonaws.com"),
            Map.entry("airflow", "airflow-env.amazonaws.com"), Map.entry("codestar", "codestar.amazonaws.com"),
            Map.entry("emr-serverless", "emr-serverless.amazonaws.com"), Map.entry("braket", "braket.amazonaws.com"),
            Map.entry("gamelift", "gamelift.amazonaws.com"), Map.entry("kinesisanalytics", "kinesisanalytics.amazonaws.com"),
            Map.entry("omics", "omics.amazonaws.com"), Map.entry("amplify", "amplify.amazonaws.com"));

    /** A PassRole method of the catalogue, the service its compute runs as, and its other actions. */
    record Way(Knowledge.EscalationMethod method, String service, int[] compute) {
    }

    private final AccountView v;
    private final List<Way> ways;
    /**
     * Per service principal, who may pass roles and run compute as it, with the first way they may: computed when a
     * role that trusts the service first needs it.
     */
    private final Map<String, Map<Member, Way>> runners = new HashMap<>();

    PassRoleEdges(AccountView v) {
        this.v = v;
        this.ways = ways(v);
    }

    void into(Member role, Consumer<Hop> out) {
        int pass = v.action("iam:PassRole");
        Set<String> done = new HashSet<>();
        for (Trusts.Entry e : v.trusts.of(role.arn())) {
            if (e.kind() != Trusts.Kind.SERVICE) {
                continue;
            }
            String service = e.value();
            Map<Member, Way> running = runners.computeIfAbsent(service, this::runners);
            for (Member s : v.holding(pass, role.arn())) {
                Way way = running.get(s);
                if (way == null || s.arn().equals(role.arn()) || done.contains(s.arn())) {
                    continue;
                }
                Optional<Permissions.Grant> g = v.access(s).on(pass, role.arn(), c -> passedTo(c, service));
                if (g.isPresent() && done.add(s.arn())) {
                    Knowledge.EscalationMethod m = way.method();
                    out.accept(new Hop(s.arn(), role.arn(), Method.PASS_ROLE, Evidence.of(g.get(), "may pass `" + role.arn()
                            + "` to `" + service + "` and " + m.name().toLowerCase(Locale.ROOT) + " (" + m.id() + ": "
                            + String.join(" + ", m.actionNames()) + ")"),
                            Optional.of(e.admit().evidence("the trust admits `" + service + "`")), false));
                }
            }
        }
    }

    private Map<Member, Way> runners(String service) {
        Map<Member, Way> out = new IdentityHashMap<>();
        for (Member m : v.holding(v.action("iam:PassRole"))) {
            if (!m.acts()) {
                continue;
            }
            for (Way w : ways) {
                if (w.service().equals(service) && runsCompute(v.access(m), w)) {
                    out.put(m, w);
                    break;
                }
            }
        }
        return out;
    }

    private static boolean runsCompute(Access a, Way w) {
        for (int action : w.compute()) {
            if (a.somewhere(action).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** {@code iam:PassedToService} naming the service (or, negated, not naming it); any other narrowing condition is not met. */
    static boolean passedTo(Condition c, String service) {
        if (!c.key().equalsIgnoreCase("iam:PassedToService") || !c.operator().startsWith("String")) {
            return false;
        }
        boolean named = c.values().stream().anyMatch(v -> Glob.matches(v.toLowerCase(Locale.ROOT), service));
        return named != c.isNegated();
    }

    private static List<Way> ways(AccountView v) {
        List<Way> ways = new ArrayList<>();
        for (Knowledge.EscalationMethod m : v.knowledge.escalationMethods()) {
            if (!m.actionNames().contains("iam:PassRole")) {
                continue;
            }
            List<String> others = m.actionNames().stream().filter(n -> !n.equals("iam:PassRole")).toList();
            String service = others.isEmpty() ? null : RUNS_AS.get(others.get(0).substring(0, others.get(0).indexOf(':')));
            if (service != null) {
                ways.add(new Way(m, service, others.stream().mapToInt(v::action).toArray()));
            }
        }
        return List.copyOf(ways);
    }
}
