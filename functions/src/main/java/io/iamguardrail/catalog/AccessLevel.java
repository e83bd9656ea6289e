package io.iamguardrail.catalog;

/** The access levels of the AWS Service Authorization Reference. */
public enum AccessLevel {
    LIST("List"), READ("Read"), WRITE("Write"), PERMISSIONS_MANAGEMENT("Permissions management"), TAGGING("Tagging");

    private final String title;

    AccessLevel(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    static AccessLevel fromCode(String code) {
        switch (code) {
            case "L": return LIST;
            case "R": return READ;
            case "W": return WRITE;
            case "P": return PERMISSIONS_MANAGEMENT;
            case "T": return TAGGING;
            default: throw new IllegalArgumentException("expected an access level code L, R, W, P or T but found `" + code + "`");
        }
    }

    public boolean isWriteLike() {
        return this == WRITE || this == PERMISSIONS_MANAGEMENT || this == TAGGING;
    }
}
