package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Commands in compute that holds a role: SSM Run Command and Session Manager, EC2 Instance Connect on instances
 * (roles EC2 may assume), ECS Exec in tasks (roles ECS tasks may assume). The graph reads IAM, not the instances and
 * tasks that run: each such hop is potential.
 */
final class RuntimeEdges {

    private record Way(String action, String service, String detail) {
    }

    private static final List<Way> WAYS = List.of(
            new Way("ssm:SendCommand", "ec2.amazonaws.com", "may run commands (SSM Run Command) on an instance that holds"),
            new Way("ssm:StartSession", "ec2.amazonaws.com", "may open a shell (Session Manager) on an instance that holds"),
            new Way("ec2-instance-connect:SendSSHPublicKey", "ec2.amazonaws.com",
                    "may push an SSH key (EC2 Instance Connect) to an instance that holds"),
            new Way("ecs:ExecuteCommand", "ecs-tasks.amazonaws.com", "may open a shell (ECS Exec) in a task that holds"));

    private RuntimeEdges() {
    }

    static void add(AccountView v, Member source, Consumer<Hop> out) {
        Access a = v.access(source);
        for (Way w : WAYS) {
            Optional<Permissions.Grant> g = a.somewhere(v.action(w.action()));
            if (g.isEmpty()) {
                continue;
            }
            for (Trusts.Admit t : v.trusts.service(w.service())) {
                String role = t.role().arn();
                if (!role.equals(source.arn())) {
                    out.accept(new Hop(source.arn(), role, Method.RUNTIME, Evidence.of(g.get(), w.detail() + " `" + role
                            + "`, if one runs (`" + w.action() + "`)"), Optional.of(t.evidence("the trust admits `"
                            + w.service() + "`")), true));
                }
            }
        }
    }
}
