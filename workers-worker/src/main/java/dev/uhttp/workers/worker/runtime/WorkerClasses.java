package dev.uhttp.workers.worker.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/** Loads and instantiates user classes (the worker and its handlers) by name, with clear errors. */
final class WorkerClasses {

    private WorkerClasses() {
    }

    /** Loads {@code name} with the context (else system) class loader, which sees class and module path. */
    static Class<?> load(String name) throws ClassNotFoundException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ClassLoader.getSystemClassLoader();
        }
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("worker class " + name + " not found on the class path or module path"
                    + " (on the module path, its module must be resolved, e.g. with --add-modules)", e);
        }
    }

    /**
     * A new instance made with the public no-argument constructor. What the constructor throws is
     * rethrown as is (unchecked) so that the startup report shows the user's own exception.
     */
    static Object instantiate(Class<?> type) {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor", e);
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot construct " + type.getName() + ": make it public and export"
                    + " or open its package to module uhttp.workers.worker", e);
        } catch (InstantiationException e) {
            throw new IllegalArgumentException(type.getName() + " is abstract", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
