package io.iamguardrail.organization;

/** An active account of the organization, as Organizations names it. */
public record MemberAccount(String id, String name) {

    public MemberAccount {
        if (id == null || !id.matches("\\d{12}")) {
            throw new IllegalArgumentException("expected an account id of 12 digits but found `" + id + "`");
        }
        name = name == null || name.isBlank() ? id : name.strip();
    }
}
