package io.iamguardrail.policy;

public enum Effect { ALLOW, DENY }
