package io.iamguardrail.organization;

import java.util.List;
import java.util.Optional;

/**
 * The accounts the hub guards: the active members of its organization. An account that is not one of them (never
 * joined, suspended, closed, or left) is not guarded, whatever its events say.
 */
public interface Organization {

    /** The account, when it is an active member now. */
    Optional<MemberAccount> activeMember(String accountId);

    /** Every active member, in the order Organizations lists them. */
    List<MemberAccount> activeMembers();

    /** A fixed list: the CLI's {@code --accounts}, tests. */
    static Organization of(List<MemberAccount> members) {
        List<MemberAccount> copy = List.copyOf(members);
        return new Organization() {
            @Override
            public Optional<MemberAccount> activeMember(String accountId) {
                return copy.stream().filter(m -> m.id().equals(accountId)).findFirst();
            }

            @Override
            public List<MemberAccount> activeMembers() {
                return copy;
            }
        };
    }
}
