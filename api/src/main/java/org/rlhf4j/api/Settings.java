package org.rlhf4j.api;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies the {@code com.typesafe.config.Config} an extension owns: the sub-tree at the path of its
 * {@link ExtensionName} (for a stage, its stage name), already merged with the defaults of the
 * {@code reference.conf} of the module that ships it. An empty config when nothing is set.
 *
 * <pre>{@code
 * @Inject
 * MyFilter(@Settings Config settings) { this.settings = MySettings.from(settings); }
 * }</pre>
 *
 * The whole resolved config is injectable too, unqualified.
 *
 * @since 0.1.0
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Settings {
}
