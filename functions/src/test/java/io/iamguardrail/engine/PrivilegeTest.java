package io.iamguardrail.engine;

import io.iamguardrail.catalog.AccessLevel;
import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.IamAction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PrivilegeTest {

    private static IamAction action(String name) {
        return new IamAction(0, "svc", name, AccessLevel.WRITE, List.of());
    }

    @Test
    void aReadVerbCountsOnlyWhenAWordFollowsIt() {
        assertThat(Privilege.readLikeName(action("GetResourcePermission"))).isTrue();
        assertThat(Privilege.readLikeName(action("ListSubscriptions"))).isTrue();
        assertThat(Privilege.readLikeName(action("BatchGetItem"))).isTrue();
        assertThat(Privilege.readLikeName(action("ExportTableToPointInTime"))).isTrue();
        assertThat(Privilege.readLikeName(action("Get"))).isFalse();
        assertThat(Privilege.readLikeName(action("Getaway"))).isFalse();
        assertThat(Privilege.readLikeName(action("PutObject"))).isFalse();
        assertThat(Privilege.readLikeName(action("BatchWriteItem"))).isFalse();
        assertThat(Privilege.readLikeName(action("CreateListener"))).isFalse();
    }

    @Test
    void agreesWithTheReadVerbExpressionOnEveryCatalogueAction() {
        Pattern readLike = Pattern.compile("(Get|List|Describe|View|Search|BatchGet|Check|Preview|Validate|Export)[A-Z].*");
        List<IamAction> actions = ActionCatalog.bundled().actions();
        assertThat(actions).hasSizeGreaterThan(20_000);
        List<String> disagreeing = actions.stream()
                .filter(a -> Privilege.readLikeName(a) != readLike.matcher(a.name()).matches())
                .map(a -> a.service() + ":" + a.name()).toList();
        assertThat(disagreeing).isEmpty();
        assertThat(actions.stream().filter(Privilege::readLikeName).count()).isGreaterThan(5_000);
    }
}
