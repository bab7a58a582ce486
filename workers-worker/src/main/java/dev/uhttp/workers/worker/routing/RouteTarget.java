package dev.uhttp.workers.worker.routing;

import dev.uhttp.workers.api.Request;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * What a worker route leads to: a public method taking one {@link Request}, on the worker or one of
 * its handler instances.
 *
 * @param instance the worker or handler the method is called on
 * @param method   the route method (called virtually, so an override in a subclass runs)
 * @param declared where the route was declared, {@code Class.method}, for messages
 */
public record RouteTarget(Object instance, Method method, String declared) {

    /**
     * Calls the method.
     *
     * @throws Exception what the method threw (unwrapped from {@link InvocationTargetException})
     */
    public Object invoke(Request request) throws Exception {
        try {
            return method.invoke(instance, request);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return declared;
    }
}
