package io.iamguardrail.state;

import java.util.Locale;

/** A role, user or group by name. */
public record PrincipalRef(Kind kind, String name) {

    public enum Kind { ROLE, USER, GROUP }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + name;
    }
}
