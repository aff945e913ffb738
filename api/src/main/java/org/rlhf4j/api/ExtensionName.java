package org.rlhf4j.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a config selects an extension by, e.g. {@code ppo.scheduler = deepspeed.token-level}.
 *
 * <p>Every class marked with PF4J's {@code @Extension} carries one. Built-in extensions of the host
 * have bare names ({@code jsonl}, {@code minhash-dedup}); a plugin's names start with the plugin's
 * short name and a dot ({@code deepspeed.}, {@code trlx.}, {@code colossal.}, {@code beaver.}), one
 * prefix per plugin. Names are lower case words joined by dashes. An extension's own settings live at
 * the config path equal to its name (so {@code deepspeed.token-level { ... }}) and reach it as the
 * {@link Settings} config.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExtensionName {
    String value();
}
