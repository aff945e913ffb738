package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import org.rlhf4j.api.ConfigProblem;

/**
 * A view of a config whose {@code getInt}, {@code getLong} and their list forms refuse a number with a fraction.
 * Typesafe Config counts every number as a NUMBER and {@code getInt} truncates, so {@code --set pretrain.steps=2.5}
 * would train 2 steps; read through this view it fails naming the key and where it was set. Whether a setting is a
 * whole number is known only where it is read, hence a view rather than a check of the file. The host gives
 * extensions their settings (and the whole config) through it; every other method is the config's own, and configs
 * it returns are views too.
 */
public final class WholeNumbers implements InvocationHandler {

    private static final Set<String> WHOLE = Set.of("getInt", "getLong", "getIntList", "getLongList");

    private final Config config;

    private WholeNumbers(Config config) {
        this.config = config;
    }

    /** {@code config} read through the check. */
    public static Config view(Config config) {
        if (Proxy.isProxyClass(config.getClass()) && Proxy.getInvocationHandler(config) instanceof WholeNumbers) {
            return config;
        }
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), INTERFACES, new WholeNumbers(config));
    }

    /**
     * Config, and Typesafe's own MergeableValue: {@code other.withFallback(view)} casts its argument to that internal
     * interface (whose one method, toFallbackValue, the view passes on), so a view can be a fallback like any config.
     */
    private static final Class<?>[] INTERFACES = interfaces();

    private static Class<?>[] interfaces() {
        try {
            return new Class<?>[] {Config.class, Class.forName("com.typesafe.config.impl.MergeableValue", false,
                    Config.class.getClassLoader())};
        } catch (ClassNotFoundException e) {
            return new Class<?>[] {Config.class};
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (WHOLE.contains(method.getName()) && args != null && args.length == 1 && args[0] instanceof String path) {
            check((Config) proxy, path);
        }
        if (method.getName().equals("equals") && args != null && args.length == 1) {
            return proxy == args[0];
        }
        if (method.getName().equals("hashCode") && (args == null || args.length == 0)) {
            return System.identityHashCode(proxy);
        }
        Object result;
        try {
            if (!method.getDeclaringClass().isAssignableFrom(Config.class)) {
                method.setAccessible(true); // MergeableValue is package-private in Typesafe Config
            }
            result = method.invoke(config, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return result instanceof Config c && method.getReturnType() == Config.class ? view(c) : result;
    }

    private void check(Config self, String path) {
        if (!config.hasPath(path)) {
            return; // Typesafe reports the missing key itself
        }
        ConfigValue v = config.getValue(path);
        List<ConfigValue> values = v.valueType() == ConfigValueType.LIST ? config.getList(path) : List.of(v);
        for (ConfigValue item : values) {
            if (item.valueType() == ConfigValueType.NUMBER && item.unwrapped() instanceof Number n
                    && (n instanceof Double || n instanceof Float) && n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new ConfigProblem(self, path, "must be a whole number, got " + n);
            }
        }
    }
}
