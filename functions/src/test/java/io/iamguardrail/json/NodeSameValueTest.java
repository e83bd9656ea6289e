package io.iamguardrail.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSameValueTest {

    private static boolean same(String a, String b) throws NodeReadException {
        return Node.sameValue(NodeReader.readJson(a), NodeReader.readJson(b));
    }

    @Test
    void formattingAndMemberOrderDoNotMatterButItemOrderDoes() throws NodeReadException {
        String stored = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\","
                + "\"s3:PutObject\"],\"Resource\":\"*\"}]}";
        String reformatted = """
                {
                  "Statement": [ { "Resource": "*", "Action": [ "s3:GetObject", "s3:PutObject" ], "Effect": "Allow" } ],
                  "Version": "2012-10-17"
                }""";
        assertThat(same(stored, reformatted)).isTrue();
        assertThat(same(stored, stored.replace("\"s3:GetObject\",\"s3:PutObject\"", "\"s3:PutObject\",\"s3:GetObject\"")))
                .isFalse();
    }

    @Test
    void aChangedValueAMissingMemberOrAnotherKindIsAnotherDocument() throws NodeReadException {
        String base = "{\"Effect\":\"Allow\",\"Condition\":{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":3600}}}";
        assertThat(same(base, base.replace("Allow", "Deny"))).isFalse();
        assertThat(same(base, "{\"Effect\":\"Allow\"}")).isFalse();
        assertThat(same(base, base.replace("3600", "\"3600\""))).isFalse();
        assertThat(same(base, base.replace("3600", "3600.0"))).isFalse();
        assertThat(same(base, base.replace(":3600", ": 3600 "))).isTrue();
        assertThat(same(base, base.replace("3600", "3601"))).isFalse();
        assertThat(same("[true, null]", "[true, null]")).isTrue();
        assertThat(same("[true, null]", "[false, null]")).isFalse();
        assertThat(same("[null]", "[{}]")).isFalse();
    }
}
