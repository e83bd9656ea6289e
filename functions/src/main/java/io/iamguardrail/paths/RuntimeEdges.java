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

    static void into(AccountView v, Member role, Consumer<Hop> out) {
        for (Way w : WAYS) {
            Optional<Trusts.Admit> t = v.trusts.service(role.arn(), w.service());
            if (t.isEmpty()) {
                continue;
            }
            int action = v.action(w.action());
            for (Member s : v.holding(action)) {
                Optional<Permissions.Grant> g = s.acts() && !s.arn().equals(role.arn())
                        ? v.access(s).somewhere(action) : Optional.empty();
                g.ifPresent(grant -> out.accept(new Hop(s.arn(), role.arn(), Method.RUNTIME, Evidence.of(grant, w.detail()
                        + " `" + role.arn() + "`, if one runs (`" + w.action() + "`)"), Optional.of(t.get().evidence(
                        "the trust admits `" + w.service() + "`")), true)));
            }
        }
    }
}
