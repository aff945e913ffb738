package org.rlhf4j.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The semantic version of this api, which the host announces to PF4J as its system version.
 *
 * <p>A plugin states the api range it was built for in {@code plugin.properties}, e.g.
 * {@code plugin.requires=>=0.2.0 & <0.3.0}. The host refuses a plugin whose range excludes this
 * version and says which version it needs. Rules: a new extension point or a new default method is a
 * minor bump; removing or changing a signature is a major bump (while the major is 0, a minor bump).
 *
 * @since 0.1.0
 */
public final class ApiVersion {

    private static final String VERSION = load();

    private ApiVersion() {
    }

    /** The api version, e.g. {@code 0.2.0}. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("api-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("api-version.properties missing from the rlhf4j-api jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
