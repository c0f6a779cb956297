package dev.trellis.junit;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.Network;
import dev.trellis.sim.SimNetwork;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

/**
 * A test method as a body the engines run: its parameters are made inside the execution (the
 * network of that run, its seed), so JUnit's own resolution only reserves their places.
 */
final class MethodBody {
    private MethodBody() {}

    /** Runs {@code method} on {@code target} inside a task, with the parameters of that execution. */
    static Body of(Method method, Object target, long seed, boolean simulated) {
        return () -> {
            Object[] args = new Object[method.getParameterCount()];
            Parameter[] ps = method.getParameters();
            for (int i = 0; i < ps.length; i++) {
                args[i] = argument(ps[i], seed, simulated, method);
            }
            method.setAccessible(true);
            try {
                method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                if (t instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) t;
            }
        };
    }

    private static Object argument(Parameter p, long seed, boolean simulated, Method m) {
        Class<?> type = p.getType();
        if (p.isAnnotationPresent(Seed.class)) {
            if (!simulated) {
                throw new IllegalStateException(m.getName() + ": a @Seed parameter has no value on the real runtime");
            }
            return seed;
        }
        if (type == SimNetwork.class) {
            if (!simulated) {
                throw new IllegalStateException(m.getName() + " takes a SimNetwork, which only the simulator has: take a "
                        + "Network to run on both engines");
            }
            return SimNetwork.current();
        }
        return Network.current();
    }

    /** Reserves the places of the parameters {@link #of} fills: a network, a {@link Seed}. */
    static final class Placeholders implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            Class<?> type = p.getParameter().getType();
            return type == SimNetwork.class || type == Network.class
                    || (p.isAnnotated(Seed.class) && (type == long.class || type == Long.class));
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) throws ParameterResolutionException {
            return p.getParameter().getType() == long.class ? 0L : null;
        }
    }
}
